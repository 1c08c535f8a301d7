import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

export interface AccountRow {
  id: string
  kind: 'staff' | 'parent'
  email: string
  displayName: string
  roleCode: string
  organisationId: string | null
  passwordHash: string | null
  mfaSecretEncrypted: string | null
  mfaEnabledAt: Date | null
  mfaLastStep: number
  failedSignIns: number
  lockedUntil: Date | null
  disabledAt: Date | null
}

function accountColumns(db: DbOrTx) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'kind',
      'email',
      'display_name',
      'role_code',
      'organisation_id',
      'password_hash',
      'mfa_secret_encrypted',
      'mfa_enabled_at',
      'mfa_last_step',
      'failed_sign_ins',
      'locked_until',
      'disabled_at',
    ])
}

type AccountSelect = Awaited<ReturnType<ReturnType<typeof accountColumns>['executeTakeFirstOrThrow']>>

function toAccount(row: AccountSelect): AccountRow {
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    displayName: row.display_name,
    roleCode: row.role_code,
    organisationId: row.organisation_id,
    passwordHash: row.password_hash,
    mfaSecretEncrypted: row.mfa_secret_encrypted,
    mfaEnabledAt: row.mfa_enabled_at,
    mfaLastStep: row.mfa_last_step,
    failedSignIns: row.failed_sign_ins,
    lockedUntil: row.locked_until,
    disabledAt: row.disabled_at,
  }
}

export async function findAccountByEmail(db: DbOrTx, email: string): Promise<AccountRow | undefined> {
  const row = await accountColumns(db)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
  return row ? toAccount(row) : undefined
}

export async function findAccountById(db: DbOrTx, id: string): Promise<AccountRow | undefined> {
  const row = await accountColumns(db).where('id', '=', id).executeTakeFirst()
  return row ? toAccount(row) : undefined
}

/** Counts a failed attempt; at the limit, locks the account until `lockUntil` and starts the count again. */
export async function recordFailedAttempt(db: DbOrTx, id: string, limit: number, lockUntil: Date): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set(eb => ({
      failed_sign_ins: sql<number>`CASE WHEN ${eb.ref('failed_sign_ins')} + 1 >= ${limit} THEN 0 ELSE ${eb.ref('failed_sign_ins')} + 1 END`,
      locked_until: sql<Date | null>`CASE WHEN ${eb.ref('failed_sign_ins')} + 1 >= ${limit} THEN ${lockUntil}::timestamptz ELSE ${eb.ref('locked_until')} END`,
    }))
    .where('id', '=', id)
    .returning(['locked_until'])
    .executeTakeFirst()
  return (
    row?.locked_until !== null &&
    row?.locked_until !== undefined &&
    row.locked_until.getTime() >= lockUntil.getTime() - 1000
  )
}

export async function clearFailedAttempts(db: DbOrTx, id: string): Promise<void> {
  await db.updateTable('users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', id).execute()
}

export async function markSignedIn(db: DbOrTx, id: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ last_signed_in_at: new Date(), failed_sign_ins: 0, locked_until: null })
    .where('id', '=', id)
    .execute()
}

export async function setPendingMfaSecret(db: DbOrTx, id: string, encrypted: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ mfa_secret_encrypted: encrypted, mfa_enabled_at: null, mfa_last_step: 0 })
    .where('id', '=', id)
    .execute()
}

export async function enableMfa(db: DbOrTx, id: string): Promise<void> {
  await db.updateTable('users').set({ mfa_enabled_at: new Date() }).where('id', '=', id).execute()
}

/** Removes MFA so the user sets it up again at next sign-in; their recovery codes go with it. */
export async function resetMfa(db: DbOrTx, id: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ mfa_secret_encrypted: null, mfa_enabled_at: null, mfa_last_step: 0 })
    .where('id', '=', id)
    .execute()
  await db.deleteFrom('recovery_codes').where('user_id', '=', id).execute()
}

/** Accepts a TOTP step only if it is later than the last one accepted: a code works once. */
export async function claimTotpStep(db: DbOrTx, id: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ mfa_last_step: step })
    .where('id', '=', id)
    .where('mfa_last_step', '<', step)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function replaceRecoveryCodes(db: DbOrTx, userId: string, hashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
  await db
    .insertInto('recovery_codes')
    .values(hashes.map(code_hash => ({ user_id: userId, code_hash })))
    .execute()
}

export async function useRecoveryCode(db: DbOrTx, userId: string, codeHash: string): Promise<boolean> {
  const row = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function countUnusedRecoveryCodes(db: DbOrTx, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return row.n
}

export async function setPasswordHash(db: DbOrTx, id: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, failed_sign_ins: 0, locked_until: null })
    .where('id', '=', id)
    .execute()
}

export async function insertParentAccount(
  db: DbOrTx,
  account: { email: string; displayName: string; passwordHash: string; laCode: string },
): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      kind: 'parent',
      email: account.email,
      display_name: account.displayName,
      role_code: 'parent',
      password_hash: account.passwordHash,
      la_code: account.laCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertAccountToken(
  db: DbOrTx,
  token: { userId: string; purpose: 'invitation' | 'password_reset'; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('account_tokens')
    .values({ user_id: token.userId, purpose: token.purpose, token_hash: token.tokenHash, expires_at: token.expiresAt })
    .execute()
}

export async function findLiveAccountToken(
  db: DbOrTx,
  tokenHash: string,
  purpose: 'invitation' | 'password_reset',
): Promise<{ id: string; userId: string } | undefined> {
  const row = await db
    .selectFrom('account_tokens')
    .select(['id', 'user_id'])
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst()
  return row ? { id: row.id, userId: row.user_id } : undefined
}

/** Marks a token used. Returns false if it was used meanwhile (two tabs): the caller rolls back. */
export async function useAccountToken(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: new Date() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export interface DemoAccount {
  email: string
  displayName: string
  roleName: string
  profession: string | null
  kind: 'staff' | 'parent'
  mfaSecretEncrypted: string | null
}

export async function listDemoAccounts(db: DbOrTx): Promise<DemoAccount[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('roles as r', 'r.code', 'u.role_code')
    .select(['u.email', 'u.display_name', 'r.name as role_name', 'u.profession', 'u.kind', 'u.mfa_secret_encrypted'])
    .where('u.demo', '=', true)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.kind', 'desc')
    .orderBy('r.name')
    .orderBy('u.email')
    .execute()
  return rows.map(row => ({
    email: row.email,
    displayName: row.display_name,
    roleName: row.role_name,
    profession: row.profession,
    kind: row.kind,
    mfaSecretEncrypted: row.mfa_secret_encrypted,
  }))
}
