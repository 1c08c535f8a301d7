// The one numeric core shared by the API-shaped calculation, the bulk fast path, the CSV and the charts:
// LMS lookup -> SDS, SDS -> measurement, median. Allocation-free; errors are codes (see growth-reference.ts).
import { LOOKUP_OK, lookupLms, REFERENCE_ERROR_MESSAGES } from './growth-reference.js'
import { createLmsOut, measurementForZ, zScore } from './lms.js'
import type { MethodCode, ReferenceCode, SexCode, WhoTableMode } from './growth-types.js'

const lms = createLmsOut()
let lastError = LOOKUP_OK

/**
 * SDS of a measurement at a decimal age (corrected or chronological), or NaN when the reference has no data at that
 * age; lastLookupError() then gives the reason. rcpchgrowth sds_for_measurement().
 */
export function sdsFor(
  reference: ReferenceCode,
  method: MethodCode,
  sex: SexCode,
  age: number,
  value: number,
  whoTables: WhoTableMode = 'daily',
): number {
  lastError = lookupLms(reference, method, sex, age, whoTables, lms)
  if (lastError !== LOOKUP_OK) {
    return Number.NaN
  }
  return zScore(lms[0] ?? 0, lms[1] ?? 0, lms[2] ?? 0, value)
}

/** Measurement for an SDS at an age, or NaN (no reference data, or no value for that SDS). rcpchgrowth measurement_from_sds() before rounding. */
export function measurementForSds(
  reference: ReferenceCode,
  method: MethodCode,
  sex: SexCode,
  age: number,
  sds: number,
  whoTables: WhoTableMode = 'daily',
): number {
  lastError = lookupLms(reference, method, sex, age, whoTables, lms)
  if (lastError !== LOOKUP_OK) {
    return Number.NaN
  }
  return measurementForZ(sds, lms[0] ?? 0, lms[1] ?? 0, lms[2] ?? 0) ?? Number.NaN
}

/** The reference median (M) at an age, or NaN. */
export function medianFor(
  reference: ReferenceCode,
  method: MethodCode,
  sex: SexCode,
  age: number,
  whoTables: WhoTableMode = 'daily',
): number {
  lastError = lookupLms(reference, method, sex, age, whoTables, lms)
  if (lastError !== LOOKUP_OK) {
    return Number.NaN
  }
  return lms[1] ?? Number.NaN
}

/** Error code of the last sdsFor/measurementForSds/medianFor call (0 when it succeeded). */
export function lastLookupError(): number {
  return lastError
}

/** RCPCH's message for an error code. */
export function lookupErrorMessage(code: number): string {
  return REFERENCE_ERROR_MESSAGES[code] ?? 'Unknown reference lookup error.'
}
