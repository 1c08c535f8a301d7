import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { organisationColumns, serviceColumns } from './service-records-store.js'

/*
 * The reads the in-memory search index (search-index.ts) is built from: the published directory, table by table, in a
 * fixed number of queries however big it is.
 */

function published(db: Db) {
  return db.selectFrom('directory_services').select('id').where('workflow_status', '=', 'published')
}

/** Published services with their owning organisation's columns. */
export function listPublishedServiceRows(db: Db) {
  return db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
    .select([
      ...serviceColumns,
      's.for_pregnancy',
      's.pregnancy_from_week',
      's.pregnancy_to_week',
      's.for_children',
      's.child_min_months',
      's.child_max_months',
      's.is_free',
      ...organisationColumns,
    ])
    .where('s.workflow_status', '=', 'published')
    .execute()
}

/** The terms of published services. */
export function listPublishedServiceTerms(db: Db) {
  return db
    .selectFrom('directory_service_terms')
    .select(['service_id', 'term_id'])
    .where('service_id', 'in', published(db))
    .execute()
}

/** The languages of published services. */
export function listPublishedServiceLanguages(db: Db) {
  return db
    .selectFrom('directory_service_languages')
    .select(['service_id', 'code'])
    .where('service_id', 'in', published(db))
    .execute()
}

/** The local authority areas published services are limited to. */
export function listPublishedServiceAreas(db: Db) {
  return db
    .selectFrom('directory_service_areas')
    .select(['service_id', 'la_code'])
    .where('service_id', 'in', published(db))
    .where('la_code', 'is not', null)
    .execute()
}

/** Sessions and events (not closures) of published services, for the day and time filters. */
export function listPublishedSessions(db: Db) {
  return db
    .selectFrom('directory_schedules')
    .select(['service_id', 'day_mask', 'opens_at', 'closes_at', 'valid_to'])
    .where('service_id', 'in', published(db))
    .where('kind', '<>', 'closure')
    .execute()
}

/**
 * Where published services run, with their venues: the real position (for the API, never shown for a confidential
 * venue) and the one searches measure from (search_latitude, search_longitude: migration 0009).
 */
export function listPublishedServiceAtLocations(db: Db) {
  return db
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select([
      'sal.id',
      'sal.service_id',
      'l.id as location_id',
      'l.location_type',
      'l.url',
      'l.name',
      'l.description',
      'l.latitude',
      'l.longitude',
      'l.search_latitude',
      'l.search_longitude',
      'l.external_identifier',
      'l.external_identifier_type',
      'l.network_id',
      'l.site_role',
      'l.confidential',
    ])
    .where('sal.service_id', 'in', published(db))
    .execute()
}

/** Accessibility features of the venues of published services. */
export function listPublishedVenueFeatures(db: Db) {
  return db
    .selectFrom('directory_location_accessibility')
    .select(['location_id', 'feature'])
    .where(
      'location_id',
      'in',
      db.selectFrom('directory_service_at_locations').select('location_id').where('service_id', 'in', published(db)),
    )
    .execute()
}

/** The directory's change counter (migration 0007). */
export async function directoryGeneration(db: Db): Promise<number> {
  const row = await db.selectFrom('directory_state').select('generation').executeTakeFirst()
  return row?.generation ?? 0
}

/** Ids of published services matching a full-text search (PostgreSQL text search, or the name containing it). */
export async function publishedServiceIdsMatching(db: Db, text: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('directory_services as s')
    .select('s.id')
    .where('s.workflow_status', '=', 'published')
    .where(eb =>
      eb.or([
        sql<boolean>`s.search_vector @@ websearch_to_tsquery('english', ${text})`,
        eb('s.name', 'ilike', `%${text.replace(/[\\%_]/g, match => `\\${match}`)}%`),
      ]),
    )
    .execute()
  return new Set(rows.map(row => row.id))
}
