import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import type { DirectoryFilters, ServiceAtLocationHit, ServiceHit } from './directory-search.js'
import type { SiteRole } from './directory-tables.js'
import { boundingBox, haversineBetween } from './postcodes.js'
import {
  organisationColumns,
  serviceColumns,
  loadServices,
  type FlatServiceAtLocation,
  type FlatServiceRecord,
  type OrganisationRecord,
  type ServiceRecord,
} from './service-records.js'
import { Taxonomies, type TaxonomyIndex } from './taxonomy.js'

/**
 * The published directory in memory, for searching: every published service with what its filters need, every
 * venue with its coordinates, and the one-to-one fields the API lists show. A search filters and sorts this in
 * JavaScript (tens of thousands of venues take well under a millisecond) instead of querying the database on every
 * request; the database stays the source of truth.
 *
 * Freshness: directory_state.generation counts changes to the directory tables (migration 0007). Each process
 * checks it at most every `checkEveryMs` and rebuilds the index when it has moved; a change made through this
 * process invalidates at once. So a change made elsewhere (another server, a command-line import) shows within a
 * second.
 */
export const directoryIndexOptions = { checkEveryMs: 1000, recordCacheSize: 5000 }

interface IndexedLocation {
  id: string
  latitude: number | null
  longitude: number | null
  networkId: string | null
  siteRole: SiteRole | null
  features: string[]
  flat: FlatServiceAtLocation['location']
}

interface IndexedSal {
  id: string
  serviceId: string
  service: IndexedService
  location: IndexedLocation
  /** Position in the list ordered by service name, then id: the tie-break after distance. */
  rank: number
  /** The one-to-one fields for API lists (the same object for the life of the index, so it can key caches). */
  flat: FlatServiceAtLocation
}

interface IndexedSchedule {
  dayMask: number
  /** 'HH:MM:SS' */
  opensAt: string | null
  closesAt: string | null
  validTo: string | null
}

interface IndexedService {
  id: string
  /** Position in the list ordered by name, then id. */
  rank: number
  name: string
  directoryOrganisationId: string
  forPregnancy: boolean
  pregnancyFromWeek: number | null
  pregnancyToWeek: number | null
  forChildren: boolean
  childMinMonths: number | null
  childMaxMonths: number | null
  isFree: boolean
  updatedAt: number
  terms: Set<string>
  languages: Set<string>
  areas: string[]
  schedules: IndexedSchedule[]
  sals: IndexedSal[]
  flat: FlatServiceRecord
  /** Memo of the service test within one search: which search, and its verdict. */
  searchStamp: number
  searchVerdict: boolean
  /** Within one search: whether a venue matched, and the nearest distance so far. */
  matchStamp: number
  matchDistance: number | null
  /** The service's term ids as an array (faster to walk than the set when counting). */
  termList: string[]
}

export interface DirectoryIndex {
  generation: number
  builtAt: Date
  /** Sorted by name, then id. */
  services: IndexedService[]
  /** Sorted by service name, then id. */
  sals: IndexedSal[]
  serviceById: Map<string, IndexedService>
  salById: Map<string, IndexedSal>
  /** Venues with coordinates by grid cell (gridDegrees square), so that a radius search reads only nearby cells. */
  grid: Map<number, IndexedSal[]>
  /** Service-at-locations whose venue has no coordinates (online). */
  unlocated: IndexedSal[]
  /** Services with no venue that has coordinates. */
  venueless: IndexedService[]
}

const gridDegrees = 0.02

function cellOf(latitude: number, longitude: number): [number, number] {
  return [Math.floor((latitude + 90) / gridDegrees), Math.floor((longitude + 180) / gridDegrees)]
}

function cellKey(row: number, column: number): number {
  return row * 100_000 + column
}

interface State {
  index: DirectoryIndex | undefined
  checkedAt: number
  building: Promise<DirectoryIndex> | undefined
  records: Map<string, ServiceRecord>
  texts: Map<string, Set<string>>
}

const states = new WeakMap<Db, State>()

