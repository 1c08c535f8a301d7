import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { todayInEngland } from '../../platform/dates.js'
import {
  weekendMask,
  type DirectoryFilters,
  type ScheduleFilter,
  type ServiceAtLocationHit,
  type ServiceHit,
} from './directory-search.js'
import { boundingBox, earthRadiusMetres } from './postcodes.js'
import { Taxonomies, type TaxonomyIndex, type Term } from './taxonomy.js'

/**
 * The search in SQL: a bounding box on the venues' position index, then haversine distances in SQL. The pages and
 * the API search the in-memory index instead (search-index.ts), which applies the same rules in JavaScript and is
 * checked against these functions in the tests; these stay as the reference, and for directories too big to hold.
 * The filters and hits are in directory-search.ts.
 */

type ServiceEb = ExpressionBuilder<Database & { s: Database['directory_services'] }, 's'>
type LocationEb = ExpressionBuilder<Database & { l: Database['directory_locations'] }, 'l'>

/** A group of terms → one condition: regular terms through directory_service_terms, derived ones from the data. */
function termGroupCondition(eb: ServiceEb, termIds: string[], index: TaxonomyIndex): Expression<SqlBool> {
  const terms = termIds.map(id => index.termById.get(id)).filter((term): term is Term => term !== undefined)
  const regular = terms.filter(
    term =>
      term.taxonomyCode !== Taxonomies.site &&
      term.taxonomyCode !== Taxonomies.accessibility &&
      term.taxonomyCode !== Taxonomies.eligibility,
  )
  const options: Expression<SqlBool>[] = []
  if (regular.length) {
    options.push(
      eb.exists(
        eb
          .selectFrom('directory_service_terms as st')
          .select(sql.lit(1).as('one'))
          .whereRef('st.service_id', '=', 's.id')
          .where(
            'st.term_id',
            'in',
            regular.map(term => term.id),
          ),
      ),
    )
  }
  const siteRoles = terms.filter(term => term.taxonomyCode === Taxonomies.site).map(term => term.code)
  if (siteRoles.length) {
    options.push(
      eb.exists(
        eb
          .selectFrom('directory_service_at_locations as tsal')
          .innerJoin('directory_locations as tl', 'tl.id', 'tsal.location_id')
          .select(sql.lit(1).as('one'))
          .whereRef('tsal.service_id', '=', 's.id')
          .where('tl.site_role', 'in', siteRoles as ('hub' | 'spoke' | 'outreach' | 'online')[]),
      ),
    )
  }
  const features = terms.filter(term => term.taxonomyCode === Taxonomies.accessibility).map(term => term.code)
  if (features.length) {
    options.push(
      eb.exists(
        eb
          .selectFrom('directory_service_at_locations as asal')
          .innerJoin('directory_location_accessibility as acc', 'acc.location_id', 'asal.location_id')
          .select(sql.lit(1).as('one'))
          .whereRef('asal.service_id', '=', 's.id')
          .where('acc.feature', 'in', features),
      ),
    )
  }
  if (terms.some(term => term.taxonomyCode === Taxonomies.eligibility && term.code === 'pregnancy')) {
    options.push(eb('s.for_pregnancy', '=', true))
  }
  return options.length ? eb.or(options) : sql<SqlBool>`false`
}

function taxonomyCondition(eb: ServiceEb, taxonomyId: string, index: TaxonomyIndex): Expression<SqlBool> {
  const taxonomy = index.taxonomyById.get(taxonomyId)
  if (!taxonomy) {
    return sql<SqlBool>`false`
  }
  if (
    taxonomy.code === Taxonomies.site ||
    taxonomy.code === Taxonomies.accessibility ||
    taxonomy.code === Taxonomies.eligibility
  ) {
    return termGroupCondition(
      eb,
      index.termsOf(taxonomy.code).map(term => term.id),
      index,
    )
  }
  return eb.exists(
    eb
      .selectFrom('directory_service_terms as xst')
      .innerJoin('directory_taxonomy_terms as xt', 'xt.id', 'xst.term_id')
      .select(sql.lit(1).as('one'))
      .whereRef('xst.service_id', '=', 's.id')
      .where('xt.taxonomy_id', '=', taxonomyId),
  )
}

