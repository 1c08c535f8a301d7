import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { VersionKind, WorkflowStatus } from './directory-tables.js'
import { languageName, type ServiceDraft } from './service-draft.js'
import { Taxonomies, type TaxonomyIndex } from './taxonomy.js'
import { applyWhereAndWhen } from './venue-store.js'

/** Which services a user manages: every service (directory admins), or their own organisation's. */
export type ManageScope = { all: true } | { all: false; organisationId: string | null }

export interface ManagedServiceRow {
  id: string
  name: string
  workflowStatus: WorkflowStatus
  operatingStatus: string
  assuredDate: string | null
  pendingVersionId: number | null
  organisationName: string
  updatedAt: Date
}

function scoped(db: DbOrTx, scope: ManageScope) {
  let query = db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
  if (!scope.all) {
    query = scope.organisationId
      ? query.where('o.organisation_id', '=', scope.organisationId)
      : query.where(sql.lit(false), '=', true)
  }
  return query
}

const rowColumns = [
  's.id',
  's.name',
  's.workflow_status',
  's.operating_status',
  's.assured_date',
  's.pending_version_id',
  'o.name as organisation_name',
  's.updated_at',
] as const

function toRow(row: {
  id: string
  name: string
  workflow_status: WorkflowStatus
  operating_status: string
  assured_date: string | null
  pending_version_id: number | null
  organisation_name: string
  updated_at: Date
}): ManagedServiceRow {
  return {
    id: row.id,
    name: row.name,
    workflowStatus: row.workflow_status,
    operatingStatus: row.operating_status,
    assuredDate: row.assured_date,
    pendingVersionId: row.pending_version_id === null ? null : row.pending_version_id,
    organisationName: row.organisation_name,
    updatedAt: row.updated_at,
  }
}

export async function listManagedServices(
  db: DbOrTx,
  scope: ManageScope,
  options: { status?: WorkflowStatus | undefined; limit: number; offset: number },
): Promise<{ total: number; rows: ManagedServiceRow[] }> {
  let query = scoped(db, scope)
  if (options.status) {
    query = query.where('s.workflow_status', '=', options.status)
  }
  const total = (await query.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0
  const rows = await query
    .select(rowColumns)
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(options.limit)
    .offset(options.offset)
    .execute()
  return { total, rows: rows.map(toRow) }
}

/** Published services whose assured (checked) date is more than three months old, or never set: oldest first. */
export async function listNeedsReview(db: DbOrTx, scope: ManageScope): Promise<ManagedServiceRow[]> {
  const rows = await scoped(db, scope)
    .select(rowColumns)
    .where('s.workflow_status', '=', 'published')
    .where(eb =>
      eb.or([
        eb('s.assured_date', 'is', null),
        eb('s.assured_date', '<', sql<string>`(current_date - interval '3 months')::date`),
      ]),
    )
    .orderBy(sql`s.assured_date ASC NULLS FIRST`)
    .orderBy('s.name')
    .limit(500)
    .execute()
  return rows.map(toRow)
}

/** New services and changes to published ones waiting for a directory admin. */
export async function listAwaitingApproval(db: DbOrTx): Promise<ManagedServiceRow[]> {
  const rows = await scoped(db, { all: true })
    .select(rowColumns)
    .where(eb => eb.or([eb('s.workflow_status', '=', 'awaiting_approval'), eb('s.pending_version_id', 'is not', null)]))
    .orderBy('s.updated_at')
    .limit(500)
    .execute()
  return rows.map(toRow)
}

export async function countsFor(db: DbOrTx, scope: ManageScope): Promise<{ review: number; approval: number }> {
  const review = await scoped(db, scope)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('s.workflow_status', '=', 'published')
    .where(eb =>
      eb.or([
        eb('s.assured_date', 'is', null),
        eb('s.assured_date', '<', sql<string>`(current_date - interval '3 months')::date`),
      ]),
    )
    .executeTakeFirst()
  const approval = await scoped(db, scope)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where(eb => eb.or([eb('s.workflow_status', '=', 'awaiting_approval'), eb('s.pending_version_id', 'is not', null)]))
    .executeTakeFirst()
  return { review: review?.n ?? 0, approval: approval?.n ?? 0 }
}

/** Who owns a service: its directory organisation and the platform organisation (and kind) behind it. */
export async function serviceOwner(
  db: DbOrTx,
  serviceId: string,
): Promise<
  { directoryOrganisationId: string; organisationId: string | null; organisationKind: string | null } | undefined
> {
  const row = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
    .leftJoin('organisations as p', 'p.id', 'o.organisation_id')
    .select(['o.id as directory_organisation_id', 'o.organisation_id', 'p.kind'])
    .where('s.id', '=', serviceId)
    .executeTakeFirst()
  return row
    ? {
        directoryOrganisationId: row.directory_organisation_id,
        organisationId: row.organisation_id,
        organisationKind: row.kind,
      }
    : undefined
}

/** Every directory organisation, by name (the provider list directory admins choose from). */
export async function listDirectoryOrganisations(db: DbOrTx): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('directory_organisations').select(['id', 'name']).orderBy('name').execute()
}