function stateOf(db: Db): State {
  let state = states.get(db)
  if (!state) {
    state = { index: undefined, checkedAt: 0, building: undefined, records: new Map(), texts: new Map() }
    states.set(db, state)
  }
  return state
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

async function build(db: Db, generation: number): Promise<DirectoryIndex> {
  const serviceRows = await db
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
  const organisations = new Map<string, OrganisationRecord>()
  const services = serviceRows.map((row): IndexedService => {
    let organisation = organisations.get(row.o_id)
    if (!organisation) {
      organisation = {
        id: row.o_id,
        organisationId: row.o_organisation_id,
        name: row.o_name,
        description: row.o_description,
        email: row.o_email,
        website: row.o_website,
        logo: row.o_logo,
        uri: row.o_uri,
        parentId: row.o_parent_id,
        identifiers: [],
      }
      organisations.set(row.o_id, organisation)
    }
    return {
      id: row.id,
      rank: 0,
      name: row.name,
      directoryOrganisationId: row.o_id,
      forPregnancy: row.for_pregnancy,
      pregnancyFromWeek: row.pregnancy_from_week,
      pregnancyToWeek: row.pregnancy_to_week,
      forChildren: row.for_children,
      childMinMonths: row.child_min_months,
      childMaxMonths: row.child_max_months,
      isFree: row.is_free,
      updatedAt: row.updated_at.getTime(),
      terms: new Set(),
      languages: new Set(),
      areas: [],
      schedules: [],
      sals: [],
      searchStamp: 0,
      searchVerdict: false,
      matchStamp: 0,
      matchDistance: null,
      termList: [],
      flat: {
        id: row.id,
        organisation,
        name: row.name,
        summary: row.summary,
        description: row.description,
        url: row.url,
        email: row.email,
        operatingStatus: row.operating_status,
        feesDescription: row.fees_description,
        accreditations: row.accreditations,
        assuredDate: row.assured_date,
        assurerEmail: row.assurer_email,
        alert: row.alert,
        updatedAt: row.updated_at,
        forChildren: row.for_children,
        childMinMonths: row.child_min_months,
        childMaxMonths: row.child_max_months,
      },
    }
  })
  services.sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id))
  services.forEach((service, i) => {
    service.rank = i
  })
  const serviceById = new Map(services.map(service => [service.id, service]))
  const published = db.selectFrom('directory_services').select('id').where('workflow_status', '=', 'published')

  for (const row of await db
    .selectFrom('directory_service_terms')
    .select(['service_id', 'term_id'])
    .where('service_id', 'in', published)
    .execute()) {
    const service = serviceById.get(row.service_id)
    if (service && !service.terms.has(row.term_id)) {
      service.terms.add(row.term_id)
      service.termList.push(row.term_id)
    }
  }
  for (const row of await db
    .selectFrom('directory_service_languages')
    .select(['service_id', 'code'])
    .where('service_id', 'in', published)
    .execute()) {
    serviceById.get(row.service_id)?.languages.add(row.code)
  }
  for (const row of await db
    .selectFrom('directory_service_areas')
    .select(['service_id', 'la_code'])
    .where('service_id', 'in', published)
    .where('la_code', 'is not', null)
    .execute()) {
    if (row.la_code) {
      serviceById.get(row.service_id)?.areas.push(row.la_code)
    }
  }
  for (const row of await db
    .selectFrom('directory_schedules')
    .select(['service_id', 'day_mask', 'opens_at', 'closes_at', 'valid_to'])
    .where('service_id', 'in', published)
    .where('kind', '<>', 'closure')
    .execute()) {
    serviceById
      .get(row.service_id)
      ?.schedules.push({ dayMask: row.day_mask, opensAt: row.opens_at, closesAt: row.closes_at, validTo: row.valid_to })
  }
  const salRows = await db
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
      'l.external_identifier',
      'l.external_identifier_type',
      'l.network_id',
      'l.site_role',
      'l.confidential',
    ])
    .where('sal.service_id', 'in', published)
    .execute()
  const locations = new Map<string, IndexedLocation>()
  for (const row of salRows) {
    if (!locations.has(row.location_id)) {
      locations.set(row.location_id, {
        id: row.location_id,
        latitude: row.latitude,
        longitude: row.longitude,
        networkId: row.network_id,
        siteRole: row.site_role,
        features: [],
        flat: {
          id: row.location_id,
          locationType: row.location_type,
          url: row.url,
          name: row.name,
          description: row.description,
          latitude: row.latitude,
          longitude: row.longitude,
          externalIdentifier: row.external_identifier,
          externalIdentifierType: row.external_identifier_type,
          confidential: row.confidential,
        },
      })
    }
  }
  for (const row of await db
    .selectFrom('directory_location_accessibility')
    .select(['location_id', 'feature'])
    .where(
      'location_id',
      'in',
      db.selectFrom('directory_service_at_locations').select('location_id').where('service_id', 'in', published),
    )
    .execute()) {
    locations.get(row.location_id)?.features.push(row.feature)
  }
  const sals: IndexedSal[] = []
  for (const row of salRows) {
    const service = serviceById.get(row.service_id)
    const location = locations.get(row.location_id)
    if (service && location) {
      const sal: IndexedSal = {
        id: row.id,
        serviceId: service.id,
        service,
        location,
        rank: 0,
        flat: { id: row.id, service: service.flat, location: location.flat },
      }
      service.sals.push(sal)
      sals.push(sal)
    }
  }
  sals.sort((a, b) => a.service.rank - b.service.rank || byText(a.id, b.id))
  const grid = new Map<number, IndexedSal[]>()
  const unlocated: IndexedSal[] = []
  sals.forEach((sal, i) => {
    sal.rank = i
    const { latitude, longitude } = sal.location
    if (latitude === null || longitude === null) {
      unlocated.push(sal)
      return
    }
    const [row, column] = cellOf(latitude, longitude)
    const key = cellKey(row, column)
    const cell = grid.get(key)
    if (cell) {
      cell.push(sal)
    } else {
      grid.set(key, [sal])
    }
  })
  const venueless = services.filter(service => !service.sals.some(sal => sal.location.latitude !== null))
  return {
    generation,
    builtAt: new Date(),
    services,
    sals,
    serviceById,
    salById: new Map(sals.map(sal => [sal.id, sal])),
    grid,
    unlocated,
    venueless,
  }
}

