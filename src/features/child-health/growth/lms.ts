// LMS lookup and the LMS formulas, as rcpchgrowth global_functions.py (fetch_lms, cubic_interpolation,
// linear_interpolation, z_score, measurement_for_z). Allocation-free: results go into a caller-supplied array.
import { pyRound, pyRound4 } from './python-format.js'
import type { LmsTable } from './reference-tables.js'

/** [L, M, S] scratch type */
export type LmsOut = Float64Array

export function createLmsOut(): LmsOut {
  return new Float64Array(3)
}

function matchKey(table: LmsTable, age: number): number {
  return table.matchDigits === 4 ? pyRound4(age) : pyRound(age, 16)
}

/** Index of the last row whose age is < age, or -1 (binary search; rcpchgrowth scans linearly, same result). */
function lastRowBelow(ages: Float64Array, age: number): number {
  let low = 0
  let high = ages.length - 1
  if ((ages[0] ?? 0) >= age) {
    return -1
  }
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((ages[mid] ?? 0) < age) {
      low = mid
    } else {
      high = mid - 1
    }
  }
  return low
}

/**
 * The L, M and S for an age, written to out. RCPCH's rules:
 * 1. a row whose round(row age, 4) equals round(age, 4) (16 decimals in rcpchgrowth <= 4.4) is used unchanged;
 *    WHO's daily tables always match an age in whole days, so nothing is interpolated there;
 * 2. otherwise, with i the last row younger than the age, 4-point cubic Lagrange interpolation over rows
 *    i-1..i+2 when they exist (Cole's LMSgrowth method);
 * 3. otherwise (first interval, last two intervals) linear interpolation between rows i and i+1.
 * Ages past the last row hold the last row (rcpchgrowth raises an IndexError there; no date-derived age gets here).
 * Whole-day ages are served from a per-table memo of the same computation (identical numbers, no interpolation cost).
 */
export function fetchLms(table: LmsTable, age: number, out: LmsOut): void {
  // whole-day ages (every age computed from dates): daily tables are indexed by day, others use the day cache
  const day = Math.round(age * 365.25)
  if (day / 365.25 === age) {
    if (table.firstDay >= 0) {
      const row = day - table.firstDay
      if (row >= 0 && row < table.ages.length) {
        out[0] = table.l[row] ?? 0
        out[1] = table.m[row] ?? 0
        out[2] = table.s[row] ?? 0
        return
      }
    } else {
      const cache = table.dayCache ?? fillDayCache(table)
      const index = (day - table.dayCacheFirstDay) * 3
      if (index >= 0 && index < cache.length) {
        out[0] = cache[index] ?? 0
        out[1] = cache[index + 1] ?? 0
        out[2] = cache[index + 2] ?? 0
        return
      }
    }
  }
  interpolateLms(table, age, out)
}

/** Memoises interpolateLms for every whole day inside the table (a few thousand days, once per table). */
function fillDayCache(table: LmsTable): Float64Array {
  const firstDay = Math.ceil((table.ages[0] ?? 0) * 365.25)
  const lastDay = Math.floor((table.ages[table.ages.length - 1] ?? 0) * 365.25)
  const cache = new Float64Array(Math.max(0, lastDay - firstDay + 1) * 3)
  const lms = createLmsOut()
  for (let day = firstDay; day <= lastDay; day++) {
    interpolateLms(table, day / 365.25, lms)
    cache.set(lms, (day - firstDay) * 3)
  }
  table.dayCacheFirstDay = firstDay
  table.dayCache = cache
  return cache
}

