import crypto from 'node:crypto'
import type { DbOrTx } from '../../src/db/database.js'
import { hashPassword } from '../../src/platform/auth/password.js'
import { newTotpSecret } from '../../src/platform/auth/totp.js'
import { encryptSecret } from '../../src/platform/crypto.js'
import { testConfig } from '../helpers/test-app.js'

export interface TestUser {
  id: string
  email: string
  password: string
  totpSecret: string | undefined
  organisationId: string | null
  roleCode: string
}

let passwordHashCache: Promise<string> | undefined
export const testPassword = 'correct-horse-battery-staple'

export async function anOrganisation(db: DbOrTx, overrides: { name?: string; kind?: string } = {}): Promise<string> {
  const row = await db
    .insertInto('organisations')
    .values({
      name: overrides.name ?? `Test organisation ${crypto.randomBytes(3).toString('hex')}`,
      kind: overrides.kind ?? 'local_authority',
      la_code: testConfig.authority.code,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A user with a known password and, for staff, MFA already set up with a known TOTP secret. */
export async function aUser(
  db: DbOrTx,
  options: {
    role?: string
    kind?: 'staff' | 'parent'
    mfa?: boolean
    organisationId?: string
    profession?: string
    email?: string
  } = {},
): Promise<TestUser> {
  const kind = options.kind ?? (options.role === 'parent' ? 'parent' : 'staff')
  const roleCode = options.role ?? (kind === 'parent' ? 'parent' : 'practitioner')
  const mfa = options.mfa ?? kind === 'staff'
  const organisationId = kind === 'staff' ? (options.organisationId ?? (await anOrganisation(db))) : null
  const email = options.email ?? `${roleCode}.${crypto.randomBytes(4).toString('hex')}@test.example`
  const totpSecret = mfa ? newTotpSecret() : undefined
  passwordHashCache ??= hashPassword(testPassword)
  const row = await db
    .insertInto('users')
    .values({
      kind,
      email,
      display_name: `Test ${roleCode}`,
      role_code: roleCode,
      profession: options.profession ?? (roleCode === 'practitioner' ? 'health_visitor' : null),
      organisation_id: organisationId,
      password_hash: await passwordHashCache,
      mfa_secret_encrypted: totpSecret ? encryptSecret(totpSecret, testConfig.dataEncryptionKey) : null,
      mfa_enabled_at: totpSecret ? new Date() : null,
      la_code: testConfig.authority.code,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, email, password: testPassword, totpSecret, organisationId, roleCode }
}