/** The current index: checks the change counter at most every checkEveryMs, and rebuilds when it has moved. */
export async function directoryIndex(db: Db): Promise<DirectoryIndex> {
  const state = stateOf(db)
  const now = Date.now()
  if (state.index && now - state.checkedAt < directoryIndexOptions.checkEveryMs) {
    return state.index
  }
  const row = await db.selectFrom('directory_state').select('generation').executeTakeFirst()
  const generation = row?.generation ?? 0
  state.checkedAt = now
  if (state.index?.generation === generation) {
    return state.index
  }
  if (!state.building) {
    state.building = build(db, generation).finally(() => {
      state.building = undefined
    })
  }
  const index = await state.building
  if (state.index !== index) {
    state.index = index
    state.records.clear()
    state.texts.clear()
  }
  return index
}

/** After a change made by this process: the next search checks the counter (and rebuilds). */
export function invalidateDirectoryIndex(db: Db): void {
  stateOf(db).checkedAt = 0
}

/**
 * Published services with everything attached (as loadServices), from a cache that lives as long as the index's
 * generation. Unpublished or unknown ids are skipped.
 */
export async function cachedServices(db: Db, ids: string[]): Promise<ServiceRecord[]> {
  const index = await directoryIndex(db)
  const state = stateOf(db)
  const missing = ids.filter(id => index.serviceById.has(id) && !state.records.has(id))
  if (missing.length) {
    const loaded = await loadServices(db, [...new Set(missing)])
    if (state.records.size + loaded.length > directoryIndexOptions.recordCacheSize) {
      state.records.clear()
    }
    for (const record of loaded) {
      if (record.workflowStatus === 'published') {
        state.records.set(record.id, record)
      }
    }
  }
  return ids.flatMap(id => {
    const record = state.records.get(id)
    return record ? [record] : []
  })
}

/** Ids of published services matching a full-text search (PostgreSQL text search, or the name containing it). */
async function textMatches(db: Db, text: string): Promise<Set<string>> {
  const state = stateOf(db)
  const cached = state.texts.get(text)
  if (cached) {
    return cached
  }
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
  const ids = new Set(rows.map(row => row.id))
  if (state.texts.size > 200) {
    state.texts.clear()
  }
  state.texts.set(text, ids)
  return ids
}

type ServicePredicate = (service: IndexedService) => boolean