/** A new service in draft, with only its name and description: applyDraft fills in the rest. Returns its id. */
export async function createService(
  db: DbOrTx,
  service: { directoryOrganisationId: string; name: string; description: string },
): Promise<string> {
  const row = await db
    .insertInto('directory_services')
    .values({
      directory_organisation_id: service.directoryOrganisationId,
      name: service.name,
      description: service.description,
      workflow_status: 'draft',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The directory organisation of a platform organisation, made from it the first time. */
export async function directoryOrganisationFor(db: DbOrTx, organisationId: string): Promise<string> {
  const existing = await db
    .selectFrom('directory_organisations')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst()
  if (existing) {
    return existing.id
  }
  const organisation = await db
    .selectFrom('organisations')
    .select(['name'])
    .where('id', '=', organisationId)
    .executeTakeFirstOrThrow()
  const row = await db
    .insertInto('directory_organisations')
    .values({
      organisation_id: organisationId,
      name: organisation.name,
      description: `${organisation.name} provides services for families.`,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function addVersion(
  db: DbOrTx,
  version: {
    serviceId: string
    kind: VersionKind
    snapshot: ServiceDraft
    changedFields?: string[]
    note?: string | null
    userId: string | null
    /** For a proposal: the latest version of the service when it was proposed (see `basedOnVersionOf`). */
    basedOnVersion?: number
  },
): Promise<number> {
  const next = await db
    .selectFrom('directory_service_versions')
    .select(eb => eb.fn.max('version').as('v'))
    .where('service_id', '=', version.serviceId)
    .executeTakeFirst()
  const row = await db
    .insertInto('directory_service_versions')
    .values({
      service_id: version.serviceId,
      version: (next?.v ?? 0) + 1,
      kind: version.kind,
      snapshot: JSON.stringify(
        version.basedOnVersion === undefined
          ? version.snapshot
          : { ...version.snapshot, basedOnVersion: version.basedOnVersion },
      ),
      changed_fields: version.changedFields ?? [],
      note: version.note ?? null,
      user_id: version.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The service's latest version number (0 if it has none). */
export async function latestVersion(db: DbOrTx, serviceId: string): Promise<number> {
  const row = await db
    .selectFrom('directory_service_versions')
    .select(eb => eb.fn.max('version').as('v'))
    .where('service_id', '=', serviceId)
    .executeTakeFirst()
  return row?.v ?? 0
}

/**
 * The version of the live service a proposal was based on, kept in its snapshot beside the draft. Proposals written
 * before it was recorded have none (undefined).
 */
export function basedOnVersionOf(snapshot: Record<string, unknown> | undefined): number | undefined {
  const value = snapshot?.basedOnVersion
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

/** The snapshot of a proposal as a draft, without the version it was based on. */
export function draftOfProposal(snapshot: Record<string, unknown>): ServiceDraft {
  const { basedOnVersion: _basedOn, ...draft } = snapshot
  return draft as unknown as ServiceDraft
}

/**
 * Has the live service been changed (edited directly, another change approved, or imported) after `version`?
 * Approving a proposal based on that version would then undo the later change.
 */
export async function liveChangedSince(db: DbOrTx, serviceId: string, version: number): Promise<boolean> {
  const row = await db
    .selectFrom('directory_service_versions')
    .select('id')
    .where('service_id', '=', serviceId)
    .where('version', '>', version)
    .where('kind', 'in', ['edited', 'approved', 'imported'])
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export interface VersionRow {
  id: number
  version: number
  kind: VersionKind
  changedFields: string[]
  note: string | null
  userName: string | null
  createdAt: Date
  snapshot: Record<string, unknown>
}

export async function listVersions(db: DbOrTx, serviceId: string): Promise<VersionRow[]> {
  const rows = await db
    .selectFrom('directory_service_versions as v')
    .leftJoin('users as u', 'u.id', 'v.user_id')
    .select([
      'v.id',
      'v.version',
      'v.kind',
      'v.changed_fields',
      'v.note',
      'u.display_name',
      'v.created_at',
      'v.snapshot',
    ])
    .where('v.service_id', '=', serviceId)
    .orderBy('v.version', 'desc')
    .execute()
  return rows.map(row => ({
    id: row.id,
    version: row.version,
    kind: row.kind,
    changedFields: row.changed_fields,
    note: row.note,
    userName: row.display_name,
    createdAt: row.created_at,
    snapshot: row.snapshot,
  }))
}

export async function findVersion(db: DbOrTx, id: number): Promise<VersionRow | undefined> {
  const row = await db
    .selectFrom('directory_service_versions as v')
    .leftJoin('users as u', 'u.id', 'v.user_id')
    .select([
      'v.id',
      'v.version',
      'v.kind',
      'v.changed_fields',
      'v.note',
      'u.display_name',
      'v.created_at',
      'v.snapshot',
    ])
    .where('v.id', '=', id)
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        version: row.version,
        kind: row.kind,
        changedFields: row.changed_fields,
        note: row.note,
        userName: row.display_name,
        createdAt: row.created_at,
        snapshot: row.snapshot,
      }
    : undefined
}

export async function setWorkflow(
  db: DbOrTx,
  serviceId: string,
  changes: {
    status?: WorkflowStatus
    pendingVersionId?: number | null
    assuredDate?: string
    assurerEmail?: string
    archivedAt?: Date | null
  },
): Promise<void> {
  await db
    .updateTable('directory_services')
    .set({
      ...(changes.status ? { workflow_status: changes.status } : {}),
      ...(changes.pendingVersionId !== undefined ? { pending_version_id: changes.pendingVersionId } : {}),
      ...(changes.assuredDate
        ? { assured_date: changes.assuredDate, assurer_email: changes.assurerEmail ?? null }
        : {}),
      ...(changes.archivedAt !== undefined ? { archived_at: changes.archivedAt } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', serviceId)
    .execute()
}

/** Locks the service row for the rest of the transaction, so that two people's changes do not interleave. */
export async function lockService(
  db: DbOrTx,
  serviceId: string,
): Promise<{ workflowStatus: WorkflowStatus; pendingVersionId: number | null } | undefined> {
  const row = await db
    .selectFrom('directory_services')
    .select(['workflow_status', 'pending_version_id'])
    .where('id', '=', serviceId)
    .forUpdate()
    .executeTakeFirst()
  return row
    ? {
        workflowStatus: row.workflow_status,
        pendingVersionId: row.pending_version_id === null ? null : row.pending_version_id,
      }
    : undefined
}

/**
 * Writes a draft onto a service: its row, its categories and delivery methods, languages, cost and phone, and (when
 * the draft has them) its venues and times.
 */
export async function applyDraft(
  db: DbOrTx,
  serviceId: string,
  draft: ServiceDraft,
  index: TaxonomyIndex,
): Promise<void> {
  await db
    .updateTable('directory_services')
    .set({
      name: draft.name,
      summary: draft.summary,
      description: draft.description,
      for_pregnancy: draft.forPregnancy,
      pregnancy_from_week: draft.pregnancyFromWeek,
      pregnancy_to_week: draft.pregnancyToWeek,
      for_children: draft.forChildren,
      child_min_months: draft.childMinMonths,
      child_max_months: draft.childMaxMonths,
      who_can_attend: draft.whoCanAttend,
      how_to_access: draft.howToAccess,
      is_free: draft.isFree,
      email: draft.email,
      url: draft.url,
      operating_status: draft.operatingStatus,
      alert: draft.alert,
      updated_at: new Date(),
    })
    .where('id', '=', serviceId)
    .execute()
  const editable = [...index.termsOf(Taxonomies.startForLife), ...index.termsOf(Taxonomies.delivery)]
  await db
    .deleteFrom('directory_service_terms')
    .where('service_id', '=', serviceId)
    .where(
      'term_id',
      'in',
      editable.map(term => term.id),
    )
    .execute()
  const terms = [
    ...draft.categoryCodes.map(code => index.term(Taxonomies.startForLife, code)),
    ...draft.deliveryCodes.map(code => index.term(Taxonomies.delivery, code)),
  ].filter(term => term !== undefined)
  if (terms.length) {
    await db
      .insertInto('directory_service_terms')
      .values(terms.map(term => ({ service_id: serviceId, term_id: term.id })))
      .execute()
  }
  await db.deleteFrom('directory_service_languages').where('service_id', '=', serviceId).execute()
  if (draft.languageCodes.length) {
    await db
      .insertInto('directory_service_languages')
      .values(draft.languageCodes.map(code => ({ service_id: serviceId, code, name: languageName(code) })))
      .execute()
  }
  await db.deleteFrom('directory_cost_options').where('service_id', '=', serviceId).execute()
  await db
    .insertInto('directory_cost_options')
    .values(
      draft.isFree
        ? { service_id: serviceId, option: 'Free', amount: 0 }
        : {
            service_id: serviceId,
            option: 'Standard',
            amount: draft.costAmount ?? 0,
            amount_description: draft.costDescription,
          },
    )
    .execute()
  const phone = await db
    .selectFrom('directory_phones')
    .select('id')
    .where('service_id', '=', serviceId)
    .orderBy('kind')
    .orderBy('id')
    .executeTakeFirst()
  if (draft.phone === null) {
    await db.deleteFrom('directory_phones').where('service_id', '=', serviceId).execute()
  } else if (phone) {
    await db.updateTable('directory_phones').set({ number: draft.phone }).where('id', '=', phone.id).execute()
  } else {
    await db.insertInto('directory_phones').values({ service_id: serviceId, number: draft.phone }).execute()
  }
  if (draft.whereAndWhen) {
    await applyWhereAndWhen(db, serviceId, draft.whereAndWhen)
  }
}
