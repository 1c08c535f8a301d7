/**
 * NHS number validation (security.md §5): 10 digits after removing spaces and hyphens, the tenth being the modulus 11
 * check digit of the first nine (weights 10…2). A check digit that would be 10 makes the number invalid, and
 * 000 000 0000 — which passes the checksum — is refused as a matter of policy.
 */

export type NhsNumberProblem =
  'empty' | 'wrong length' | 'not digits' | 'check digit would be 10' | 'wrong check digit' | 'all zeros'

export type NhsNumberCheck = { valid: true; nhsNumber: string } | { valid: false; problem: NhsNumberProblem }

/** The modulus 11 check digit of the first nine digits, or 10 when no check digit is possible. */
export function nhsCheckDigit(firstNine: string): number {
  let sum = 0
  for (let index = 0; index < 9; index++) {
    sum += Number(firstNine.charAt(index)) * (10 - index)
  }
  const check = 11 - (sum % 11)
  return check === 11 ? 0 : check
}

/** Checks an NHS number as typed ("943 476 5919", "943-476-5919") and returns it as 10 digits, or the problem. */
export function checkNhsNumber(input: string): NhsNumberCheck {
  const compact = input.replace(/[\s-]/g, '')
  if (compact === '') {
    return { valid: false, problem: 'empty' }
  }
  if (!/^\d+$/.test(compact)) {
    return { valid: false, problem: 'not digits' }
  }
  if (compact.length !== 10) {
    return { valid: false, problem: 'wrong length' }
  }
  if (compact === '0000000000') {
    return { valid: false, problem: 'all zeros' }
  }
  const check = nhsCheckDigit(compact.slice(0, 9))
  if (check === 10) {
    return { valid: false, problem: 'check digit would be 10' }
  }
  if (check !== Number(compact.charAt(9))) {
    return { valid: false, problem: 'wrong check digit' }
  }
  return { valid: true, nhsNumber: compact }
}

export function isValidNhsNumber(input: string): boolean {
  return checkNhsNumber(input).valid
}

/** What to tell someone who typed the number, GOV.UK style. */
export function nhsNumberErrorMessage(problem: NhsNumberProblem): string {
  switch (problem) {
    case 'empty':
      return 'Enter the NHS number'
    case 'not digits':
      return 'NHS number must only include numbers 0 to 9'
    case 'wrong length':
      return 'NHS number must be 10 numbers'
    case 'all zeros':
    case 'check digit would be 10':
    case 'wrong check digit':
      return 'Enter a valid NHS number'
  }
}
