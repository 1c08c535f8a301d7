import { hash, verify } from '@node-rs/argon2'
import { dictionary } from '@zxcvbn-ts/language-common'

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
// algorithm 2 is Argon2id (the package exports it as a const enum, which isolated modules cannot read).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export const passwordRules = { minLength: 10, maxLength: 256 } as const

const common = new Set(dictionary['passwords-common'].map(word => word.toLowerCase()))

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// A hash of a random password, so that an unknown email costs as much time as a wrong password.
let dummyHash: Promise<string> | undefined
export async function verifyAgainstNothing(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-' + String(Math.random()))
  await verifyPassword(await dummyHash, password)
}

/**
 * NCSC password guidance: length over complexity, no composition rules, block the most common passwords and ones
 * made of the user's own email. Returns the message to show, or undefined when the password is acceptable.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < passwordRules.minLength) {
    return `Password must be ${String(passwordRules.minLength)} characters or more`
  }
  if (password.length > passwordRules.maxLength) {
    return `Password must be ${String(passwordRules.maxLength)} characters or fewer`
  }
  const lower = password.toLowerCase()
  if (common.has(lower) || /^(.)\1+$/.test(password) || /^(0123456789|1234567890|abcdefghij)/.test(lower)) {
    return 'Password is too common. Try 3 random words joined together, like ‘kettle-orbit-meadow’'
  }
  const localPart = email?.split('@')[0]?.toLowerCase()
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) {
    return 'Password must not contain your email address'
  }
  return undefined
}
