import type { Insertable } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { Database } from '../../db/schema.js'

export async function insertAuditEvent(db: DbOrTx, row: Insertable<Database['audit_events']>): Promise<void> {
  await db.insertInto('audit_events').values(row).execute()
}

export interface AuditSearch {
  userId?: string | undefined
  subjectId?: string | undefined
  action?: string | undefined
  outcome?: 'allowed' | 'denied' | 'error' | undefined
  from?: string | undefined
  to?: string | undefined
}

export interface AuditRow {
  id: number
  occurredAt: Date
  userId: string | null
  userEmail: string | null
  roleCode: string | null
  organisationName: string | null
  action: string
  subjectType: string | null
  subjectId: string | null
  purpose: string | null
  outcome: string
  reason: string | null
  requestId: string | null
  ip: string | null
  userAgent: string | null
  details: Record<string, unknown>
}

function searchQuery(db: DbOrTx, criteria: AuditSearch) {
  let query = db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
  if (criteria.userId) {
    query = query.where('a.user_id', '=', criteria.userId)
  }
  if (criteria.subjectId) {
    query = query.where('a.subject_id', '=', criteria.subjectId)
  }
  if (criteria.action) {
    query = query.where(eb =>
      eb.or([eb('a.action', '=', criteria.action ?? ''), eb('a.action', 'like', `${criteria.action ?? ''}.%`)]),
    )
  }
  if (criteria.outcome) {
    query = query.where('a.outcome', '=', criteria.outcome)
  }
  if (criteria.from) {
    query = query.where('a.occurred_at', '>=', new Date(`${criteria.from}T00:00:00Z`))
  }
  if (criteria.to) {
    const end = new Date(`${criteria.to}T00:00:00Z`)
    end.setUTCDate(end.getUTCDate() + 1)
    query = query.where('a.occurred_at', '<', end)
  }
  return query
}

/** Newest first, a page at a time. `limit + 1` rows are read so the caller knows whether there is a next page. */
export async function searchAuditEvents(
  db: DbOrTx,
  criteria: AuditSearch,
  page: { limit: number; offset: number },
): Promise<AuditRow[]> {
  const rows = await searchQuery(db, criteria)
    .select([
      'a.id',
      'a.occurred_at',
      'a.user_id',
      'u.email',
      'a.role_code',
      'o.name as organisation_name',
      'a.action',
      'a.subject_type',
      'a.subject_id',
      'a.purpose',
      'a.outcome',
      'a.reason',
      'a.request_id',
      'a.ip',
      'a.user_agent',
      'a.details',
    ])
    .orderBy('a.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return rows.map(row => ({
    id: row.id,
    occurredAt: row.occurred_at,
    userId: row.user_id,
    userEmail: row.email,
    roleCode: row.role_code,
    organisationName: row.organisation_name,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    purpose: row.purpose,
    outcome: row.outcome,
    reason: row.reason,
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }))
}

export async function countAuditEvents(db: DbOrTx, criteria: AuditSearch): Promise<number> {
  const row = await searchQuery(db, criteria)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}
