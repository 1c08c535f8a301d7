import { describe, expect, it } from 'vitest'
import {
  describeAge,
  displayLinkCode,
  formatDate,
  formatNhsNumber,
  hashLinkCode,
  linkCodeAlphabet,
  newLinkCode,
  normaliseLinkCode,
  postcodeDistrict,
  todayInEngland,
} from './family.js'

describe('describeAge', () => {
  it.each([
    ['2025-03-15', '2025-03-20', 'under 1 month'],
    ['2025-03-15', '2025-04-14', 'under 1 month'],
    ['2025-03-15', '2025-04-15', '1 month'],
    ['2025-01-31', '2025-06-30', '4 months'],
    ['2024-03-15', '2025-03-15', '1 year'],
    ['2023-02-10', '2025-05-11', '2 years 3 months'],
    ['2024-02-29', '2025-02-28', '11 months'],
    ['2025-09-01', '2025-08-01', 'not born yet'],
  ])('born %s, on %s: %s', (born, today, expected) => {
    expect(describeAge(born, today)).toBe(expected)
  })

  it('says when the date of birth is not recorded', () => {
    expect(describeAge(null, '2025-01-01')).toBe('age not recorded')
  })
})

describe('formatting', () => {
  it('writes NHS numbers 3-3-4 and refuses anything that is not 10 digits', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919')
    expect(formatNhsNumber('943476591')).toBeUndefined()
    expect(formatNhsNumber(null)).toBeUndefined()
  })

  it('keeps only the outward part of a postcode', () => {
    expect(postcodeDistrict('SW1A 1AA')).toBe('SW1A')
    expect(postcodeDistrict('m11ae')).toBe('M1')
    expect(postcodeDistrict(' B33 8TH ')).toBe('B33')
    expect(postcodeDistrict('AB1')).toBeUndefined()
    expect(postcodeDistrict(null)).toBeUndefined()
  })

  it('writes dates the GOV.UK way, in England’s time zone', () => {
    expect(formatDate('2024-03-03')).toBe('3 March 2024')
    expect(formatDate(new Date('2024-06-30T23:30:00Z'))).toBe('1 July 2024')
    expect(todayInEngland(new Date('2024-06-30T23:30:00Z'))).toBe('2024-07-01')
  })
})

describe('link codes', () => {
  it('are 8 characters from the unambiguous alphabet', () => {
    for (let index = 0; index < 200; index++) {
      expect(newLinkCode()).toMatch(new RegExp(`^[${linkCodeAlphabet}]{8}$`))
    }
    expect(linkCodeAlphabet).not.toMatch(/[01258BILOSZ]/)
  })

  it('are hashed in their normalised form, so spacing and case do not matter', () => {
    const code = newLinkCode()
    expect(normaliseLinkCode(` ${displayLinkCode(code).toLowerCase()} `)).toBe(code)
    expect(hashLinkCode(displayLinkCode(code).toLowerCase())).toBe(hashLinkCode(code))
    expect(hashLinkCode(code)).toMatch(/^[0-9a-f]{64}$/)
    expect(hashLinkCode(code)).not.toContain(code)
  })
})
