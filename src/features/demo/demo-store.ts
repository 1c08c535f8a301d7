import type { DbOrTx } from '../../db/database.js'

export async function insertDemoOrganisation(
  db: DbOrTx,
  org: { name: string; kind: string; laCode: string; odsCode: string | null },
): Promise<string> {
  const row = await db
    .insertInto('organisations')
    .values({ name: org.name, kind: org.kind, la_code: org.laCode, ods_code: org.odsCode })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertDemoTeam(db: DbOrTx, organisationId: string, name: string): Promise<string> {
  const row = await db
    .insertInto('teams')
    .values({ organisation_id: organisationId, name })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertDemoUser(
  db: DbOrTx,
  user: {
    email: string
    displayName: string
    roleCode: string
    profession: string | null
    organisationId: string | null
    teamId: string | null
    kind: 'staff' | 'parent'
    passwordHash: string
    mfaSecretEncrypted: string | null
    laCode: string
  },
): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      kind: user.kind,
      email: user.email,
      display_name: user.displayName,
      role_code: user.roleCode,
      profession: user.profession,
      organisation_id: user.organisationId,
      team_id: user.teamId,
      password_hash: user.passwordHash,
      mfa_secret_encrypted: user.mfaSecretEncrypted,
      mfa_enabled_at: user.mfaSecretEncrypted ? new Date() : null,
      demo: true,
      la_code: user.laCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function countDemoUsers(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('demo', '=', true)
    .executeTakeFirstOrThrow()
  return row.n
}
