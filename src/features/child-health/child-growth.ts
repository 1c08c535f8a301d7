import {
  calculateMeasurement,
  estimatedDateOfDelivery,
  formatIsoDate,
  measurementRequestSchema,
  parseIsoDate,
  type MeasurementMethod,
  type MeasurementResponse,
  type Sex,
} from './growth/index.js'

/**
 * A child's growth as the red book shows it: the facts the engine needs (date of birth, sex, gestation), one
 * calculation per measurement, and the RCPCH presentation rules (which ages to plot, how to write SDS and centiles).
 * No maths here: SDS, centiles, bands, ages and comments all come from the growth engine.
 */

export interface GrowthBasis {
  /** YYYY-MM-DD, or null when the date of birth is not recorded (nothing can be calculated). */
  birthDate: string | null
  /** null when the sex is not recorded (no UK-WHO reference applies, so no SDS or chart). */
  sex: Sex | null
  /** Gestation at birth; 40+0 when not recorded, as the RCPCH engine assumes. */
  gestationWeeks: number
  gestationDays: number
  gestationRecorded: boolean
}

/** Born before 37 completed weeks. */
export function isPreterm(basis: GrowthBasis): boolean {
  return basis.gestationRecorded && basis.gestationWeeks < 37
}

/** The due date (EDD) as YYYY-MM-DD, or null without a date of birth. */
export function dueDate(basis: GrowthBasis): string | null {
  const birth = basis.birthDate === null ? null : parseIsoDate(basis.birthDate)
  return birth === null
    ? null
    : formatIsoDate(estimatedDateOfDelivery(birth, basis.gestationWeeks, basis.gestationDays))
}

/**
 * The engine's full result for one measurement (the RCPCH API response), or null when it cannot be calculated: no
 * date of birth, no sex, or a date before birth.
 */
export function calculateGrowth(
  basis: GrowthBasis,
  method: MeasurementMethod,
  observationDate: string,
  value: number,
): MeasurementResponse | null {
  if (basis.birthDate === null || basis.sex === null || !(value > 0) || observationDate < basis.birthDate) {
    return null
  }
  const request = measurementRequestSchema.safeParse({
    birth_date: basis.birthDate,
    observation_date: observationDate,
    observation_value: value,
    sex: basis.sex,
    measurement_method: method,
    gestation_weeks: basis.gestationWeeks,
    gestation_days: basis.gestationDays,
  })
  return request.success ? calculateMeasurement(request.data) : null
}

/** The SDS the red book reports: at the age corrected for gestation, as UK-WHO does for every child. */
export function reportedSds(result: MeasurementResponse | null): number | null {
  return result?.measurement_calculated_values.corrected_sds ?? null
}

export type AgesShown = 'chronological' | 'corrected' | 'both'

/**
 * Which ages the chart plots by default (the RCPCH chart's rule): born at 40 weeks or later, chronological age only;
 * born before 37 weeks, both while the oldest point is under 2 years corrected and the points average at least
 * 2 weeks corrected; otherwise the corrected age only.
 */
export function defaultAgesShown(basis: GrowthBasis, correctedAges: readonly number[]): AgesShown {
  if (!basis.gestationRecorded || basis.gestationWeeks >= 40 || correctedAges.length === 0) {
    return 'chronological'
  }
  const oldest = Math.max(...correctedAges)
  const mean = correctedAges.reduce((sum, age) => sum + age, 0) / correctedAges.length
  if (basis.gestationWeeks < 37 && oldest < 2 && mean >= 14 / 365.25) {
    return 'both'
  }
  return 'corrected'
}

const minus = '\u2212'

/** An SDS to 2 decimal places with its sign: "+0.52", "−1.20" (a true minus sign), "0.00". */
export function formatSds(sds: number | null): string {
  if (sds === null || !Number.isFinite(sds)) {
    return 'Not available'
  }
  const text = Math.abs(sds).toFixed(2)
  if (text === '0.00') {
    return '0.00'
  }
  return `${sds < 0 ? minus : '+'}${text}`
}

/** A centile as RCPCH reports it: a whole number, "<0.4" or ">99.6" outside the chart, 1 d.p. between 0.4 and 1 or 99 and 99.6. */
export function formatCentile(centile: number | null): string {
  if (centile === null || !Number.isFinite(centile)) {
    return 'Not available'
  }
  if (centile < 0.4) {
    return 'below 0.4th'
  }
  if (centile > 99.6) {
    return 'above 99.6th'
  }
  if (centile < 1 || centile > 99) {
    return ordinal(Math.round(centile * 10) / 10)
  }
  return ordinal(Math.round(centile))
}

function ordinal(value: number): string {
  const whole = Number.isInteger(value)
  const text = whole ? String(value) : value.toFixed(1)
  if (!whole) {
    return `${text}th`
  }
  const lastTwo = value % 100
  if (lastTwo >= 11 && lastTwo <= 13) {
    return `${text}th`
  }
  switch (value % 10) {
    case 1:
      return `${text}st`
    case 2:
      return `${text}nd`
    case 3:
      return `${text}rd`
    default:
      return `${text}th`
  }
}

export const methodUnits: Record<MeasurementMethod, string> = { weight: 'kg', height: 'cm', ofc: 'cm', bmi: 'kg/m²' }

/** A value with its unit: weights to 3 decimal places at most (at least 2), lengths to 1 or 2, BMI to 1. */
export function formatValue(method: MeasurementMethod, value: number): string {
  let text: string
  if (method === 'weight') {
    text = value.toFixed(3).replace(/0$/, '')
  } else if (method === 'bmi') {
    text = value.toFixed(1)
  } else {
    text = value.toFixed(2).replace(/0$/, '')
  }
  return `${text} ${methodUnits[method]}`
}

export const methodNames: Record<MeasurementMethod, string> = {
  weight: 'Weight',
  height: 'Length or height',
  ofc: 'Head circumference',
  bmi: 'Body mass index (BMI)',
}

/** The measurement named in a sentence: "weight", "length or height", "head circumference". */
export const methodWords: Record<MeasurementMethod, string> = {
  weight: 'weight',
  height: 'length or height',
  ofc: 'head circumference',
  bmi: 'body mass index',
}
