import { describe, expect, it } from 'vitest'
import { currentTotpCode, hashRecoveryCode, matchTotpStep, newRecoveryCodes } from './totp.js'

// RFC 6238 Appendix B: the SHA-1 key "12345678901234567890" in base32, and its published 8-digit codes (last 6 here).
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

describe('TOTP (RFC 6238)', () => {
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('gives the RFC test code at %i s', (seconds, code) => {
    expect(currentTotpCode(rfcSecret, seconds * 1000)).toBe(code)
  })

  it('accepts a code one step either side for clock drift, and says which step it belongs to', () => {
    const at = 1234567890 * 1000
    const step = Math.floor(1234567890 / 30)
    expect(matchTotpStep(rfcSecret, '005924', at)).toBe(step)
    expect(matchTotpStep(rfcSecret, currentTotpCode(rfcSecret, at - 30_000), at)).toBe(step - 1)
    expect(matchTotpStep(rfcSecret, currentTotpCode(rfcSecret, at + 30_000), at)).toBe(step + 1)
    expect(matchTotpStep(rfcSecret, currentTotpCode(rfcSecret, at + 90_000), at)).toBeUndefined()
  })

  it('rejects malformed codes', () => {
    expect(matchTotpStep(rfcSecret, '12345')).toBeUndefined()
    expect(matchTotpStep(rfcSecret, 'abcdef')).toBeUndefined()
  })

  it('makes ten distinct recovery codes and hashes them regardless of case and spacing', () => {
    const { codes, hashes } = newRecoveryCodes()
    expect(new Set(codes).size).toBe(10)
    expect(codes[0]).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/)
    expect(hashRecoveryCode(` ${(codes[0] ?? '').toUpperCase()} `)).toBe(hashes[0])
  })
})
