// Bulk fast path: one full measurement (both ages, SDS, centile, band) from integer day numbers into a reusable
// result object. No Date objects and no allocation per call. Uses the same core as calculateMeasurement(), so the
// numbers are identical (the API additionally rounds centiles to 4 d.p., as the RCPCH API does).
import { BAND_CODE, BAND_TEXTS, bandCodeForSds, centileForSds } from './centiles.js'
import { DAYS_PER_YEAR, TERM_PREGNANCY_LENGTH_DAYS } from './dates.js'
import { lastLookupError, sdsFor } from './growth-core.js'
import type { MethodCode, ReferenceCode, SexCode, WhoTableMode } from './growth-types.js'

/** Error code used when the observation is before birth ("Dates error. Calculations impossible."). */
export const DATES_ERROR = -1

export interface FastMeasurement {
  chronologicalAge: number
  correctedAge: number
  chronologicalSds: number
  chronologicalCentile: number
  chronologicalBand: string | null
  /** 0, a reference error code (growth-reference.ts) or DATES_ERROR */
  chronologicalError: number
  correctedSds: number
  correctedCentile: number
  correctedBand: string | null
  correctedError: number
}

export function createFastMeasurement(): FastMeasurement {
  return {
    chronologicalAge: Number.NaN,
    correctedAge: Number.NaN,
    chronologicalSds: Number.NaN,
    chronologicalCentile: Number.NaN,
    chronologicalBand: null,
    chronologicalError: 0,
    correctedSds: Number.NaN,
    correctedCentile: Number.NaN,
    correctedBand: null,
    correctedError: 0,
  }
}

function bandText(method: MethodCode, sds: number): string | null {
  const code = bandCodeForSds(sds)
  return code === BAND_CODE.none ? null : (BAND_TEXTS[method]?.[code] ?? null)
}

/**
 * Computes a measurement into `out`. Dates are day numbers (dates.ts daysFromCivil/parseIsoDate); gestation 0 weeks
 * means term (40+0, days kept, as rcpchgrowth). SDS, centile and band are NaN/null where the reference has no data.
 */
export function calculateFast(
  reference: ReferenceCode,
  method: MethodCode,
  sex: SexCode,
  birthDay: number,
  observationDay: number,
  gestationWeeks: number,
  gestationDays: number,
  value: number,
  out: FastMeasurement,
  whoTables: WhoTableMode = 'daily',
): void {
  const weeks = gestationWeeks === 0 ? 40 : gestationWeeks
  const eddDay = birthDay + TERM_PREGNANCY_LENGTH_DAYS - (weeks * 7 + gestationDays)
  out.chronologicalAge = (observationDay - birthDay) / DAYS_PER_YEAR
  if (birthDay > observationDay) {
    out.correctedAge = Number.NaN
    out.chronologicalSds = out.chronologicalCentile = out.correctedSds = out.correctedCentile = Number.NaN
    out.chronologicalBand = out.correctedBand = null
    out.chronologicalError = out.correctedError = DATES_ERROR
    return
  }
  out.correctedAge = (observationDay - eddDay) / DAYS_PER_YEAR

  const correctedSds = sdsFor(reference, method, sex, out.correctedAge, value, whoTables)
  out.correctedError = lastLookupError()
  out.correctedSds = correctedSds
  out.correctedCentile = centileForSds(correctedSds)
  out.correctedBand = bandText(method, correctedSds)

  const chronologicalSds = sdsFor(reference, method, sex, out.chronologicalAge, value, whoTables)
  out.chronologicalError = lastLookupError()
  out.chronologicalSds = chronologicalSds
  out.chronologicalCentile = centileForSds(chronologicalSds)
  out.chronologicalBand = bandText(method, chronologicalSds)
}
