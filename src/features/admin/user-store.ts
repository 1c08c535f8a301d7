import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

export async function emailInUse(db: DbOrTx, email: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst()
  return row !== undefined
}

export async function insertStaffUser(
  db: DbOrTx,
  user: { email: string; displayName: string; roleCode: string; profession: string | null; organisationId: string; teamId: string | null; laCode: string },
): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      kind: 'staff',
      email: user.email,
      display_name: user.displayName,
      role_code: user.roleCode,
      profession: user.profession,
      organisation_id: user.organisationId,
      team_id: user.teamId,
      la_code: user.laCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** An organisation by id, or by its exact name (case-insensitive), for the CLI. */
export async function findOrganisationByIdOrName(db: DbOrTx, value: string): Promise<{ id: string; name: string } | undefined> {
  const byId = /^[0-9a-f-]{36}$/i.test(value)
  const row = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where(byId ? sql<boolean>`id = ${value}::uuid` : sql<boolean>`lower(name) = ${value.toLowerCase()}`)
    .executeTakeFirst()
  return row
}

export async function roleExists(db: DbOrTx, code: string): Promise<{ staff: boolean } | undefined> {
  return db.selectFrom('roles').select('staff').where('code', '=', code).executeTakeFirst()
}

export async function teamBelongsTo(db: DbOrTx, teamId: string, organisationId: string): Promise<boolean> {
  const row = await db.selectFrom('teams').select('id').where('id', '=', teamId).where('organisation_id', '=', organisationId).executeTakeFirst()
  return row !== undefined
}