let searchSerial = 0

/** Wraps a service test so that each service is tested once per search (a search's loop never awaits). */
function memoised(test: ServicePredicate): ServicePredicate {
  const stamp = ++searchSerial
  return service => {
    if (service.searchStamp !== stamp) {
      service.searchStamp = stamp
      service.searchVerdict = test(service)
    }
    return service.searchVerdict
  }
}

/** The same rules as serviceConditions (directory-search.ts), in JavaScript. */
function servicePredicate(
  filters: DirectoryFilters,
  taxonomies: TaxonomyIndex,
  textIds: Set<string> | undefined,
  today: string,
): ServicePredicate {
  const tests: ServicePredicate[] = []
  if (textIds) {
    tests.push(service => textIds.has(service.id))
  }
  const groupTest = (termIds: string[]): ServicePredicate => {
    const terms = termIds.map(id => taxonomies.termById.get(id)).filter(term => term !== undefined)
    const regular = new Set(
      terms
        .filter(
          term =>
            term.taxonomyCode !== Taxonomies.site &&
            term.taxonomyCode !== Taxonomies.accessibility &&
            term.taxonomyCode !== Taxonomies.eligibility,
        )
        .map(term => term.id),
    )
    const roles = new Set<string>(terms.filter(term => term.taxonomyCode === Taxonomies.site).map(term => term.code))
    const features = new Set(
      terms.filter(term => term.taxonomyCode === Taxonomies.accessibility).map(term => term.code),
    )
    const pregnancy = terms.some(term => term.taxonomyCode === Taxonomies.eligibility && term.code === 'pregnancy')
    return service =>
      (regular.size > 0 && [...service.terms].some(id => regular.has(id))) ||
      (roles.size > 0 &&
        service.sals.some(sal => sal.location.siteRole !== null && roles.has(sal.location.siteRole))) ||
      (features.size > 0 && service.sals.some(sal => sal.location.features.some(feature => features.has(feature)))) ||
      (pregnancy && service.forPregnancy)
  }
  for (const group of filters.termGroups ?? []) {
    if (group.length) {
      tests.push(groupTest(group))
    }
  }
  if (filters.taxonomyId) {
    const taxonomy = taxonomies.taxonomyById.get(filters.taxonomyId)
    if (!taxonomy) {
      tests.push(() => false)
    } else if (
      taxonomy.code === Taxonomies.site ||
      taxonomy.code === Taxonomies.accessibility ||
      taxonomy.code === Taxonomies.eligibility
    ) {
      tests.push(groupTest(taxonomies.termsOf(taxonomy.code).map(term => term.id)))
    } else {
      const ids = new Set(taxonomies.terms.filter(term => term.taxonomyId === taxonomy.id).map(term => term.id))
      tests.push(service => [...service.terms].some(id => ids.has(id)))
    }
  }
  const child = filters.childMonths
  if (child && (child.min !== undefined || child.max !== undefined)) {
    const { min, max } = child
    tests.push(
      service =>
        service.forChildren &&
        (min === undefined || service.childMaxMonths === null || service.childMaxMonths >= min) &&
        (max === undefined || service.childMinMonths === null || service.childMinMonths <= max),
    )
  }
  const pregnancy = filters.pregnancyWeeks
  if (pregnancy) {
    tests.push(
      service =>
        service.forPregnancy &&
        (service.pregnancyFromWeek === null || service.pregnancyFromWeek <= pregnancy.max) &&
        (service.pregnancyToWeek === null || service.pregnancyToWeek >= pregnancy.min),
    )
  }
  if (filters.freeOnly) {
    tests.push(service => service.isFree)
  }
  if (filters.languages?.length) {
    const languages = filters.languages
    tests.push(service => languages.some(code => service.languages.has(code)))
  }
  const schedule = filters.schedule
  if (
    schedule &&
    (schedule.dayMask || schedule.evenings || schedule.weekends || schedule.opensFrom || schedule.closesBy)
  ) {
    const opensFrom = schedule.opensFrom ? `${schedule.opensFrom}:00` : undefined
    const closesBy = schedule.closesBy ? `${schedule.closesBy}:00` : undefined
    tests.push(service =>
      service.schedules.some(
        session =>
          (session.validTo === null || session.validTo >= today) &&
          (!schedule.dayMask || (session.dayMask & schedule.dayMask) !== 0) &&
          (!(schedule.evenings || schedule.weekends) ||
            (Boolean(schedule.evenings) && session.closesAt !== null && session.closesAt > '17:30:00') ||
            (Boolean(schedule.weekends) && (session.dayMask & 0b1100000) !== 0)) &&
          (!opensFrom || (session.opensAt !== null && session.opensAt >= opensFrom)) &&
          (!closesBy || (session.closesAt !== null && session.closesAt <= closesBy)),
      ),
    )
  }
  if (filters.modifiedAfter) {
    const after = filters.modifiedAfter.getTime()
    tests.push(service => service.updatedAt >= after)
  }
  if (filters.directoryOrganisationId) {
    const id = filters.directoryOrganisationId
    tests.push(service => service.directoryOrganisationId === id)
  }
  if (filters.origin) {
    const laCode = filters.origin.laCode
    tests.push(service => service.areas.length === 0 || (laCode !== null && service.areas.includes(laCode)))
  }
  if (tests.length === 0) {
    return () => true
  }
  if (tests.length === 1 && tests[0]) {
    return tests[0]
  }
  return service => tests.every(test => test(service))
}

