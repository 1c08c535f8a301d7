import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, verifyPassword } from './password.js'

describe('password rules (NCSC: length over complexity, block common passwords)', () => {
  it('accepts a long passphrase without any composition rules', () => {
    expect(passwordProblem('kettle orbit meadow')).toBeUndefined()
  })
  it.each([
    ['short1', 'Password must be 10 characters or more'],
    ['password123', 'Password is too common'],
    ['qwertyuiop', 'Password is too common'],
    ['aaaaaaaaaaaa', 'Password is too common'],
    ['x'.repeat(257), 'Password must be 256 characters or fewer'],
  ])('rejects %s', (password, message) => {
    expect(passwordProblem(password)).toContain(message)
  })
  it('rejects a password built from the email address', () => {
    expect(passwordProblem('hana.whitfield2026', 'hana.whitfield@northmoor.example')).toBe(
      'Password must not contain your email address',
    )
  })
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('kettle orbit meadow')
    expect(hash).toMatch(/^\$argon2id\$/)
    expect(await verifyPassword(hash, 'kettle orbit meadow')).toBe(true)
    expect(await verifyPassword(hash, 'kettle orbit meadoW')).toBe(false)
    expect(await verifyPassword('not a hash', 'x')).toBe(false)
  })
})
