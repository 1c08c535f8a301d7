// Centiles, RCPCH centile-band wording and chart centile lines (rcpchgrowth centile_bands.py, chart_functions.py).
import { chartSegments } from './growth-reference.js'
import { createLmsOut, fetchLms, measurementForZ } from './lms.js'
import { normalCdf, normalQuantile } from './normal.js'
import { pyRound } from './python-format.js'
import { METHOD_CODE, REFERENCE_CODE, SEX_CODE, SEXES, MEASUREMENT_METHODS } from './growth-types.js'
import type { GrowthReference, MeasurementMethod, Sex, WhoTableMode } from './growth-types.js'

/** Centile (0-100) for an SDS: Φ(z) × 100, unrounded (rcpchgrowth centile()). */
export function centileForSds(z: number): number {
  return normalCdf(z) * 100
}

/** SDS for a centile (0-100): Φ⁻¹(c / 100) (rcpchgrowth sds_for_centile()). */
export function sdsForCentile(centile: number): number {
  return normalQuantile(centile / 100)
}

/** Cole's nine-centile collection: 0.4th to 99.6th, lines 2/3 SD apart. */
export const COLE_NINE_CENTILES = [0.4, 2, 9, 25, 50, 75, 91, 98, 99.6] as const
const COLE_LABELS = ['0.4th', '2nd', '9th', '25th', '50th', '75th', '91st', '98th', '99.6th'] as const

/** The nine line SDS: the centile's SDS rounded to the nearest 2/3 SD (rcpchgrowth rounded_sds_for_centile). */
export const COLE_NINE_SDS: readonly number[] = COLE_NINE_CENTILES.map(centile => {
  const sds = sdsForCentile(centile)
  return sds === 0 ? 0 : Math.round(sds / (2 / 3)) * (2 / 3)
})

// "On the centile" is within a quarter of a centile space (0.25 × 0.666 SD) of the line; the windows are
// half-open [lower, upper); between two windows the measurement is "between" the centiles.
const QUARTER_DISTANCE = 0.25 * 0.666
const BAND_EDGES: readonly number[] = COLE_NINE_SDS.flatMap(sds => [sds - QUARTER_DISTANCE, sds + QUARTER_DISTANCE])
const LOWEST_EDGE = BAND_EDGES[0] ?? 0
const HIGHEST_EDGE = BAND_EDGES[BAND_EDGES.length - 1] ?? 0

/** rcpchgrowth >= 4.2: beyond ±4 SD a measurement is flagged as well outside the normal range (advisory). */
export const ADVISORY_SDS = 4

export const BAND_CODE = {
  none: -1,
  wellOutside: 0,
  wellBelow: 1,
  below: 2,
  above: 3,
  wellAbove: 4,
  // 5..21: the 17 ranges between consecutive band edges (even = on a centile, odd = between two)
  firstRange: 5,
} as const

/**
 * Band code for an SDS:
 * - |z| > 4: "well outside the normal range. Please check its accuracy." (advisory, rcpchgrowth >= 4.2);
 * - z <= lowest window edge: below the normal range; z > highest window edge: above the normal range;
 * - inside a window [lower, upper): on or near that centile; otherwise between the two neighbouring centiles.
 * z exactly on the highest edge matches no branch in RCPCH's code and has no band (null), kept as is.
 */
export function bandCodeForSds(z: number): number {
  if (Number.isNaN(z)) {
    return BAND_CODE.none
  }
  if (z > ADVISORY_SDS || z < -ADVISORY_SDS) {
    return BAND_CODE.wellOutside
  }
  if (z <= -6) {
    return BAND_CODE.wellBelow
  }
  if (z > 6) {
    return BAND_CODE.wellAbove
  }
  if (z <= LOWEST_EDGE) {
    return BAND_CODE.below
  }
  if (z > HIGHEST_EDGE) {
    return BAND_CODE.above
  }
  for (let r = 0; r < BAND_EDGES.length - 1; r++) {
    if ((BAND_EDGES[r] ?? 0) <= z && z < (BAND_EDGES[r + 1] ?? 0)) {
      return BAND_CODE.firstRange + r
    }
  }
  return BAND_CODE.none
}

const METHOD_WORDS: Readonly<Record<MeasurementMethod, string>> = {
  height: 'height',
  weight: 'weight',
  bmi: 'body mass index',
  ofc: 'head circumference',
}

function bandTexts(method: MeasurementMethod): readonly string[] {
  const m = METHOD_WORDS[method]
  const texts = [
    `This ${m} measurement is well outside the normal range. Please check its accuracy.`,
    `This ${m} measurement is well below the normal range. Please review its accuracy.`,
    `This ${m} measurement is below the normal range.`,
    `This ${m} measurement is above the normal range.`,
    `This ${m} measurement is well above the normal range. Please review its accuracy.`,
  ]
  for (let r = 0; r < BAND_EDGES.length - 1; r++) {
    if (r % 2 === 0) {
      texts.push(`This ${m} measurement is on or near the ${COLE_LABELS[r / 2] ?? ''} centile.`)
    } else {
      const lower = COLE_LABELS[(r - 1) / 2] ?? ''
      const upper = COLE_LABELS[(r + 1) / 2] ?? ''
      texts.push(`This ${m} measurement is between the ${lower} and ${upper} centiles.`)
    }
  }
  return texts
}