/**
 * The same rules as locationConditions: returns the distance in metres (null without an origin, or for a venue
 * without coordinates when there is no radius), or false when the venue does not match. Written for speed: it runs
 * for every candidate venue of every search.
 */
function locationMatcher(filters: DirectoryFilters): (location: IndexedLocation) => number | null | false {
  const features = filters.accessibility ?? []
  const networkId = filters.networkId
  const extra = features.length > 0 || networkId !== undefined
  const origin = filters.origin
  const radius = filters.radiusMetres
  const box = origin && radius !== undefined ? boundingBox(origin, radius) : undefined
  const originLatitude = origin?.latitude ?? 0
  const originLongitude = origin?.longitude ?? 0
  return location => {
    if (extra) {
      if (networkId !== undefined && location.networkId !== networkId) {
        return false
      }
      for (const feature of features) {
        if (!location.features.includes(feature)) {
          return false
        }
      }
    }
    if (!origin) {
      return null
    }
    const latitude = location.latitude
    const longitude = location.longitude
    if (latitude === null || longitude === null) {
      return radius === undefined ? null : false
    }
    if (box && (latitude < box.minLat || latitude > box.maxLat || longitude < box.minLon || longitude > box.maxLon)) {
      return false
    }
    const distance = haversineBetween(originLatitude, originLongitude, latitude, longitude)
    return radius !== undefined && distance > radius ? false : distance
  }
}

function needsVenue(filters: DirectoryFilters): boolean {
  return Boolean(
    filters.accessibility?.length ||
    filters.networkId ||
    (filters.origin && filters.radiusMetres !== undefined && !filters.includeServicesWithoutVenue),
  )
}

/**
 * The service-at-locations a search need look at: with an origin and a radius, those in the grid cells the radius
 * box touches (nearest-first order comes later); otherwise all of them.
 */
function candidateSals(index: DirectoryIndex, filters: DirectoryFilters): IndexedSal[] {
  const origin = filters.origin
  if (!origin || filters.radiusMetres === undefined) {
    return index.sals
  }
  const box = boundingBox(origin, filters.radiusMetres)
  const [minRow, minColumn] = cellOf(box.minLat, box.minLon)
  const [maxRow, maxColumn] = cellOf(box.maxLat, box.maxLon)
  if ((maxRow - minRow + 1) * (maxColumn - minColumn + 1) > index.grid.size) {
    return index.sals.filter(sal => sal.location.latitude !== null)
  }
  const found: IndexedSal[] = []
  for (let row = minRow; row <= maxRow; row++) {
    for (let column = minColumn; column <= maxColumn; column++) {
      const cell = index.grid.get(cellKey(row, column))
      if (cell) {
        for (const sal of cell) {
          found.push(sal)
        }
      }
    }
  }
  return found
}

/**
 * The first `k` items in `compare` order, without sorting them all: a search near the middle of a county can match
 * thousands of venues, and a page shows twenty.
 */