function scheduleCondition(eb: ServiceEb, filter: ScheduleFilter): Expression<SqlBool> | undefined {
  const parts: Expression<SqlBool>[] = []
  if (filter.dayMask) {
    parts.push(sql<SqlBool>`(sch.day_mask & ${sql.lit(filter.dayMask)}) <> 0`)
  }
  const when: Expression<SqlBool>[] = []
  if (filter.evenings) {
    when.push(sql<SqlBool>`sch.closes_at > '17:30'`)
  }
  if (filter.weekends) {
    when.push(sql<SqlBool>`(sch.day_mask & ${sql.lit(weekendMask)}) <> 0`)
  }
  if (when.length) {
    parts.push(eb.or(when))
  }
  if (filter.opensFrom) {
    parts.push(sql<SqlBool>`sch.opens_at >= ${filter.opensFrom}::time`)
  }
  if (filter.closesBy) {
    parts.push(sql<SqlBool>`sch.closes_at <= ${filter.closesBy}::time`)
  }
  if (!parts.length) {
    return undefined
  }
  return eb.exists(
    eb
      .selectFrom('directory_schedules as sch')
      .select(sql.lit(1).as('one'))
      .whereRef('sch.service_id', '=', 's.id')
      .where('sch.kind', '<>', 'closure')
      .where(sql<SqlBool>`(sch.valid_to IS NULL OR sch.valid_to >= ${todayInEngland()}::date)`)
      .where(eb.and(parts)),
  )
}

/** Conditions on the service row (alias s). */
export function serviceConditions(
  eb: ServiceEb,
  filters: DirectoryFilters,
  index: TaxonomyIndex,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [eb('s.workflow_status', '=', 'published')]
  const text = filters.text?.trim()
  if (text) {
    conditions.push(
      eb.or([
        sql<SqlBool>`s.search_vector @@ websearch_to_tsquery('english', ${text})`,
        eb('s.name', 'ilike', `%${text.replace(/[\\%_]/g, match => `\\${match}`)}%`),
      ]),
    )
  }
  for (const group of filters.termGroups ?? []) {
    if (group.length) {
      conditions.push(termGroupCondition(eb, group, index))
    }
  }
  if (filters.taxonomyId) {
    conditions.push(taxonomyCondition(eb, filters.taxonomyId, index))
  }
  const child = filters.childMonths
  if (child && (child.min !== undefined || child.max !== undefined)) {
    conditions.push(eb('s.for_children', '=', true))
    if (child.min !== undefined) {
      conditions.push(eb.or([eb('s.child_max_months', 'is', null), eb('s.child_max_months', '>=', child.min)]))
    }
    if (child.max !== undefined) {
      conditions.push(eb.or([eb('s.child_min_months', 'is', null), eb('s.child_min_months', '<=', child.max)]))
    }
  }
  const pregnancy = filters.pregnancyWeeks
  if (pregnancy) {
    conditions.push(eb('s.for_pregnancy', '=', true))
    conditions.push(eb.or([eb('s.pregnancy_from_week', 'is', null), eb('s.pregnancy_from_week', '<=', pregnancy.max)]))
    conditions.push(eb.or([eb('s.pregnancy_to_week', 'is', null), eb('s.pregnancy_to_week', '>=', pregnancy.min)]))
  }
  if (filters.freeOnly) {
    conditions.push(eb('s.is_free', '=', true))
  }
  if (filters.languages?.length) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('directory_service_languages as lang')
          .select(sql.lit(1).as('one'))
          .whereRef('lang.service_id', '=', 's.id')
          .where('lang.code', 'in', filters.languages),
      ),
    )
  }
  if (filters.schedule) {
    const condition = scheduleCondition(eb, filters.schedule)
    if (condition) {
      conditions.push(condition)
    }
  }
  if (filters.modifiedAfter) {
    conditions.push(eb('s.updated_at', '>=', filters.modifiedAfter))
  }
  if (filters.directoryOrganisationId) {
    conditions.push(eb('s.directory_organisation_id', '=', filters.directoryOrganisationId))
  }
  if (filters.origin?.laCode !== undefined) {
    // Service areas: a service that names local authorities it covers is found only from postcodes in them.
    const laCode = filters.origin.laCode
    conditions.push(
      eb.or([
        eb.not(
          eb.exists(
            eb
              .selectFrom('directory_service_areas as area')
              .select(sql.lit(1).as('one'))
              .whereRef('area.service_id', '=', 's.id')
              .where('area.la_code', 'is not', null),
          ),
        ),
        laCode === null
          ? sql<SqlBool>`false`
          : eb.exists(
              eb
                .selectFrom('directory_service_areas as area2')
                .select(sql.lit(1).as('one'))
                .whereRef('area2.service_id', '=', 's.id')
                .where('area2.la_code', '=', laCode),
            ),
      ]),
    )
  }
  return conditions
}