/** The RCPCH lookup itself (see fetchLms). */
export function interpolateLms(table: LmsTable, age: number, out: LmsOut): void {
  const { ages, l, m, s } = table
  const n = ages.length
  const below = lastRowBelow(ages, age)
  const key = matchKey(table, age)
  // rcpchgrowth takes the first matching row in age order: only rows `below` and `below + 1` can be within 1e-4
  for (let row = below < 0 ? 0 : below; row <= below + 1 && row < n; row++) {
    if (table.matchAges[row] === key) {
      out[0] = l[row] ?? 0
      out[1] = m[row] ?? 0
      out[2] = s[row] ?? 0
      return
    }
  }

  const i = below < 0 ? 0 : below
  if (i + 1 >= n) {
    out[0] = l[n - 1] ?? 0
    out[1] = m[n - 1] ?? 0
    out[2] = s[n - 1] ?? 0
    return
  }
  if (i >= 1 && i < n - 2) {
    const t0 = ages[i - 1] ?? 0
    const t1 = ages[i] ?? 0
    const t2 = ages[i + 1] ?? 0
    const t3 = ages[i + 2] ?? 0
    out[0] = cubicInterpolation(age, t0, t1, t2, t3, l[i - 1] ?? 0, l[i] ?? 0, l[i + 1] ?? 0, l[i + 2] ?? 0)
    out[1] = cubicInterpolation(age, t0, t1, t2, t3, m[i - 1] ?? 0, m[i] ?? 0, m[i + 1] ?? 0, m[i + 2] ?? 0)
    out[2] = cubicInterpolation(age, t0, t1, t2, t3, s[i - 1] ?? 0, s[i] ?? 0, s[i + 1] ?? 0, s[i + 2] ?? 0)
    return
  }
  const x0 = ages[i] ?? 0
  const x1 = ages[i + 1] ?? 0
  out[0] = linearInterpolation(age, x0, x1, l[i] ?? 0, l[i + 1] ?? 0)
  out[1] = linearInterpolation(age, x0, x1, m[i] ?? 0, m[i + 1] ?? 0)
  out[2] = linearInterpolation(age, x0, x1, s[i] ?? 0, s[i + 1] ?? 0)
}

/** Cole's 4-point Lagrange interpolation, with rcpchgrowth's order of operations (bit-for-bit the same doubles). */
export function cubicInterpolation(
  t: number,
  ageTwoBelow: number,
  ageOneBelow: number,
  ageOneAbove: number,
  ageTwoAbove: number,
  p0: number,
  p1: number,
  p2: number,
  p3: number,
): number {
  const tt0 = t - ageTwoBelow
  const tt1 = t - ageOneBelow
  const tt2 = t - ageOneAbove
  const tt3 = t - ageTwoAbove
  const t01 = ageTwoBelow - ageOneBelow
  const t02 = ageTwoBelow - ageOneAbove
  const t03 = ageTwoBelow - ageTwoAbove
  const t12 = ageOneBelow - ageOneAbove
  const t13 = ageOneBelow - ageTwoAbove
  const t23 = ageOneAbove - ageTwoAbove
  return (
    (p0 * tt1 * tt2 * tt3) / t01 / t02 / t03 -
    (p1 * tt0 * tt2 * tt3) / t01 / t12 / t13 +
    (p2 * tt0 * tt1 * tt3) / t02 / t12 / t23 -
    (p3 * tt0 * tt1 * tt2) / t03 / t13 / t23
  )
}

/** scipy interp1d linear: slope * (x - x0) + y0. */
export function linearInterpolation(x: number, x0: number, x1: number, y0: number, y1: number): number {
  const slope = (y1 - y0) / (x1 - x0)
  return slope * (x - x0) + y0
}

/** SDS from LMS: ((X/M)^L − 1)/(L·S), or ln(X/M)/S when L = 0. No SD23 adjustment in UK-WHO. */
export function zScore(l: number, m: number, s: number, observation: number): number {
  if (l !== 0) {
    return ((observation / m) ** l - 1) / (l * s)
  }
  return Math.log(observation / m) / s
}

/** Measurement for an SDS: M(1 + L·S·z)^(1/L), or M·exp(S·z) when L = 0; null when 1 + L·S·z < 0. */
export function measurementForZ(z: number, l: number, m: number, s: number): number | null {
  if (l !== 0) {
    const firstStep = 1 + l * s * z
    if (firstStep < 0) {
      return null
    }
    return firstStep ** (1 / l) * m
  }
  return Math.exp(s * z) * m
}