export function firstInOrder<T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) {
    return []
  }
  if (k * 4 >= items.length) {
    return [...items].sort(compare).slice(0, k)
  }
  const best: T[] = []
  for (const item of items) {
    const last = best[best.length - 1]
    if (best.length === k && last !== undefined && compare(item, last) >= 0) {
      continue
    }
    let low = 0
    let high = best.length
    while (low < high) {
      const middle = (low + high) >> 1
      const other = best[middle] as T
      if (compare(other, item) <= 0) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    best.splice(low, 0, item)
    if (best.length > k) {
      best.pop()
    }
  }
  return best
}

interface Matches {
  /** Services with a matching venue, with the distance to the nearest (null without an origin), in no order. */
  withVenue: { service: IndexedService; distance: number | null }[]
  /** Matching services with no venue to measure from, in name order. */
  withoutVenue: IndexedService[]
  byDistance: boolean
}

async function matchingServices(db: Db, filters: DirectoryFilters, taxonomies: TaxonomyIndex): Promise<Matches> {
  const index = await directoryIndex(db)
  const text = filters.text?.trim()
  const textIds = text ? await textMatches(db, text) : undefined
  const today = new Date().toISOString().slice(0, 10)
  const test = servicePredicate(filters, taxonomies, textIds, today)
  const stamp = ++searchSerial
  const serviceOk = (service: IndexedService): boolean => {
    if (service.searchStamp !== stamp) {
      service.searchStamp = stamp
      service.searchVerdict = test(service)
    }
    return service.searchVerdict
  }
  const locationOk = locationMatcher(filters)
  const origin = filters.origin
  const matched: IndexedService[] = []
  for (const sal of candidateSals(index, filters)) {
    if (origin && sal.location.latitude === null) {
      continue
    }
    const distance = locationOk(sal.location)
    if (distance === false) {
      continue
    }
    const service = sal.service
    if (!serviceOk(service)) {
      continue
    }
    if (service.matchStamp !== stamp) {
      service.matchStamp = stamp
      service.matchDistance = distance
      matched.push(service)
    } else if (distance !== null && service.matchDistance !== null && distance < service.matchDistance) {
      service.matchDistance = distance
    }
  }
  const withoutVenue: IndexedService[] = []
  if (!needsVenue(filters)) {
    // Services with no venue to measure from: with an origin, those without coordinates; without, those without any.
    for (const service of index.venueless) {
      if ((origin || service.sals.length === 0) && service.matchStamp !== stamp && serviceOk(service)) {
        withoutVenue.push(service)
      }
    }
  }
  return {
    withVenue: matched.map(service => ({ service, distance: service.matchDistance })),
    withoutVenue,
    byDistance: origin !== undefined,
  }
}

/**
 * A page of matches in the SQL search's order: nearest first (then name and id), then services without a venue by
 * name; without an origin, everything by name.
 */
function pageOfMatches(matches: Matches, page: { limit: number; offset: number }): ServiceHit[] {
  const wanted = page.offset + page.limit
  let ordered: { service: IndexedService; distance: number | null }[]
  if (matches.byDistance) {
    const near = firstInOrder(
      matches.withVenue,
      wanted,
      (a, b) => (a.distance ?? 0) - (b.distance ?? 0) || a.service.rank - b.service.rank,
    )
    ordered = [
      ...near,
      ...matches.withoutVenue.slice(0, Math.max(0, wanted - near.length)).map(service => ({ service, distance: null })),
    ]
  } else {
    ordered = firstInOrder(
      [...matches.withVenue, ...matches.withoutVenue.map(service => ({ service, distance: null }))],
      wanted,
      (a, b) => a.service.rank - b.service.rank,
    )
  }
  return ordered
    .slice(page.offset, wanted)
    .map(item => ({ serviceId: item.service.id, distance: matches.byDistance ? item.distance : null }))
}

function total(matches: Matches): number {
  return matches.withVenue.length + matches.withoutVenue.length
}

/** searchServices over the in-memory index. */
export async function searchServicesInIndex(
  db: Db,
  filters: DirectoryFilters,
  taxonomies: TaxonomyIndex,
  page: { limit: number; offset: number },
): Promise<{ total: number; hits: ServiceHit[] }> {
  const matches = await matchingServices(db, filters, taxonomies)
  return { total: total(matches), hits: pageOfMatches(matches, page) }
}

