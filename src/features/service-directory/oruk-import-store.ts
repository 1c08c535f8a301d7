import type { Insertable } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import type { ServiceDraft } from './service-draft.js'

/**
 * The writes of an ORUK feed import (oruk-import.ts), keyed by the feed's own ids: run in the import's transaction,
 * records are upserted and a service's children replaced as a whole.
 */

type Row<T extends keyof Database> = Insertable<Database[T]>

/** Of these service ids, those of services made in this directory (not by an import), which a feed may not overwrite. */
export async function listLocalServiceIds(db: DbOrTx, ids: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('directory_services')
    .select(['id'])
    .where('id', 'in', ids)
    .where('source', 'not like', 'import:%')
    .execute()
  return rows.map(row => row.id)
}

/**
 * Of these location ids, those of venues made in this directory (not by an import), which a feed may not overwrite:
 * upsertLocation would rewrite them, owning organisation included.
 */
export async function listLocalLocationIds(db: DbOrTx, ids: string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('directory_locations')
    .select(['id'])
    .where('id', 'in', ids)
    .where('source', 'not like', 'import:%')
    .execute()
  return rows.map(row => row.id)
}

/** Of these service ids, those already in the directory. */
export async function listExistingServiceIds(db: DbOrTx, ids: string[]): Promise<string[]> {
  return (await db.selectFrom('directory_services').select('id').where('id', 'in', ids).execute()).map(row => row.id)
}

/** Postcode → local authority code, for those of these postcodes we know. */
export async function postcodeAreas(db: DbOrTx, postcodes: string[]): Promise<Map<string, string | null>> {
  const rows = await db
    .selectFrom('postcodes')
    .select(['postcode', 'la_code'])
    .where('postcode', 'in', postcodes)
    .execute()
  return new Map(rows.map(row => [row.postcode, row.la_code]))
}

export async function upsertOrganisation(db: DbOrTx, row: Row<'directory_organisations'>): Promise<void> {
  await db
    .insertInto('directory_organisations')
    .values(row)
    .onConflict(oc =>
      oc.column('id').doUpdateSet(eb => ({
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        email: eb.ref('excluded.email'),
        website: eb.ref('excluded.website'),
        logo: eb.ref('excluded.logo'),
        uri: eb.ref('excluded.uri'),
        updated_at: new Date(),
      })),
    )
    .execute()
}

/** Replaces an organisation's identifiers (an identifier id already in use elsewhere is skipped). */
export async function replaceOrganisationIdentifiers(
  db: DbOrTx,
  organisationId: string,
  rows: Row<'directory_organisation_identifiers'>[],
): Promise<void> {
  await db
    .deleteFrom('directory_organisation_identifiers')
    .where('directory_organisation_id', '=', organisationId)
    .execute()
  if (rows.length) {
    await db
      .insertInto('directory_organisation_identifiers')
      .values(rows)
      .onConflict(oc => oc.column('id').doNothing())
      .execute()
  }
}

/** A taxonomy named by a feed, by code (renamed if it is already there). Returns its id. */
export async function upsertImportedTaxonomy(
  db: DbOrTx,
  row: Row<'directory_taxonomies'> & { code: string; name: string },
): Promise<string> {
  const taxonomy = await db
    .insertInto('directory_taxonomies')
    .values(row)
    .onConflict(oc => oc.column('code').doUpdateSet({ name: row.name }))
    .returning('id')
    .executeTakeFirstOrThrow()
  return taxonomy.id
}

export async function upsertImportedTerm(db: DbOrTx, row: Row<'directory_taxonomy_terms'>): Promise<void> {
  await db
    .insertInto('directory_taxonomy_terms')
    .values(row)
    .onConflict(oc =>
      oc.column('id').doUpdateSet(eb => ({
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        term_uri: eb.ref('excluded.term_uri'),
      })),
    )
    .execute()
}