/** Precomputed band texts per measurement method code, indexed by band code. */
export const BAND_TEXTS: readonly (readonly string[])[] = MEASUREMENT_METHODS.map(bandTexts)

/** RCPCH centile-band wording for an SDS (null when there is none). */
export function centileBandForSds(z: number, method: MeasurementMethod): string | null {
  const code = bandCodeForSds(z)
  return code === BAND_CODE.none ? null : (BAND_TEXTS[METHOD_CODE[method]]?.[code] ?? null)
}

// ---- chart lines ----

export interface CentileLinePoint {
  /** label: the centile, or the SDS for SDS lines */
  readonly l: number
  /** decimal age, 4 d.p. */
  readonly x: number
  /** measurement, 4 d.p.; null where the LMS formula has no value */
  readonly y: number | null
}

export interface CentileLine {
  /** SDS of the line, 2 d.p. */
  readonly sds: number
  readonly centile: number
  /** null where the reference has no data for this segment (e.g. BMI below 2 weeks) */
  readonly data: readonly CentileLinePoint[] | null
}

export type ChartLinesBySegment = Record<string, Record<Sex, Record<MeasurementMethod, CentileLine[] | null> | null>>

export interface CentileLineOptions {
  readonly reference?: GrowthReference
  readonly measurementMethod: MeasurementMethod
  readonly sex: Sex
  /** 'cole-nine-centiles' (default), 'sds' (whole SDS lines −4…+4), or custom centiles (or SDS with isSds). */
  readonly centileFormat?: 'cole-nine-centiles' | 'sds' | readonly number[]
  readonly isSds?: boolean
  /**
   * WHO tables for 2 weeks-4 years. Defaults to 'interpolated', which reproduces the RCPCH API's published chart
   * lines (chart-data/cole-nine-centiles-uk-who-*.json) to 4 d.p.; 'daily' draws from WHO's daily tables.
   */
  readonly whoTables?: WhoTableMode
}

/** Ages a segment is drawn at: weekly to 2 years, then monthly, from the segment's first age, plus its last age. */
export function chartAges(fromAge: number, toAge: number): number[] {
  const ages: number[] = []
  let age = fromAge
  while (age <= toAge) {
    ages.push(age)
    age += age <= 2 ? 7 / 365.25 : 1 / 12
  }
  ages.push(toAge)
  return ages
}

/**
 * Centile lines in the RCPCH chart-coordinates shape: one entry per reference segment, each drawn from its own table
 * (so the lines step at 2 weeks, 2 years and 4 years as on the printed charts). The nine Cole lines sit at exact
 * multiples of 2/3 SD (±8/3, ±2, ±4/3, ±2/3, 0), as in the API's published chart data.
 */
export function createCentileLines(options: CentileLineOptions): ChartLinesBySegment[] {
  const reference = options.reference ?? 'uk-who'
  const whoTables = options.whoTables ?? 'interpolated'
  const format = options.centileFormat ?? 'cole-nine-centiles'
  const lines: { z: number; centile: number; label: number }[] = []
  if (format === 'cole-nine-centiles') {
    COLE_NINE_CENTILES.forEach((centile, i) => {
      lines.push({ z: COLE_NINE_SDS[i] ?? 0, centile, label: centile })
    })
  } else if (format === 'sds') {
    for (let z = -4; z <= 4; z++) {
      lines.push({ z, centile: centileForSds(z), label: z })
    }
  } else if (options.isSds) {
    for (const z of format) {
      lines.push({ z, centile: centileForSds(z), label: pyRound(z, 3) })
    }
  } else {
    for (const centile of format) {
      lines.push({ z: sdsForCentile(centile), centile, label: centile })
    }
  }

  const lms = createLmsOut()
  const segments = chartSegments(
    REFERENCE_CODE[reference],
    METHOD_CODE[options.measurementMethod],
    SEX_CODE[options.sex],
    whoTables,
  )
  return segments.map(segment => {
    const table = segment.table
    const ages = table ? chartAges(segment.fromAge, segment.toAge) : []
    const segmentLines: CentileLine[] = lines.map(line => ({
      sds: pyRound(line.z * 100, 0) / 100,
      centile: line.centile,
      data: table
        ? ages.map(age => {
            fetchLms(table, age, lms)
            const value = measurementForZ(line.z, lms[0] ?? 0, lms[1] ?? 0, lms[2] ?? 0)
            return { l: line.label, x: pyRound(age, 4), y: value === null ? null : pyRound(value, 4) }
          })
        : null,
    }))
    const bySex = {} as Record<Sex, Record<MeasurementMethod, CentileLine[] | null> | null>
    for (const sex of SEXES) {
      if (sex !== options.sex) {
        bySex[sex] = null
        continue
      }
      const byMethod = {} as Record<MeasurementMethod, CentileLine[] | null>
      for (const method of MEASUREMENT_METHODS) {
        byMethod[method] = method === options.measurementMethod ? segmentLines : null
      }
      bySex[sex] = byMethod
    }
    return { [segment.name]: bySex }
  })
}
