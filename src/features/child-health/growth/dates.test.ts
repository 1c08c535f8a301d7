import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  calendarAge,
  chronologicalDecimalAge,
  civilFromDays,
  correctedDecimalAge,
  correctedGestationalAge,
  daysFromCivil,
  estimatedDateOfDelivery,
  formatEddString,
  formatIsoDate,
  parseIsoDate,
  relativeDelta,
} from './dates.js'
import { pyFloatRepr, pyRound, pyRound4 } from './python-format.js'

const day = (iso: string): number => {
  const value = parseIsoDate(iso)
  if (value === null) {
    throw new Error(`bad date ${iso}`)
  }
  return value
}

describe('day numbers', () => {
  it('round-trips civil dates and agrees with the epoch', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0)
    expect(daysFromCivil(2000, 3, 1)).toBe(11017)
    for (let n = -800_000; n <= 800_000; n += 997) {
      const { year, month, day: d } = civilFromDays(n)
      expect(daysFromCivil(year, month, d)).toBe(n)
    }
  })

  it('parses ISO dates strictly, truncating datetimes at T', () => {
    expect(parseIsoDate('2020-02-29')).toBe(day('2020-02-29'))
    expect(parseIsoDate('2020-04-12T10:30:00Z')).toBe(day('2020-04-12'))
    for (const bad of [
      '2019-02-29',
      '2020-13-01',
      '2020-00-10',
      '2020-4-1',
      '12/04/2020',
      '',
      '2020-04-12x',
      '0000-01-01',
    ]) {
      expect(parseIsoDate(bad), bad).toBeNull()
    }
    expect(formatIsoDate(day('0999-01-02'))).toBe('0999-01-02')
  })

  it("formats the due date as strftime('%a %d %B, %Y')", () => {
    expect(formatEddString(day('2015-06-15'))).toBe('Mon 15 June, 2015')
    expect(formatEddString(day('2015-06-01'))).toBe('Mon 01 June, 2015')
    expect(formatEddString(day('2020-01-01'))).toBe('Wed 01 January, 2020')
    expect(formatEddString(day('1969-12-31'))).toBe('Wed 31 December, 1969')
  })
})

describe('RCPCH ages (rcpchgrowth tests/test_dates.py vectors)', () => {
  it('decimal ages are whole days / 365.25', () => {
    expect(chronologicalDecimalAge(day('2009-04-01'), day('2010-02-19'))).toBe(0.8870636550308009)
    expect(chronologicalDecimalAge(day('2009-01-03'), day('2011-10-03'))).toBe(2.746064339493498)
    expect(chronologicalDecimalAge(day('2009-01-03'), day('2013-11-20'))).toBe(4.878850102669404)
    expect(chronologicalDecimalAge(day('2010-12-03'), day('2010-12-20'))).toBe(0.04654346338124572)
    expect(correctedDecimalAge(day('2010-12-03'), day('2010-12-20'), 27, 0)).toBe(-0.2026009582477755)
    expect(formatIsoDate(estimatedDateOfDelivery(day('2010-12-03'), 27, 0))).toBe('2011-03-04')
  })

  it('corrects term and post-term babies too, and treats 0 weeks as 40+0', () => {
    expect(correctedDecimalAge(day('2020-01-01'), day('2020-01-01'), 42, 0)).toBe(14 / 365.25)
    expect(correctedDecimalAge(day('2020-01-01'), day('2020-01-01'), 37, 4)).toBe(-17 / 365.25)
    expect(correctedDecimalAge(day('2020-01-01'), day('2020-02-01'), 0, 0)).toBe(31 / 365.25)
    // no upper age limit: a 24-weeker is still corrected at 15 years
    const birth = day('2005-01-01')
    expect(
      chronologicalDecimalAge(birth, day('2020-01-01')) - correctedDecimalAge(birth, day('2020-01-01'), 24, 0),
    ).toBeCloseTo(112 / 365.25, 12)
  })

  it('reports corrected gestational age only before 42+1 weeks and before the due date + 14 days', () => {
    const birth = day('2020-01-01')
    expect(correctedGestationalAge(birth, birth, 30, 2)).toEqual({
      corrected_gestation_weeks: 30,
      corrected_gestation_days: 2,
    })
    expect(correctedGestationalAge(birth, birth + 33, 30, 2)).toEqual({
      corrected_gestation_weeks: 35,
      corrected_gestation_days: 0,
    })
    expect(correctedGestationalAge(birth, birth + 81, 30, 2)).toEqual({
      corrected_gestation_weeks: 41,
      corrected_gestation_days: 6,
    })
    // the due date is birth + 68 days: from due date + 14 days (42+0) there is no corrected gestational age
    expect(correctedGestationalAge(birth, birth + 82, 30, 2)).toEqual({
      corrected_gestation_weeks: null,
      corrected_gestation_days: null,
    })
    expect(correctedGestationalAge(birth, birth, 42, 0)).toEqual({
      corrected_gestation_weeks: null,
      corrected_gestation_days: null,
    })
  })
})

