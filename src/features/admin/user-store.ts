import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

export async function emailInUse(db: DbOrTx, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
  return row !== undefined
}

export async function insertStaffUser(
  db: DbOrTx,
  user: {
    email: string
    displayName: string
    roleCode: string
    profession: string | null
    organisationId: string
    teamId: string | null
    laCode: string
  },
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
export async function findOrganisationByIdOrName(
  db: DbOrTx,
  value: string,
): Promise<{ id: string; name: string } | undefined> {
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
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('id', '=', teamId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  return row !== undefined
}

export type UserStatus = 'active' | 'invited' | 'disabled' | 'locked'

export interface UserFilter {
  text?: string | undefined
  roleCode?: string | undefined
  organisationId?: string | undefined
  status?: UserStatus | undefined
}

export interface UserListRow {
  id: string
  kind: 'staff' | 'parent'
  displayName: string
  email: string
  roleName: string
  organisationName: string | null
  status: UserStatus
  mfaEnabled: boolean
  lastSignedInAt: Date | null
}

/** A user is disabled, else locked (too many wrong attempts, for now), else invited (no password yet), else active. */
function statusOf(
  row: { disabled_at: Date | null; locked_until: Date | null; password_hash: string | null },
  now: Date,
): UserStatus {
  if (row.disabled_at) {
    return 'disabled'
  }
  if (row.locked_until && row.locked_until > now) {
    return 'locked'
  }
  return row.password_hash === null ? 'invited' : 'active'
}

/** Escapes the LIKE wildcards in text typed by a user, so that % and _ match themselves. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`
}

function filteredUsers(db: DbOrTx, filter: UserFilter, now: Date) {
  let query = db
    .selectFrom('users as u')
    .innerJoin('roles as r', 'r.code', 'u.role_code')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
  if (filter.text) {
    const pattern = likePattern(filter.text)
    query = query.where(eb => eb.or([eb('u.display_name', 'ilike', pattern), eb('u.email', 'ilike', pattern)]))
  }
  if (filter.roleCode) {
    query = query.where('u.role_code', '=', filter.roleCode)
  }
  if (filter.organisationId) {
    query = query.where('u.organisation_id', '=', filter.organisationId)
  }
  const notLocked = sql<boolean>`(u.locked_until IS NULL OR u.locked_until <= ${now})`
  switch (filter.status) {
    case 'disabled':
      query = query.where('u.disabled_at', 'is not', null)
      break
    case 'locked':
      query = query.where('u.disabled_at', 'is', null).where('u.locked_until', '>', now)
      break
    case 'invited':
      query = query.where('u.disabled_at', 'is', null).where(notLocked).where('u.password_hash', 'is', null)
      break
    case 'active':
      query = query.where('u.disabled_at', 'is', null).where(notLocked).where('u.password_hash', 'is not', null)
      break
    case undefined:
      break
  }
  return query
}

/** Users matching a filter, by name, a page at a time. */
export async function searchUsers(
  db: DbOrTx,
  filter: UserFilter,
  page: { limit: number; offset: number },
  now = new Date(),
): Promise<UserListRow[]> {
  const rows = await filteredUsers(db, filter, now)
    .select([
      'u.id',
      'u.kind',
      'u.display_name',
      'u.email',
      'r.name as role_name',
      'o.name as organisation_name',
      'u.disabled_at',
      'u.locked_until',
      'u.password_hash',
      'u.mfa_enabled_at',
      'u.last_signed_in_at',
    ])
    .orderBy(sql`lower(u.display_name)`)
    .orderBy(sql`lower(u.email)`)
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return rows.map(row => ({
    id: row.id,
    kind: row.kind,
    displayName: row.display_name,
    email: row.email,
    roleName: row.role_name,
    organisationName: row.organisation_name,
    status: statusOf(row, now),
    mfaEnabled: row.mfa_enabled_at !== null,
    lastSignedInAt: row.last_signed_in_at,
  }))
}

export async function countUsers(db: DbOrTx, filter: UserFilter, now = new Date()): Promise<number> {
  const row = await filteredUsers(db, filter, now)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export interface UserDetail {
  id: string
  kind: 'staff' | 'parent'
  email: string
  displayName: string
  roleCode: string
  roleName: string
  profession: string | null
  organisationId: string | null
  organisationName: string | null
  teamName: string | null
  status: UserStatus
  mfaEnabled: boolean
  lastSignedInAt: Date | null
  createdAt: Date
  disabledAt: Date | null
  lockedUntil: Date | null
}

export async function findUserDetail(db: DbOrTx, id: string, now = new Date()): Promise<UserDetail | undefined> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('roles as r', 'r.code', 'u.role_code')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .leftJoin('teams as t', 't.id', 'u.team_id')
    .select([
      'u.id',
      'u.kind',
      'u.email',
      'u.display_name',
      'u.role_code',
      'r.name as role_name',
      'u.profession',
      'u.organisation_id',
      'o.name as organisation_name',
      't.name as team_name',
      'u.disabled_at',
      'u.locked_until',
      'u.password_hash',
      'u.mfa_enabled_at',
      'u.last_signed_in_at',
      'u.created_at',
    ])
    .where('u.id', '=', id)
    .executeTakeFirst()
  if (!row) {
    return undefined
  }
  return {
    id: row.id,
    kind: row.kind,
    email: row.email,
    displayName: row.display_name,
    roleCode: row.role_code,
    roleName: row.role_name,
    profession: row.profession,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    teamName: row.team_name,
    status: statusOf(row, now),
    mfaEnabled: row.mfa_enabled_at !== null,
    lastSignedInAt: row.last_signed_in_at,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    lockedUntil: row.locked_until,
  }
}

/** The fields an administrative change needs, with the row locked until the transaction ends. */
export async function lockUserForChange(
  db: DbOrTx,
  id: string,
): Promise<
  | { kind: 'staff' | 'parent'; email: string; displayName: string; roleCode: string; profession: string | null }
  | undefined
> {
  const row = await db
    .selectFrom('users')
    .select(['kind', 'email', 'display_name', 'role_code', 'profession'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  return row
    ? {
        kind: row.kind,
        email: row.email,
        displayName: row.display_name,
        roleCode: row.role_code,
        profession: row.profession,
      }
    : undefined
}

/** Disables an account. False if it was already disabled (nothing changed). */
export async function disableUser(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ disabled_at: new Date() })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** Enables a disabled account. False if it was not disabled (nothing changed). */
export async function enableUser(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ disabled_at: null })
    .where('id', '=', id)
    .where('disabled_at', 'is not', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

export async function setUserRole(db: DbOrTx, id: string, roleCode: string, profession: string | null): Promise<void> {
  await db.updateTable('users').set({ role_code: roleCode, profession }).where('id', '=', id).execute()
}

export interface RoleSummary {
  code: string
  name: string
  description: string
  staff: boolean
}

export async function listRoles(db: DbOrTx): Promise<RoleSummary[]> {
  return db
    .selectFrom('roles')
    .select(['code', 'name', 'description', 'staff'])
    .orderBy('staff')
    .orderBy('name')
    .execute()
}
