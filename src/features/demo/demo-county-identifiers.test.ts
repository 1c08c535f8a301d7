import { describe, expect, it } from 'vitest'
import {
  createIdGenerator,
  createNhsNumberGenerator,
  isValidNhsNumber,
  nhsCheckDigit,
} from './demo-county-identifiers.js'

describe('NHS numbers', () => {
  it('computes the modulus 11 check digit', () => {
    // The NHS's published worked example: 943 476 5919.
    expect(nhsCheckDigit('943476591')).toBe(9)
    expect(isValidNhsNumber('9434765919')).toBe(true)
    expect(isValidNhsNumber('9434765918')).toBe(false)
    expect(isValidNhsNumber('943476591')).toBe(false)
    // A remainder of 1 gives check digit 10: no valid number has those nine digits.
    expect(nhsCheckDigit('999000000')).toBe(null)
  })

  it('issues valid, unique, fictional (999…) numbers, the same for the same seed', () => {
    const next = createNhsNumberGenerator(1)
    const issued = new Set<string>()
    let invalid = 0
    for (let i = 0; i < 200_000; i++) {
      const value = next()
      if (!value.startsWith('999') || !isValidNhsNumber(value)) {
        invalid++
      }
      issued.add(value)
    }
    expect(invalid).toBe(0)
    expect(issued.size).toBe(200_000)
    const again = createNhsNumberGenerator(1)
    const other = createNhsNumberGenerator(2)
    const first = [...issued].slice(0, 5)
    expect([again(), again(), again(), again(), again()]).toEqual(first)
    expect([other(), other(), other(), other(), other()]).not.toEqual(first)
  })

  it('moves on to the next prefix when the 999 block is used up, still without repeats', () => {
    const next = createNhsNumberGenerator(7, 999_000)
    const issued: string[] = []
    for (let i = 0; i < 2_000; i++) {
      issued.push(next())
    }
    expect(new Set(issued).size).toBe(2_000)
    expect(issued.every(isValidNhsNumber)).toBe(true)
    expect(issued.filter(value => value.startsWith('999')).length).toBeGreaterThan(800)
    expect(issued.filter(value => value.startsWith('998')).length).toBeGreaterThan(800)
  })
})

describe('record ids', () => {
  it('are unique version 4 UUIDs, the same for the same seed', () => {
    const next = createIdGenerator(1)
    const ids = new Set<string>()
    const format = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    let malformed = 0
    for (let i = 0; i < 100_000; i++) {
      const id = next()
      if (!format.test(id)) {
        malformed++
      }
      ids.add(id)
    }
    expect(malformed).toBe(0)
    expect(ids.size).toBe(100_000)
    expect(createIdGenerator(1)()).toBe([...ids][0])
    expect(createIdGenerator(2)()).not.toBe([...ids][0])
  })
})