/** Conditions on the location row (alias l) that a matching venue must meet. */
export function locationConditions(eb: LocationEb, filters: DirectoryFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = []
  for (const feature of filters.accessibility ?? []) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('directory_location_accessibility as lacc')
          .select(sql.lit(1).as('one'))
          .whereRef('lacc.location_id', '=', 'l.id')
          .where('lacc.feature', '=', feature),
      ),
    )
  }
  if (filters.networkId) {
    conditions.push(eb('l.network_id', '=', filters.networkId))
  }
  if (filters.origin && filters.radiusMetres !== undefined) {
    const box = boundingBox(filters.origin, filters.radiusMetres)
    conditions.push(eb('l.search_latitude', '>=', box.minLat))
    conditions.push(eb('l.search_latitude', '<=', box.maxLat))
    conditions.push(eb('l.search_longitude', '>=', box.minLon))
    conditions.push(eb('l.search_longitude', '<=', box.maxLon))
    conditions.push(sql<SqlBool>`${distanceSql(filters.origin)} <= ${sql.lit(filters.radiusMetres)}`)
  }
  return conditions
}

/** Whether the filters need a venue (a service with no venue cannot meet them). */
function needsVenue(filters: DirectoryFilters): boolean {
  return Boolean(
    filters.accessibility?.length ||
    filters.networkId ||
    (filters.origin && filters.radiusMetres !== undefined && !filters.includeServicesWithoutVenue),
  )
}

/** The query behind searchServices: one row per matching service (service_id, name, distance). */
function serviceHitsQuery(db: DbOrTx, filters: DirectoryFilters, index: TaxonomyIndex) {
  const origin = filters.origin
  const withVenue = db
    .selectFrom('directory_services as s')
    .innerJoin('directory_service_at_locations as sal', 'sal.service_id', 's.id')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select(['s.id as service_id', 's.name as name'])
    .select(
      origin
        ? sql<number | null>`min(${distanceSql(origin)})`.as('distance')
        : sql<number | null>`null::float8`.as('distance'),
    )
    .where(eb => eb.and(serviceConditions(eb as unknown as ServiceEb, filters, index)))
    .where(eb => eb.and(locationConditions(eb as unknown as LocationEb, filters)))
    .where(eb => (origin ? eb('l.search_latitude', 'is not', null) : sql<SqlBool>`true`))
    .groupBy(['s.id', 's.name'])
  if (needsVenue(filters)) {
    return withVenue
  }
  const withoutVenue = db
    .selectFrom('directory_services as s')
    .select(['s.id as service_id', 's.name as name', sql<number | null>`null::float8`.as('distance')])
    .where(eb => eb.and(serviceConditions(eb as unknown as ServiceEb, filters, index)))
    .where(eb =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('directory_service_at_locations as vsal')
            .innerJoin('directory_locations as vl', 'vl.id', 'vsal.location_id')
            .select(sql.lit(1).as('one'))
            .whereRef('vsal.service_id', '=', 's.id')
            .where(origin ? 'vl.search_latitude' : 'vl.id', 'is not', null),
        ),
      ),
    )
  return withVenue.unionAll(withoutVenue)
}

/**
 * Published services matching the filters, one row per service. With an origin: nearest first (the nearest venue
 * that matches), then services with no venue (online, telephone, home visits). Without: by name.
 */
