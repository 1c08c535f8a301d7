// Which LMS table applies to a reference, measurement, sex and age, and where a reference has no data
// (rcpchgrowth uk_who.py, trisomy_21.py, turner.py). Errors are small integer codes, so the hot path never throws
// or allocates; REFERENCE_ERROR_MESSAGES holds RCPCH's wording for each.
import { fetchLms } from './lms.js'
import type { LmsOut } from './lms.js'
import { TABLES } from './reference-tables.js'
import type { LmsTable, TablesByMethodAndSex } from './reference-tables.js'
import { MEASUREMENT_METHODS, METHOD_CODE, REFERENCE_CODE, SEX_CODE, SEXES } from './growth-types.js'
import type { MethodCode, ReferenceCode, SexCode, WhoTableMode } from './growth-types.js'

// UK-WHO thresholds as rcpchgrowth computes them (gestational weeks as decimal age: (7·weeks − 280) / 365.25)
export const TWENTY_THREE_WEEKS_GESTATION = (23 * 7 - 40 * 7) / 365.25
export const TWENTY_FIVE_WEEKS_GESTATION = (25 * 7 - 40 * 7) / 365.25
export const FORTY_TWO_WEEKS_GESTATION = (42 * 7 - 40 * 7) / 365.25
export const WHO_CHILD_LOWER_THRESHOLD = 2
export const WHO_CHILDREN_UPPER_THRESHOLD = 4
export const UK90_UPPER_THRESHOLD = 20

export const LOOKUP_OK = 0

/** RCPCH's messages for absent reference data, indexed by error code (0 = no error). */
export const REFERENCE_ERROR_MESSAGES = [
  '',
  'There is no UK90 reference data below 23 weeks gestation',
  'There is no UK90 reference data above the age of 20 years.',
  'UK-WHO length data does not exist in infants below 25 weeks gestation.',
  'UK-WHO BMI data does not exist below 2 weeks of age.',
  'UK-WHO head circumference data does not exist in boys over 18 y of age.',
  'UK-WHO head circumference data does not exist in girls over 17 y of age.',
  'No reference data exists below 40 weeks gestation',
  'Trisomy 21 reference data does not exist over the age of 20y.',
  'Trisomy BMI reference data does not exist > 18.82 y.',
  'Trisomy head circumference reference data does not exist > 18 y',
  'There is no reference data below 1 year.',
  'There is no reference data above 20 years.',
  'There is no reference data for weight.',
  'There is no reference data for BMI (body mass index).',
  'There is no reference data for head circumference.',
  "Turner's syndrome only affects girls and women.",
] as const

const E = {
  ukWhoBelow23Weeks: 1,
  ukWhoAbove20Years: 2,
  ukWhoLengthBelow25Weeks: 3,
  ukWhoBmiBelow2Weeks: 4,
  ukWhoOfcBoysOver18: 5,
  ukWhoOfcGirlsOver17: 6,
  trisomyBelowTerm: 7,
  trisomyAbove20Years: 8,
  trisomyBmiAbove1882: 9,
  trisomyOfcAbove18: 10,
  turnerBelow1Year: 11,
  turnerAbove20Years: 12,
  turnerNoWeight: 13,
  turnerNoBmi: 14,
  turnerNoOfc: 15,
  turnerMale: 16,
} as const

/** The UK-WHO segments in age order, as named in RCPCH chart data. */
export const UK_WHO_SEGMENTS = ['uk90_preterm', 'uk_who_infant', 'uk_who_child', 'uk90_child'] as const
export type UkWhoSegment = (typeof UK_WHO_SEGMENTS)[number]

type Grid = readonly (readonly (LmsTable | null)[])[] // [method][sex]

function grid(tables: TablesByMethodAndSex): Grid {
  return MEASUREMENT_METHODS.map(method => SEXES.map(sex => tables[method][sex]))
}

const UK_WHO_GRIDS: Readonly<Record<WhoTableMode, readonly Grid[]>> = {
  daily: [grid(TABLES.uk90Preterm), grid(TABLES.whoDailyInfant), grid(TABLES.whoDailyChild), grid(TABLES.uk90Child)],
  interpolated: [
    grid(TABLES.legacy.uk90Preterm),
    grid(TABLES.legacy.whoInfant),
    grid(TABLES.legacy.whoChild),
    grid(TABLES.legacy.uk90Child),
  ],
}
const TRISOMY_21_GRID = grid(TABLES.trisomy21)
const TURNER_GRID = grid(TABLES.turner)

/** Index into UK_WHO_SEGMENTS for an age; ties go to the older table (exactly 2 weeks, 2 years, 4 years). */
export function ukWhoSegmentIndex(age: number): number {
  if (age < FORTY_TWO_WEEKS_GESTATION) {
    return 0
  }
  if (age < WHO_CHILD_LOWER_THRESHOLD) {
    return 1
  }
  if (age < WHO_CHILDREN_UPPER_THRESHOLD) {
    return 2
  }
  return 3
}

function ukWhoAbsent(method: MethodCode, sex: SexCode, age: number): number {
  if (age < TWENTY_THREE_WEEKS_GESTATION) {
    return E.ukWhoBelow23Weeks
  }
  if (age > UK90_UPPER_THRESHOLD) {
    return E.ukWhoAbove20Years
  }
  if (method === METHOD_CODE.height && age < TWENTY_FIVE_WEEKS_GESTATION) {
    return E.ukWhoLengthBelow25Weeks
  }
  if (method === METHOD_CODE.bmi && age < FORTY_TWO_WEEKS_GESTATION) {
    return E.ukWhoBmiBelow2Weeks
  }
  if (method === METHOD_CODE.ofc) {
    if (sex === SEX_CODE.male && age > 18) {
      return E.ukWhoOfcBoysOver18
    }
    if (sex === SEX_CODE.female && age > 17) {
      return E.ukWhoOfcGirlsOver17
    }
  }
  return LOOKUP_OK
}

