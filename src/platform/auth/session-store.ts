import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { Permission } from './permissions.js'
import { isPermission } from './permissions.js'

export type SessionStage = 'mfa_setup' | 'mfa_verify' | 'active'

export interface SessionUser {
  id: string
  kind: 'staff' | 'parent'
  email: string
  displayName: string
  roleCode: string
  roleName: string
  profession: string | null
  organisationId: string | null
  organisationName: string | null
  teamId: string | null
  personId: string | null
  mfaEnabled: boolean
  laCode: string
}

export interface SessionRecord {
  idHash: string
  stage: SessionStage
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  user: SessionUser
  permissions: Set<Permission>
}

export async function insertSession(
  db: DbOrTx,
  session: { idHash: string; userId: string; stage: SessionStage; expiresAt: Date; ip: string; userAgent?: string },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      stage: session.stage,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent?.slice(0, 300) ?? null,
    })
    .execute()
}

/** The live session for a cookie: not revoked, the user not disabled. Timeouts are checked by the caller. */
export async function findSession(db: DbOrTx, idHash: string): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('roles as r', 'r.code', 'u.role_code')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      's.id_hash',
      's.stage',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'u.id',
      'u.kind',
      'u.email',
      'u.display_name',
      'u.role_code',
      'r.name as role_name',
      'u.profession',
      'u.organisation_id',
      'o.name as organisation_name',
      'u.team_id',
      'u.person_id',
      'u.mfa_enabled_at',
      'u.la_code',
      sql<
        string[]
      >`coalesce((SELECT array_agg(rp.permission) FROM role_permissions rp WHERE rp.role_code = u.role_code), '{}')`.as(
        'permissions',
      ),
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.revoked_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst()
  if (!row) {
    return undefined
  }
  return {
    idHash: row.id_hash,
    stage: row.stage,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    user: {
      id: row.id,
      kind: row.kind,
      email: row.email,
      displayName: row.display_name,
      roleCode: row.role_code,
      roleName: row.role_name,
      profession: row.profession,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      teamId: row.team_id,
      personId: row.person_id,
      mfaEnabled: row.mfa_enabled_at !== null,
      laCode: row.la_code,
    },
    permissions: new Set(row.permissions.filter(isPermission)),
  }
}

export async function touchSession(db: DbOrTx, idHash: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute()
}

export async function revokeSession(db: DbOrTx, idHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Signs a user out everywhere. Returns how many sessions were ended. */
export async function revokeUserSessions(db: DbOrTx, userId: string): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