export async function searchServicesSql(
  db: DbOrTx,
  filters: DirectoryFilters,
  index: TaxonomyIndex,
  page: { limit: number; offset: number },
): Promise<{ total: number; hits: ServiceHit[] }> {
  const union = serviceHitsQuery(db, filters, index)
  const rows = await db
    .selectFrom(union.as('hits'))
    .select(['hits.service_id', 'hits.distance', sql<number>`count(*) over ()`.as('total')])
    .orderBy(sql`hits.distance ASC NULLS LAST`)
    .orderBy('hits.name')
    .orderBy('hits.service_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  let total = rows[0] ? rows[0].total : 0
  if (!rows.length && page.offset > 0) {
    const counted = await db
      .selectFrom(union.as('hits'))
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
    total = counted?.n ?? 0
  }
  return {
    total,
    hits: rows.map(row => ({ serviceId: row.service_id, distance: row.distance === null ? null : row.distance })),
  }
}

/** How many matching services carry each of the terms: the counts beside the search page's category filters. */
export async function countServicesByTermSql(
  db: DbOrTx,
  filters: DirectoryFilters,
  index: TaxonomyIndex,
  termIds: string[],
): Promise<Map<string, number>> {
  if (!termIds.length) {
    return new Map()
  }
  const union = serviceHitsQuery(db, filters, index)
  const rows = await db
    .selectFrom('directory_service_terms as st')
    .select(['st.term_id', eb => eb.fn.countAll<number>().as('n')])
    .where('st.term_id', 'in', termIds)
    .where('st.service_id', 'in', db.selectFrom(union.as('hits')).select('hits.service_id'))
    .groupBy('st.term_id')
    .execute()
  return new Map(rows.map(row => [row.term_id, row.n]))
}

/** Published service-at-locations matching the filters; with an origin, nearest first (venues without coordinates last). */
export async function searchServiceAtLocationsSql(
  db: DbOrTx,
  filters: DirectoryFilters,
  index: TaxonomyIndex,
  page: { limit: number; offset: number },
): Promise<{ total: number; hits: ServiceAtLocationHit[] }> {
  const origin = filters.origin
  const base = db
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_services as s', 's.id', 'sal.service_id')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .where(eb => eb.and(serviceConditions(eb as unknown as ServiceEb, filters, index)))
    .where(eb => eb.and(locationConditions(eb as unknown as LocationEb, filters)))
  let query = base
    .select(['sal.id', 'sal.service_id', 'sal.location_id'])
    .select(origin ? distanceSql(origin).as('distance') : sql<number | null>`null::float8`.as('distance'))
    .select(sql<number>`count(*) over ()`.as('total'))
  query = origin ? query.orderBy(sql`distance ASC NULLS LAST`) : query
  const rows = await query
    .orderBy('s.name')
    .orderBy('s.id')
    .orderBy('sal.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  let total = rows[0] ? rows[0].total : 0
  if (!rows.length && page.offset > 0) {
    const counted = await base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    total = counted?.n ?? 0
  }
  return {
    total,
    hits: rows.map(row => ({
      id: row.id,
      serviceId: row.service_id,
      locationId: row.location_id,
      distance: row.distance === null ? null : row.distance,
    })),
  }
}

/**
 * Haversine distance in metres from the origin to the location aliased `alias` (l by default), in SQL: to where
 * searches measure from (search_latitude, search_longitude: coarse for a confidential venue; migration 0009).
 */
export function distanceSql(origin: { latitude: number; longitude: number }, alias = 'l'): RawBuilder<number> {
  const lat = sql.ref(`${alias}.search_latitude`)
  const lon = sql.ref(`${alias}.search_longitude`)
  const oLat = sql.lit(origin.latitude)
  const oLon = sql.lit(origin.longitude)
  return sql<number>`(${2 * earthRadiusMetres} * asin(least(1, sqrt(power(sin(radians(${lat} - ${oLat}) / 2), 2) + cos(radians(${oLat})) * cos(radians(${lat})) * power(sin(radians(${lon} - ${oLon}) / 2), 2)))))`
}