export async function upsertService(db: DbOrTx, row: Row<'directory_services'>): Promise<void> {
  await db
    .insertInto('directory_services')
    .values(row)
    .onConflict(oc =>
      oc.column('id').doUpdateSet(eb => ({
        directory_organisation_id: eb.ref('excluded.directory_organisation_id'),
        name: eb.ref('excluded.name'),
        description: eb.ref('excluded.description'),
        url: eb.ref('excluded.url'),
        email: eb.ref('excluded.email'),
        workflow_status: eb.ref('excluded.workflow_status'),
        operating_status: eb.ref('excluded.operating_status'),
        for_pregnancy: eb.ref('excluded.for_pregnancy'),
        for_children: eb.ref('excluded.for_children'),
        child_min_months: eb.ref('excluded.child_min_months'),
        child_max_months: eb.ref('excluded.child_max_months'),
        is_free: eb.ref('excluded.is_free'),
        fees_description: eb.ref('excluded.fees_description'),
        accreditations: eb.ref('excluded.accreditations'),
        alert: eb.ref('excluded.alert'),
        assured_date: eb.ref('excluded.assured_date'),
        assurer_email: eb.ref('excluded.assurer_email'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
}

/** Deletes a service's children (venues links, times, costs, languages, contacts, areas, funding, terms). */
export async function deleteServiceChildren(db: DbOrTx, serviceId: string): Promise<void> {
  for (const table of [
    'directory_service_at_locations',
    'directory_schedules',
    'directory_cost_options',
    'directory_service_languages',
    'directory_phones',
    'directory_contacts',
    'directory_service_areas',
    'directory_funding',
    'directory_service_terms',
  ] as const) {
    await db.deleteFrom(table).where('service_id', '=', serviceId).execute()
  }
}

export async function insertServiceTerms(db: DbOrTx, rows: Row<'directory_service_terms'>[]): Promise<void> {
  if (rows.length) {
    await db.insertInto('directory_service_terms').values(rows).execute()
  }
}

/** Inserts or updates a venue (all but its id and source). */
export async function upsertLocation(db: DbOrTx, row: Row<'directory_locations'>): Promise<void> {
  const { id: _id, source: _source, ...updatable } = row
  await db
    .insertInto('directory_locations')
    .values(row)
    .onConflict(oc => oc.column('id').doUpdateSet(updatable))
    .execute()
}

/** Replaces a venue's accessibility features (a feature id already in use elsewhere is skipped). */
export async function replaceLocationAccessibility(
  db: DbOrTx,
  locationId: string,
  rows: Row<'directory_location_accessibility'>[],
): Promise<void> {
  await db.deleteFrom('directory_location_accessibility').where('location_id', '=', locationId).execute()
  if (rows.length) {
    await db
      .insertInto('directory_location_accessibility')
      .values(rows)
      .onConflict(oc => oc.column('id').doNothing())
      .execute()
  }
}

export async function insertServiceAtLocation(db: DbOrTx, row: Row<'directory_service_at_locations'>): Promise<void> {
  await db.insertInto('directory_service_at_locations').values(row).execute()
}

export async function insertSchedules(db: DbOrTx, rows: Row<'directory_schedules'>[]): Promise<void> {
  if (rows.length) {
    await db.insertInto('directory_schedules').values(rows).execute()
  }
}

export async function insertCostOptions(db: DbOrTx, rows: Row<'directory_cost_options'>[]): Promise<void> {
  if (rows.length) {
    await db.insertInto('directory_cost_options').values(rows).execute()
  }
}

export async function insertLanguages(db: DbOrTx, rows: Row<'directory_service_languages'>[]): Promise<void> {
  if (rows.length) {
    await db.insertInto('directory_service_languages').values(rows).execute()
  }
}

export async function insertContact(db: DbOrTx, row: Row<'directory_contacts'>): Promise<void> {
  await db.insertInto('directory_contacts').values(row).execute()
}

export async function insertPhone(db: DbOrTx, row: Row<'directory_phones'>): Promise<void> {
  await db.insertInto('directory_phones').values(row).execute()
}

export async function insertServiceAreas(db: DbOrTx, rows: Row<'directory_service_areas'>[]): Promise<void> {
  if (rows.length) {
    await db.insertInto('directory_service_areas').values(rows).execute()
  }
}

export async function insertFunding(db: DbOrTx, rows: Row<'directory_funding'>[]): Promise<void> {
  if (rows.length) {
    await db.insertInto('directory_funding').values(rows).execute()
  }
}

/** The service's next version, kind 'imported', holding what the feed said. */
export async function addImportedVersion(
  db: DbOrTx,
  serviceId: string,
  snapshot: ServiceDraft,
  note: string,
): Promise<void> {
  const next = await db
    .selectFrom('directory_service_versions')
    .select(eb => eb.fn.max('version').as('v'))
    .where('service_id', '=', serviceId)
    .executeTakeFirst()
  await db
    .insertInto('directory_service_versions')
    .values({
      service_id: serviceId,
      version: (next?.v ?? 0) + 1,
      kind: 'imported',
      snapshot: JSON.stringify(snapshot),
      note,
    })
    .execute()
}