/**
 * A page of search results and, for the filter list, how many services each term would give with `countFilters`
 * (the same filters less the group being counted). One pass when the two sets of filters are the same.
 */
export async function searchServicesWithCounts(
  db: Db,
  filters: DirectoryFilters,
  countFilters: DirectoryFilters,
  taxonomies: TaxonomyIndex,
  termIds: string[],
  page: { limit: number; offset: number },
): Promise<{ total: number; hits: ServiceHit[]; counts: Map<string, number> }> {
  const matches = await matchingServices(db, filters, taxonomies)
  const same = JSON.stringify(filters.termGroups ?? []) === JSON.stringify(countFilters.termGroups ?? [])
  const counted = same ? matches : await matchingServices(db, countFilters, taxonomies)
  return { total: total(matches), hits: pageOfMatches(matches, page), counts: countTerms(counted, termIds) }
}

/** countServicesByTerm over the in-memory index. */
export async function countServicesByTermInIndex(
  db: Db,
  filters: DirectoryFilters,
  taxonomies: TaxonomyIndex,
  termIds: string[],
): Promise<Map<string, number>> {
  return countTerms(await matchingServices(db, filters, taxonomies), termIds)
}

function countTerms(matches: Matches, termIds: string[]): Map<string, number> {
  const slot = new Map(termIds.map((id, i) => [id, i]))
  const tally = new Int32Array(termIds.length)
  const add = (service: IndexedService) => {
    for (const termId of service.termList) {
      const i = slot.get(termId)
      if (i !== undefined) {
        tally[i] = (tally[i] ?? 0) + 1
      }
    }
  }
  for (const match of matches.withVenue) {
    add(match.service)
  }
  for (const service of matches.withoutVenue) {
    add(service)
  }
  return new Map(termIds.flatMap((id, i) => ((tally[i] ?? 0) > 0 ? [[id, tally[i] ?? 0] as const] : [])))
}

/** searchServiceAtLocations over the in-memory index, with the flat fields the API lists show. */
export async function searchServiceAtLocationsInIndex(
  db: Db,
  filters: DirectoryFilters,
  taxonomies: TaxonomyIndex,
  page: { limit: number; offset: number },
): Promise<{ total: number; hits: (ServiceAtLocationHit & { flat: FlatServiceAtLocation })[] }> {
  const index = await directoryIndex(db)
  const text = filters.text?.trim()
  const textIds = text ? await textMatches(db, text) : undefined
  const serviceOk = memoised(servicePredicate(filters, taxonomies, textIds, new Date().toISOString().slice(0, 10)))
  const locationOk = locationMatcher(filters)
  const foundSals: IndexedSal[] = []
  const foundDistances: (number | null)[] = []
  for (const sal of candidateSals(index, filters)) {
    const distance = locationOk(sal.location)
    if (distance !== false && serviceOk(sal.service)) {
      foundSals.push(sal)
      foundDistances.push(distance)
    }
  }
  const positions = Array.from({ length: foundSals.length }, (_, i) => i)
  const distanceAt = (i: number): number => foundDistances[i] ?? Infinity
  const rankAt = (i: number): number => foundSals[i]?.rank ?? 0
  const ordered = filters.origin
    ? firstInOrder(
        positions,
        page.offset + page.limit,
        (a, b) => distanceAt(a) - distanceAt(b) || rankAt(a) - rankAt(b),
      )
    : positions.slice(0, page.offset + page.limit)
  const hits = ordered.slice(page.offset, page.offset + page.limit).flatMap(i => {
    const sal = foundSals[i]
    return sal
      ? [
          {
            id: sal.id,
            serviceId: sal.serviceId,
            locationId: sal.location.id,
            distance: foundDistances[i] ?? null,
            flat: sal.flat,
          },
        ]
      : []
  })
  const found = foundSals
  return { total: found.length, hits }
}

/** Flat fields of published services from the index (for API lists), in the order given. */
export async function flatServicesFromIndex(db: Db, ids: string[]): Promise<FlatServiceRecord[]> {
  const index = await directoryIndex(db)
  return ids.flatMap(id => {
    const service = index.serviceById.get(id)
    return service ? [service.flat] : []
  })
}
