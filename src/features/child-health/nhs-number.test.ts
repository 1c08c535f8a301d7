import { describe, expect, it } from 'vitest'
import { checkNhsNumber, isValidNhsNumber, nhsCheckDigit, nhsNumberErrorMessage } from './nhs-number.js'

describe('NHS number validation (security.md §5 vectors)', () => {
  it.each([
    ['943 476 5919', '9434765919'],
    ['943-476-5919', '9434765919'],
    ['9434765919', '9434765919'],
    ['671 668 9966', '6716689966'],
    ['401 023 2137', '4010232137'],
    [' 999 000 0018 ', '9990000018'],
  ])('accepts %s as %s', (input, digits) => {
    expect(checkNhsNumber(input)).toEqual({ valid: true, nhsNumber: digits })
    expect(isValidNhsNumber(input)).toBe(true)
  })

  it('refuses a wrong check digit', () => {
    expect(checkNhsNumber('9434765918')).toEqual({ valid: false, problem: 'wrong check digit' })
    expect(checkNhsNumber('000 000 0001')).toEqual({ valid: false, problem: 'wrong check digit' })
  })

  it('refuses a number whose check digit would be 10', () => {
    expect(nhsCheckDigit('999123456')).toBe(10)
    expect(checkNhsNumber('999 123 4560')).toEqual({ valid: false, problem: 'check digit would be 10' })
  })

  it('refuses all zeros, although the checksum passes', () => {
    expect(nhsCheckDigit('000000000')).toBe(0)
    expect(checkNhsNumber('0000000000')).toEqual({ valid: false, problem: 'all zeros' })
    expect(checkNhsNumber('000 000 0000')).toEqual({ valid: false, problem: 'all zeros' })
  })

  it.each(['943476591', '94347659190', '1'])('refuses %s: wrong length', input => {
    expect(checkNhsNumber(input)).toEqual({ valid: false, problem: 'wrong length' })
  })

  it.each(['943476591X', '943.476.5919', '９４３４７６５９１９', '943 476 591a', '+943476591'])(
    'refuses %s: not digits',
    input => {
      expect(checkNhsNumber(input)).toEqual({ valid: false, problem: 'not digits' })
    },
  )

  it('refuses an empty number', () => {
    expect(checkNhsNumber('  ')).toEqual({ valid: false, problem: 'empty' })
  })

  it('checks every check digit the same way as the published algorithm', () => {
    // Brute force over one block: exactly one last digit (or none, when the check would be 10) is valid.
    for (let stem = 999_000_000; stem < 999_000_200; stem++) {
      const valid = [...Array(10).keys()].filter(digit => isValidNhsNumber(`${String(stem)}${String(digit)}`))
      const check = nhsCheckDigit(String(stem))
      expect(valid).toEqual(check === 10 ? [] : [check])
    }
  })

  it('words the errors the GOV.UK way', () => {
    expect(nhsNumberErrorMessage('wrong length')).toBe('NHS number must be 10 numbers')
    expect(nhsNumberErrorMessage('not digits')).toBe('NHS number must only include numbers 0 to 9')
    expect(nhsNumberErrorMessage('all zeros')).toBe('Enter a valid NHS number')
  })
})
