import { sql, type ExpressionBuilder } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { Database } from '../../db/schema.js'

/** Someone to tell about a service: an active staff account. */
export interface NoticeRecipient {
  userId: string
  email: string
  displayName: string
}

/** The permission that lets someone keep their organisation's directory entries, and so hear about them. */
const managePermission = 'directory.manage'

/** Whether the user `u`'s role holds directory.manage (grants are data, so never a fixed role code). */
function holdsManagePermission(eb: ExpressionBuilder<Database & { u: Database['users'] }, 'u'>) {
  return eb.exists(
    eb
      .selectFrom('role_permissions as rp')
      .select(sql.lit(1).as('one'))
      .whereRef('rp.role_code', '=', 'u.role_code')
      .where('rp.permission', '=', managePermission),
  )
}

/**
 * Who asked for what an approver has just decided: the author of the service's latest submission, proposed change
 * or restore request, if they may still hear about it: their account is active, still in the organisation that owns
 * the service, and their role still holds directory.manage.
 */
export async function findSubmitter(db: DbOrTx, serviceId: string): Promise<NoticeRecipient | undefined> {
  const latest = await db
    .selectFrom('directory_service_versions as v')
    .select('v.user_id')
    .where('v.service_id', '=', serviceId)
    .where('v.kind', 'in', ['submitted', 'proposed', 'restored'])
    .orderBy('v.version', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!latest?.user_id) {
    return undefined
  }
  const row = await db
    .selectFrom('users as u')
    .innerJoin('organisations as p', 'p.id', 'u.organisation_id')
    .innerJoin('directory_organisations as o', 'o.organisation_id', 'p.id')
    .innerJoin('directory_services as s', 's.directory_organisation_id', 'o.id')
    .select(['u.id', 'u.email', 'u.display_name'])
    .where('u.id', '=', latest.user_id)
    .where('s.id', '=', serviceId)
    .where('p.disabled_at', 'is', null)
    .where('u.kind', '=', 'staff')
    .where('u.disabled_at', 'is', null)
    .where(holdsManagePermission)
    .executeTakeFirst()
  return row && { userId: row.id, email: row.email, displayName: row.display_name }
}

/**
 * The active staff of the organisation that owns a service whose role holds directory.manage (none for a provider
 * without accounts).
 */
export async function listServiceManagersOf(db: DbOrTx, serviceId: string): Promise<NoticeRecipient[]> {
  const rows = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
    .innerJoin('organisations as p', 'p.id', 'o.organisation_id')
    .innerJoin('users as u', 'u.organisation_id', 'p.id')
    .select(['u.id', 'u.email', 'u.display_name'])
    .where('s.id', '=', serviceId)
    .where('p.disabled_at', 'is', null)
    .where(holdsManagePermission)
    .where('u.kind', '=', 'staff')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.email')
    .execute()
  return rows.map(row => ({ userId: row.id, email: row.email, displayName: row.display_name }))
}

/** The service's current name (after the change being approved, when there is one). */
export async function findServiceName(db: DbOrTx, serviceId: string): Promise<string | undefined> {
  const row = await db.selectFrom('directory_services').select('name').where('id', '=', serviceId).executeTakeFirst()
  return row?.name
}

/** A published service whose check is overdue and whose managers have not been reminded recently. */
export interface OverdueService {
  id: string
  name: string
  assuredDate: string | null
  organisationId: string | null
}

/**
 * Published services last checked before `checkedBefore` (or never), with no reminder sent since `remindedSince`.
 * Oldest check first; at most `limit`.
 */
export async function listServicesToRemind(
  db: DbOrTx,
  options: { checkedBefore: string; remindedSince: Date; limit: number },
): Promise<OverdueService[]> {
  const rows = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
    .select(['s.id', 's.name', 's.assured_date', 'o.organisation_id'])
    .where('s.workflow_status', '=', 'published')
    .where(eb => eb.or([eb('s.assured_date', 'is', null), eb('s.assured_date', '<', options.checkedBefore)]))
    .where(eb =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('directory_review_reminders as r')
            .select(sql.lit(1).as('one'))
            .whereRef('r.service_id', '=', 's.id')
            .where('r.sent_at', '>', options.remindedSince),
        ),
      ),
    )
    .orderBy(sql`s.assured_date ASC NULLS FIRST`)
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(options.limit)
    .execute()
  return rows.map(row => ({
    id: row.id,
    name: row.name,
    assuredDate: row.assured_date,
    organisationId: row.organisation_id,
  }))
}

/** The active staff of each of these platform organisations whose role holds directory.manage. */
export async function listServiceManagersByOrganisation(
  db: DbOrTx,
  organisationIds: string[],
): Promise<Map<string, NoticeRecipient[]>> {
  const byOrganisation = new Map<string, NoticeRecipient[]>()
  if (!organisationIds.length) {
    return byOrganisation
  }
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('organisations as p', 'p.id', 'u.organisation_id')
    .select(['u.id', 'u.email', 'u.display_name', 'u.organisation_id'])
    .where('u.organisation_id', 'in', [...new Set(organisationIds)])
    .where('p.disabled_at', 'is', null)
    .where(holdsManagePermission)
    .where('u.kind', '=', 'staff')
    .where('u.disabled_at', 'is', null)
    .orderBy('u.email')
    .execute()
  for (const row of rows) {
    if (!row.organisation_id) {
      continue
    }
    const list = byOrganisation.get(row.organisation_id) ?? []
    list.push({ userId: row.id, email: row.email, displayName: row.display_name })
    byOrganisation.set(row.organisation_id, list)
  }
  return byOrganisation
}

export async function insertReviewReminders(
  db: DbOrTx,
  rows: { serviceId: string; assuredDate: string | null; recipients: number; sentAt: Date }[],
): Promise<void> {
  if (!rows.length) {
    return
  }
  await db
    .insertInto('directory_review_reminders')
    .values(
      rows.map(row => ({
        service_id: row.serviceId,
        assured_date: row.assuredDate,
        recipients: row.recipients,
        sent_at: row.sentAt,
      })),
    )
    .execute()
}

/**
 * Serialises reminder runs across processes (two servers, or a server and the command line) until the transaction
 * ends, so that the second run sees the first one's reminders and sends nothing twice.
 */
export async function lockReviewReminders(db: DbOrTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('directory_review_reminders'))`.execute(db)
}
