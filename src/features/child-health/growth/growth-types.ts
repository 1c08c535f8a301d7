// Shared vocabulary of the growth engine, spelt exactly as the RCPCH API spells it.

export const MEASUREMENT_METHODS = ['height', 'weight', 'bmi', 'ofc'] as const
export type MeasurementMethod = (typeof MEASUREMENT_METHODS)[number]

export const SEXES = ['male', 'female'] as const
export type Sex = (typeof SEXES)[number]

// rcpchgrowth reference names (constants UK_WHO, TRISOMY_21, TURNERS)
export const GROWTH_REFERENCES = ['uk-who', 'trisomy-21', 'turners-syndrome'] as const
export type GrowthReference = (typeof GROWTH_REFERENCES)[number]

export const BONE_AGE_TYPES = [
  'greulich-pyle',
  'tanner-whitehouse-ii',
  'tanner-whitehouse-iii',
  'fels',
  'bonexpert',
] as const
export type BoneAgeType = (typeof BONE_AGE_TYPES)[number]

// Small integer codes used by the allocation-free fast path (index into the precomputed tables).
export const METHOD_CODE = { height: 0, weight: 1, bmi: 2, ofc: 3 } as const satisfies Record<MeasurementMethod, number>
export const SEX_CODE = { male: 0, female: 1 } as const satisfies Record<Sex, number>
export const REFERENCE_CODE = { 'uk-who': 0, 'trisomy-21': 1, 'turners-syndrome': 2 } as const satisfies Record<
  GrowthReference,
  number
>
export type MethodCode = (typeof METHOD_CODE)[MeasurementMethod]
export type SexCode = (typeof SEX_CODE)[Sex]
export type ReferenceCode = (typeof REFERENCE_CODE)[GrowthReference]

/**
 * Which WHO 2006 tables the WHO part of UK-WHO (2 weeks to 4 years) uses.
 * - `daily`: WHO's daily LMS tables, looked up by age in days, as rcpchgrowth >= 4.5 does (the default).
 * - `interpolated`: the weekly/monthly UK-WHO tables with cubic interpolation, as rcpchgrowth <= 4.4 did
 *   (the RCPCH API's precomputed chart lines were drawn from these).
 */
export const WHO_TABLE_MODES = ['daily', 'interpolated'] as const
export type WhoTableMode = (typeof WHO_TABLE_MODES)[number]