function trisomy21Absent(method: MethodCode, age: number): number {
  if (age < 0) {
    return E.trisomyBelowTerm
  }
  if (age > 20) {
    return E.trisomyAbove20Years
  }
  if (method === METHOD_CODE.bmi && age > 18.82) {
    return E.trisomyBmiAbove1882
  }
  if (method === METHOD_CODE.ofc && age > 18) {
    return E.trisomyOfcAbove18
  }
  return LOOKUP_OK
}

function turnerAbsent(method: MethodCode, sex: SexCode, age: number): number {
  if (age < 1) {
    return E.turnerBelow1Year
  }
  if (age > 20) {
    return E.turnerAbove20Years
  }
  if (method === METHOD_CODE.weight) {
    return E.turnerNoWeight
  }
  if (method === METHOD_CODE.bmi) {
    return E.turnerNoBmi
  }
  if (method === METHOD_CODE.ofc) {
    return E.turnerNoOfc
  }
  if (sex === SEX_CODE.male) {
    return E.turnerMale
  }
  return LOOKUP_OK
}

/**
 * The table for a lookup, or an error code (number) when the reference has no data there.
 * UK-WHO: UK90 preterm below 2 weeks, WHO 2006 (length) to 2 years, WHO 2006 (height) to 4 years, UK90 to 20 years.
 */
export function selectTable(
  reference: ReferenceCode,
  method: MethodCode,
  sex: SexCode,
  age: number,
  whoTables: WhoTableMode,
): LmsTable | number {
  let absent: number
  let table: LmsTable | null | undefined
  if (reference === REFERENCE_CODE['uk-who']) {
    absent = ukWhoAbsent(method, sex, age)
    if (absent !== LOOKUP_OK) {
      return absent
    }
    table = UK_WHO_GRIDS[whoTables][ukWhoSegmentIndex(age)]?.[method]?.[sex]
  } else if (reference === REFERENCE_CODE['trisomy-21']) {
    absent = trisomy21Absent(method, age)
    if (absent !== LOOKUP_OK) {
      return absent
    }
    table = TRISOMY_21_GRID[method]?.[sex]
  } else {
    absent = turnerAbsent(method, sex, age)
    if (absent !== LOOKUP_OK) {
      return absent
    }
    table = TURNER_GRID[method]?.[sex]
  }
  if (!table) {
    throw new Error(
      `No LMS table for reference ${String(reference)}, method ${String(method)}, sex ${String(sex)} at age ${age}`,
    )
  }
  return table
}

/** Writes L, M, S for the lookup into out and returns LOOKUP_OK, or returns an error code. */
export function lookupLms(
  reference: ReferenceCode,
  method: MethodCode,
  sex: SexCode,
  age: number,
  whoTables: WhoTableMode,
  out: LmsOut,
): number {
  const table = selectTable(reference, method, sex, age, whoTables)
  if (typeof table === 'number') {
    return table
  }
  fetchLms(table, age, out)
  return LOOKUP_OK
}

/** A chart segment: its name in RCPCH chart data and its table (null where the reference has none). */
export interface ChartSegment {
  readonly name: string
  readonly table: LmsTable | null
  /** the part of the table drawn on the chart */
  readonly fromAge: number
  readonly toAge: number
}

/** The tables a chart is drawn from, one per segment, each drawn separately (RCPCH's deliberate steps). */
export function chartSegments(
  reference: ReferenceCode,
  method: MethodCode,
  sex: SexCode,
  whoTables: WhoTableMode,
): readonly ChartSegment[] {
  if (reference === REFERENCE_CODE['uk-who']) {
    const bounds = [
      [TWENTY_THREE_WEEKS_GESTATION, FORTY_TWO_WEEKS_GESTATION],
      [FORTY_TWO_WEEKS_GESTATION, WHO_CHILD_LOWER_THRESHOLD],
      [WHO_CHILD_LOWER_THRESHOLD, WHO_CHILDREN_UPPER_THRESHOLD],
      [WHO_CHILDREN_UPPER_THRESHOLD, UK90_UPPER_THRESHOLD],
    ] as const
    return UK_WHO_SEGMENTS.map((name, index) => {
      const table = UK_WHO_GRIDS[whoTables][index]?.[method]?.[sex] ?? null
      const [lower, upper] = bounds[index] ?? [0, 0]
      return segmentFor(name, table, lower, upper)
    })
  }
  const isTrisomy = reference === REFERENCE_CODE['trisomy-21']
  const table = (isTrisomy ? TRISOMY_21_GRID : TURNER_GRID)[method]?.[sex] ?? null
  return [segmentFor(isTrisomy ? 'trisomy-21' : 'turners-syndrome', table, 0, 20)]
}

function segmentFor(name: string, table: LmsTable | null, lower: number, upper: number): ChartSegment {
  if (!table) {
    return { name, table, fromAge: lower, toAge: upper }
  }
  const first = table.ages[0] ?? lower
  const last = table.ages[table.ages.length - 1] ?? upper
  return { name, table, fromAge: Math.max(first, lower), toAge: Math.min(last, upper) }
}
