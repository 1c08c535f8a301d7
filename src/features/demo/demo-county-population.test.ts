import { describe, expect, it } from 'vitest'
import { countyCalendar, expectedChildren, isoDate } from './demo-county-population.js'

describe('county calendar', () => {
  it('takes the latest complete EYFSP year and the under-fives on the day', () => {
    const november = countyCalendar(new Date('2026-11-24T10:00:00Z'))
    expect(november.academicYear).toBe('2025/26')
    expect(isoDate(november.receptionStartDay)).toBe('2020-09-01')
    expect(isoDate(november.receptionEndDay)).toBe('2021-08-31')
    expect(isoDate(november.underFiveStartDay)).toBe('2021-11-25')
    expect(isoDate(november.todayDay)).toBe('2026-11-24')

    const june = countyCalendar(new Date('2026-06-30T10:00:00Z'))
    expect(june.academicYear).toBe('2024/25')
    expect(isoDate(june.receptionStartDay)).toBe('2019-09-01')
    expect(isoDate(june.receptionEndDay)).toBe('2020-08-31')
    // The reception cohort never overlaps the under-fives.
    expect(june.receptionEndDay).toBeLessThan(june.underFiveStartDay)
  })

  it('expects ~38,000 children at scale 1 (about 6,500 births a year) and scales linearly', () => {
    const calendar = countyCalendar(new Date('2026-11-24T10:00:00Z'))
    expect(expectedChildren(1, calendar)).toBeGreaterThan(37_000)
    expect(expectedChildren(1, calendar)).toBeLessThan(40_000)
    expect(expectedChildren(90, calendar)).toBeCloseTo(90 * expectedChildren(1, calendar))
  })
})
