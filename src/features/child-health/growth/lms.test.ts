import { describe, expect, it } from 'vitest'
import {
  createLmsOut,
  cubicInterpolation,
  fetchLms,
  interpolateLms,
  linearInterpolation,
  measurementForZ,
  zScore,
} from './lms.js'
import { TABLES } from './reference-tables.js'
import type { LmsTable, TablesByMethodAndSex } from './reference-tables.js'

const allTables = (group: TablesByMethodAndSex): LmsTable[] =>
  Object.values(group).flatMap(bySex => Object.values(bySex).filter((t): t is LmsTable => t !== null))

describe('LMS formulas', () => {
  it('z-score and its inverse, including L = 0', () => {
    expect(zScore(1, 100, 0.05, 105)).toBeCloseTo(1, 14)
    expect(zScore(0, 100, 0.1, 100 * Math.exp(0.2))).toBeCloseTo(2, 14)
    expect(measurementForZ(2, 0, 100, 0.1)).toBeCloseTo(100 * Math.exp(0.2), 12)
    expect(measurementForZ(-3, -1.5, 16, 0.08)).toBeCloseTo(16 * (1 + 1.5 * 0.08 * 3) ** (1 / -1.5), 12)
    // no measurement where 1 + L·S·z < 0
    expect(measurementForZ(-30, 1, 100, 0.05)).toBeNull()
  })

  it('cubic Lagrange interpolation is exact for cubics, on uneven spacing', () => {
    const f = (t: number) => 2 - 3 * t + 0.5 * t * t + 0.25 * t ** 3
    const [t0, t1, t2, t3] = [0.25, 0.26, 0.3333, 0.5]
    for (const t of [0.255, 0.29, 0.31, 0.4]) {
      expect(cubicInterpolation(t, t0, t1, t2, t3, f(t0), f(t1), f(t2), f(t3))).toBeCloseTo(f(t), 12)
    }
    expect(linearInterpolation(1.5, 1, 2, 10, 20)).toBe(15)
  })
})

describe('table lookup', () => {
  const memoised = [
    ...allTables(TABLES.uk90Preterm),
    ...allTables(TABLES.uk90Child),
    ...allTables(TABLES.trisomy21),
    ...allTables(TABLES.turner),
    ...allTables(TABLES.legacy.whoInfant),
    ...allTables(TABLES.legacy.whoChild),
  ]

  it('the whole-day memo gives exactly the interpolated values, every day of every table', () => {
    const cached = createLmsOut()
    const direct = createLmsOut()
    let days = 0
    for (const table of memoised) {
      const first = Math.ceil((table.ages[0] ?? 0) * 365.25)
      const last = Math.floor((table.ages[table.ages.length - 1] ?? 0) * 365.25)
      for (let day = first; day <= last; day++) {
        fetchLms(table, day / 365.25, cached)
        interpolateLms(table, day / 365.25, direct)
        if (cached[0] !== direct[0] || cached[1] !== direct[1] || cached[2] !== direct[2]) {
          throw new Error(`${table.name} day ${day}: ${String(cached)} != ${String(direct)}`)
        }
        days++
      }
    }
    expect(days).toBeGreaterThan(60_000)
  })

  it('uses a row unchanged when round(age, 4) matches it, and interpolates otherwise', () => {
    const table = TABLES.trisomy21.height.male
    if (!table) {
      throw new Error('missing table')
    }
    const out = createLmsOut()
    // 0.08 years is a row; 0.08004 rounds to it (rcpchgrowth >= 4.5 compares ages at 4 decimals)
    fetchLms(table, 0.08004, out)
    expect([...out]).toEqual([table.l[1], table.m[1], table.s[1]])
    fetchLms(table, 0.0801, out)
    expect(out[1]).not.toBe(table.m[1])
  })

  it('looks WHO daily tables up by day', () => {
    const table = TABLES.whoDailyInfant.weight.female
    if (!table) {
      throw new Error('missing table')
    }
    const out = createLmsOut()
    fetchLms(table, 100 / 365.25, out)
    expect([...out]).toEqual([table.l[100], table.m[100], table.s[100]])
  })
})