describe('calendar age', () => {
  it('matches python-dateutil relativedelta on 3,000 date pairs', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('./fixtures/relativedelta-dateutil.json', import.meta.url), 'utf8'),
    ) as { pairs: [string, string, number, number, number][] }
    const mismatches = fixture.pairs.filter(([from, to, years, months, days]) => {
      const delta = relativeDelta(day(from), day(to))
      return delta.years !== years || delta.months !== months || delta.days !== days
    })
    expect(mismatches).toEqual([])
  })

  it("uses rcpchgrowth's chronological_calendar_age wording", () => {
    expect(calendarAge(day('2020-01-01'), day('2020-01-01'))).toBe('Birth date')
    expect(calendarAge(day('2020-01-01'), day('2020-01-02'))).toBe('1 day')
    expect(calendarAge(day('2020-01-01'), day('2020-01-07'))).toBe('6 days')
    expect(calendarAge(day('2020-01-01'), day('2020-01-08'))).toBe('1 week')
    expect(calendarAge(day('2020-01-01'), day('2020-01-16'))).toBe('2 weeks and 1 day')
    expect(calendarAge(day('2020-01-01'), day('2020-02-01'))).toBe('1 month')
    expect(calendarAge(day('2020-01-31'), day('2020-02-29'))).toBe('1 month')
    expect(calendarAge(day('2020-01-01'), day('2021-01-01'))).toBe('1 year')
    expect(calendarAge(day('2015-06-15'), day('2025-06-14'))).toBe('9 years, 11 months, 4 weeks and 2 days')
    expect(calendarAge(day('2015-06-15'), day('2017-08-09'))).toBe('2 years, 1 month, 3 weeks and 4 days')
    expect(calendarAge(day('2020-02-26'), day('2020-07-01'))).toBe('4 months and 5 days')
    expect(() => calendarAge(day('2020-01-02'), day('2020-01-01'))).toThrow(
      'Birth date cannot be after the date of observation.',
    )
  })
})

describe('Python number semantics', () => {
  it('round(x, n) rounds the exact binary value, ties to even', () => {
    expect(pyRound(0.125, 2)).toBe(0.12)
    expect(pyRound(0.375, 2)).toBe(0.38)
    expect(pyRound(2.5, 0)).toBe(2)
    expect(pyRound(3.5, 0)).toBe(4)
    expect(pyRound(0.15, 1)).toBe(0.1) // 0.1499999999999999944...
    expect(pyRound(0.45, 1)).toBe(0.5) // 0.4500000000000000111...
    expect(pyRound(-0.375, 2)).toBe(-0.38)
    expect(pyRound(99.99876, 4)).toBe(99.9988)
    expect(pyRound4(42.34725)).toBe(42.3473)
    for (const x of [0.00005, 1.23456789, -0.3258042436687201, 19.99986310746, 0.0383299110198494]) {
      expect(pyRound4(x)).toBe(pyRound(x, 4))
    }
  })

  it('repr() of floats as Python prints them in messages', () => {
    expect(pyFloatRepr(20)).toBe('20.0')
    expect(pyFloatRepr(34.5)).toBe('34.5')
    expect(pyFloatRepr(-1.5)).toBe('-1.5')
    expect(pyFloatRepr(0.0001)).toBe('0.0001')
    expect(pyFloatRepr(0.00001)).toBe('1e-05')
    expect(pyFloatRepr(1.5e-7)).toBe('1.5e-07')
    expect(pyFloatRepr(1e16)).toBe('1e+16')
    expect(pyFloatRepr(123456789012345.6)).toBe('123456789012345.6')
  })
})
