import { LRUCache } from 'lru-cache'
import { todayInEngland } from '../../platform/dates.js'
import type { Db } from '../../db/database.js'
import type { DirectoryFilters, ServiceAtLocationHit, ServiceHit } from './directory-search.js'
import type { SiteRole } from './directory-tables.js'
import { boundingBox, haversineBetween } from './postcodes.js'
import type { FlatServiceAtLocation, FlatServiceRecord, OrganisationRecord, ServiceRecord } from './service-records.js'
import { flatService, loadServices, organisationOfRow } from './service-records-store.js'
import {
  directoryGeneration,
  listPublishedServiceAreas,
  listPublishedServiceAtLocations,
  listPublishedServiceLanguages,
  listPublishedServiceRows,
  listPublishedServiceTerms,
  listPublishedSessions,
  listPublishedVenueFeatures,
  publishedServiceIdsMatching,
} from './search-index-queries.js'
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
export const directoryIndexOptions = { checkEveryMs: 1000, recordCacheSize: 12_000 }

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
  /** The service's terms as the index's term numbers (see DirectoryIndex.termNumber): quick to test and count. */
  termNumbers: number[]
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
  /**
   * The venues with coordinates by grid cell (gridDegrees square), so that a radius search reads only nearby cells:
   * each cell is a run [start, end) of scan positions (see `scan`).
   */
  grid: Map<number, [number, number]>
  /** Service-at-locations whose venue has no coordinates (online). */
  unlocated: IndexedSal[]
  /** Services with no venue that has coordinates. */
  venueless: IndexedService[]
  scan: ScanArrays
  /**
   * Every service's term numbers in one flat array: those of the service at position r are
   * termsFlat[termStart[r]] … termsFlat[termStart[r + 1] - 1]. Counting reads memory in order, not object by object.
   */
  termStart: Int32Array
  termsFlat: Int32Array
  /** Term id → a small number, for the services' termNumbers. */
  termNumber: Map<string, number>
  /** Working memory of one search (a search never awaits while it uses it). */
  scratch: SearchScratch
}

/**
 * The service-at-locations in scan order (grid cell by grid cell, then those without coordinates), as flat arrays, so
 * that a search reads memory in order. A search compares squared chord lengths between points on the unit sphere,
 * which order venues exactly as great-circle distances do, with three multiplications and no trigonometry.
 */
interface ScanArrays {
  /** Position in `sals` (name order). */
  sal: Int32Array
  /** Position in `services` of the service. */
  service: Int32Array
  /** The venue on the unit sphere (NaN without coordinates), and its latitude and longitude in degrees. */
  x: Float64Array
  y: Float64Array
  z: Float64Array
  latitude: Float64Array
  longitude: Float64Array
}

interface SearchScratch {
  stamp: number
  /** By local authority code: which services (by position) cover it (no service area, or that area). */
  coverage: Map<string | null, Uint8Array>
  /** By service position: the search that last tested the service, and the verdict. */
  testedIn: Int32Array
  verdict: Uint8Array
  /** By service position: the search that last matched the service, its nearest venue's key and position. */
  matchedIn: Int32Array
  nearestKey: Float64Array
  nearestSal: Int32Array
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
  /** Whole published services for pages, least recently used forgotten first. */
  records: LRUCache<string, ServiceRecord>
  texts: Map<string, Set<string>>
}

const states = new WeakMap<Db, State>()

function stateOf(db: Db): State {
  let state = states.get(db)
  if (!state) {
    state = {
      index: undefined,
      checkedAt: 0,
      building: undefined,
      records: new LRUCache({ max: directoryIndexOptions.recordCacheSize }),
      texts: new Map(),
    }
    states.set(db, state)
  }
  return state
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

async function build(db: Db, generation: number): Promise<DirectoryIndex> {
  const serviceRows = await listPublishedServiceRows(db)
  const organisations = new Map<string, OrganisationRecord>()
  const services = serviceRows.map((row): IndexedService => {
    let organisation = organisations.get(row.o_id)
    if (!organisation) {
      organisation = organisationOfRow(row)
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
      termNumbers: [],
      // One organisation object for all its services (the index holds thousands).
      flat: flatService(row, organisation),
    }
  })
  services.sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id))
  services.forEach((service, i) => {
    service.rank = i
  })
  const serviceById = new Map(services.map(service => [service.id, service]))
  const termNumber = new Map<string, number>()
  for (const row of await listPublishedServiceTerms(db)) {
    const service = serviceById.get(row.service_id)
    if (service && !service.terms.has(row.term_id)) {
      service.terms.add(row.term_id)
      let number = termNumber.get(row.term_id)
      if (number === undefined) {
        number = termNumber.size
        termNumber.set(row.term_id, number)
      }
      service.termNumbers.push(number)
    }
  }
  for (const row of await listPublishedServiceLanguages(db)) {
    serviceById.get(row.service_id)?.languages.add(row.code)
  }
  for (const row of await listPublishedServiceAreas(db)) {
    if (row.la_code) {
      serviceById.get(row.service_id)?.areas.push(row.la_code)
    }
  }
  for (const row of await listPublishedSessions(db)) {
    serviceById
      .get(row.service_id)
      ?.schedules.push({ dayMask: row.day_mask, opensAt: row.opens_at, closesAt: row.closes_at, validTo: row.valid_to })
  }
  const salRows = await listPublishedServiceAtLocations(db)
  const locations = new Map<string, IndexedLocation>()
  for (const row of salRows) {
    if (!locations.has(row.location_id)) {
      locations.set(row.location_id, {
        id: row.location_id,
        // Where searches measure from: coarse for a confidential venue (migration 0009).
        latitude: row.search_latitude,
        longitude: row.search_longitude,
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
  for (const row of await listPublishedVenueFeatures(db)) {
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
  const unlocated: IndexedSal[] = []
  const cellOfSal = new Float64Array(sals.length)
  sals.forEach((sal, i) => {
    sal.rank = i
    const { latitude, longitude } = sal.location
    if (latitude === null || longitude === null) {
      unlocated.push(sal)
      cellOfSal[i] = Infinity
    } else {
      cellOfSal[i] = cellKey(...cellOf(latitude, longitude))
    }
  })
  const order = Int32Array.from(sals.keys()).sort((a, b) => (cellOfSal[a] ?? 0) - (cellOfSal[b] ?? 0) || a - b)
  const scan: ScanArrays = {
    sal: order,
    service: new Int32Array(sals.length),
    x: new Float64Array(sals.length).fill(Number.NaN),
    y: new Float64Array(sals.length).fill(Number.NaN),
    z: new Float64Array(sals.length).fill(Number.NaN),
    latitude: new Float64Array(sals.length).fill(Number.NaN),
    longitude: new Float64Array(sals.length).fill(Number.NaN),
  }
  const grid = new Map<number, [number, number]>()
  order.forEach((position, p) => {
    const sal = sals[position] as IndexedSal
    scan.service[p] = sal.service.rank
    const { latitude, longitude } = sal.location
    if (latitude === null || longitude === null) {
      return
    }
    ;[scan.x[p], scan.y[p], scan.z[p]] = unitVector(latitude, longitude)
    scan.latitude[p] = latitude
    scan.longitude[p] = longitude
    const key = cellOfSal[position] ?? 0
    const run = grid.get(key)
    if (run) {
      run[1] = p + 1
    } else {
      grid.set(key, [p, p + 1])
    }
  })
  const venueless = services.filter(service => !service.sals.some(sal => sal.location.latitude !== null))
  const termStart = new Int32Array(services.length + 1)
  services.forEach((service, r) => {
    termStart[r + 1] = (termStart[r] ?? 0) + service.termNumbers.length
  })
  const termsFlat = Int32Array.from(services.flatMap(service => service.termNumbers))
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
    scan,
    termStart,
    termsFlat,
    termNumber,
    scratch: {
      coverage: new Map(),
      stamp: 0,
      testedIn: new Int32Array(services.length),
      verdict: new Uint8Array(services.length),
      matchedIn: new Int32Array(services.length),
      nearestKey: new Float64Array(services.length),
      nearestSal: new Int32Array(services.length),
    },
  }
}

const radiansPerDegree = Math.PI / 180
const earthRadiusMetres = 6_371_000

/** A latitude and longitude as a point on the unit sphere. */
function unitVector(latitude: number, longitude: number): [number, number, number] {
  const phi = latitude * radiansPerDegree
  const lambda = longitude * radiansPerDegree
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)]
}

/** The squared chord length between two points `metres` apart on the earth's surface (unit sphere). */
function chordSquaredOf(metres: number): number {
  const half = Math.sin(Math.min(Math.PI / 2, metres / (2 * earthRadiusMetres)))
  return 4 * half * half
}

/** The current index: checks the change counter at most every checkEveryMs, and rebuilds when it has moved. */
export async function directoryIndex(db: Db): Promise<DirectoryIndex> {
  const state = stateOf(db)
  const now = Date.now()
  if (state.index && now - state.checkedAt < directoryIndexOptions.checkEveryMs) {
    return state.index
  }
  const generation = await directoryGeneration(db)
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
  const found = new Map<string, ServiceRecord>()
  for (const id of ids) {
    const record = index.serviceById.has(id) ? state.records.get(id) : undefined
    if (record) {
      found.set(id, record)
    }
  }
  const missing = ids.filter(id => index.serviceById.has(id) && !found.has(id))
  if (missing.length) {
    const loaded = await loadServices(db, [...new Set(missing)])
    // Kept only if the directory has not changed while they were read: a record read before a change must not be
    // served after it (the rebuilt index starts with an empty cache).
    const current = state.index === index
    for (const record of loaded) {
      if (record.workflowStatus === 'published') {
        found.set(record.id, record)
        if (current) {
          state.records.set(record.id, record)
        }
      }
    }
  }
  return ids.flatMap(id => {
    const record = found.get(id)
    return record ? [record] : []
  })
}

/** Ids of published services matching a full-text search, remembered for the index's life. */
async function textMatches(db: Db, text: string): Promise<Set<string>> {
  const state = stateOf(db)
  const cached = state.texts.get(text)
  if (cached) {
    return cached
  }
  const index = state.index
  const ids = await publishedServiceIdsMatching(db, text)
  if (state.index !== index) {
    // The directory changed while the search ran: use the answer, but do not keep it.
    return ids
  }
  if (state.texts.size > 200) {
    state.texts.clear()
  }
  state.texts.set(text, ids)
  return ids
}

type ServicePredicate = (service: IndexedService) => boolean

/** Whether any of the service's term numbers is set in `mask`. */
function hasAnyTerm(service: IndexedService, mask: Uint8Array): boolean {
  const numbers = service.termNumbers
  for (let i = 0; i < numbers.length; i++) {
    if (mask[numbers[i] ?? 0] === 1) {
      return true
    }
  }
  return false
}

/** The same rules as serviceConditions (directory-search.ts), in JavaScript. */
function servicePredicate(
  index: DirectoryIndex,
  filters: DirectoryFilters,
  taxonomies: TaxonomyIndex,
  textIds: Set<string> | undefined,
  today: string,
): ServicePredicate {
  const tests: ServicePredicate[] = []
  const maskOf = (termIds: Iterable<string>): Uint8Array => {
    const mask = new Uint8Array(index.termNumber.size)
    for (const id of termIds) {
      const number = index.termNumber.get(id)
      if (number !== undefined) {
        mask[number] = 1
      }
    }
    return mask
  }
  if (textIds) {
    tests.push(service => textIds.has(service.id))
  }
  const groupTest = (termIds: string[]): ServicePredicate => {
    const terms = termIds.map(id => taxonomies.termById.get(id)).filter(term => term !== undefined)
    const regular = terms.filter(
      term =>
        term.taxonomyCode !== Taxonomies.site &&
        term.taxonomyCode !== Taxonomies.accessibility &&
        term.taxonomyCode !== Taxonomies.eligibility,
    )
    const mask = maskOf(regular.map(term => term.id))
    const roles = new Set<string>(terms.filter(term => term.taxonomyCode === Taxonomies.site).map(term => term.code))
    const features = new Set(
      terms.filter(term => term.taxonomyCode === Taxonomies.accessibility).map(term => term.code),
    )
    const pregnancy = terms.some(term => term.taxonomyCode === Taxonomies.eligibility && term.code === 'pregnancy')
    return service =>
      (regular.length > 0 && hasAnyTerm(service, mask)) ||
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
      const mask = maskOf(taxonomies.terms.filter(term => term.taxonomyId === taxonomy.id).map(term => term.id))
      tests.push(service => hasAnyTerm(service, mask))
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
  // The origin's area (services with a service area must cover it) is tested by serviceTestOf.
  if (tests.length === 0) {
    return () => true
  }
  if (tests.length === 1 && tests[0]) {
    return tests[0]
  }
  return service => tests.every(test => test(service))
}

/**
 * The service test of one search, remembered per service (a service is tested once however many venues it has):
 * returns a function of the service's position in `services`.
 */
function serviceTestOf(
  index: DirectoryIndex,
  filters: DirectoryFilters,
  taxonomies: TaxonomyIndex,
  textIds: Set<string> | undefined,
): { stamp: number; passes: (position: number) => boolean } {
  const test = servicePredicate(index, filters, taxonomies, textIds, todayInEngland())
  const scratch = index.scratch
  const stamp = ++scratch.stamp
  const { testedIn, verdict } = scratch
  const services = index.services
  const covers = filters.origin ? coverageOf(index, filters.origin.laCode) : undefined
  return {
    stamp,
    passes: position => {
      if (covers && covers[position] === 0) {
        return false
      }
      if (testedIn[position] !== stamp) {
        testedIn[position] = stamp
        verdict[position] = test(services[position] as IndexedService) ? 1 : 0
      }
      return verdict[position] === 1
    },
  }
}

/** Which services (by position) a family in this local authority may use: no service area, or one that covers it. */
function coverageOf(index: DirectoryIndex, laCode: string | null): Uint8Array {
  let covers = index.scratch.coverage.get(laCode)
  if (!covers) {
    covers = Uint8Array.from(index.services, service =>
      service.areas.length === 0 || (laCode !== null && service.areas.includes(laCode)) ? 1 : 0,
    )
    index.scratch.coverage.set(laCode, covers)
  }
  return covers
}

/** What a venue test answers for a venue that matches without a distance (no origin, or no coordinates). */
const noDistance = -1
/** What a venue test answers for a venue that does not match. */
const noMatch = -2

/**
 * The same rules as locationConditions, for the venue at scan position `p` (see ScanArrays): returns the squared chord length
 * to the origin (≥ 0; it orders venues exactly as their distance does), noDistance without an origin or, with an
 * origin and no radius, for a venue without coordinates, or noMatch. Written for speed: it runs for every
 * candidate venue of every search.
 */
function venueTestOf(index: DirectoryIndex, filters: DirectoryFilters): (p: number) => number {
  const features = filters.accessibility ?? []
  const networkId = filters.networkId
  const extra = features.length > 0 || networkId !== undefined
  const origin = filters.origin
  const radius = filters.radiusMetres
  const { x: xs, y: ys, z: zs, latitude: latitudes, longitude: longitudes, sal: salAt } = index.scan
  const sals = index.sals
  const [ox, oy, oz] = origin ? unitVector(origin.latitude, origin.longitude) : [0, 0, 0]
  // Squared chord lengths that are surely inside and surely outside the radius; between the two (rounding), the
  // haversine distance decides, as in SQL.
  const limit = radius === undefined ? Infinity : chordSquaredOf(radius)
  const surelyIn = limit * (1 - 1e-9)
  const surelyOut = limit * (1 + 1e-9)
  return p => {
    if (extra) {
      const location = (sals[salAt[p] as number] as IndexedSal).location
      if (networkId !== undefined && location.networkId !== networkId) {
        return noMatch
      }
      for (const feature of features) {
        if (!location.features.includes(feature)) {
          return noMatch
        }
      }
    }
    if (!origin) {
      return noDistance
    }
    const x = xs[p] as number
    if (x !== x) {
      return radius === undefined ? noDistance : noMatch
    }
    const dx = x - ox
    const dy = (ys[p] as number) - oy
    const dz = (zs[p] as number) - oz
    const key = dx * dx + dy * dy + dz * dz
    if (key <= surelyIn) {
      return key
    }
    if (key > surelyOut || radius === undefined) {
      return radius === undefined ? key : noMatch
    }
    const metres = haversineBetween(origin.latitude, origin.longitude, latitudes[p] as number, longitudes[p] as number)
    return metres <= radius ? key : noMatch
  }
}

/** Haversine metres from the origin to the venue at scan position `p` (as the SQL computes), null without one. */
function metresTo(index: DirectoryIndex, origin: { latitude: number; longitude: number }, p: number): number | null {
  const latitude = index.scan.latitude[p] as number
  return latitude !== latitude
    ? null
    : haversineBetween(origin.latitude, origin.longitude, latitude, index.scan.longitude[p] as number)
}

function needsVenue(filters: DirectoryFilters): boolean {
  return Boolean(
    filters.accessibility?.length ||
    filters.networkId ||
    (filters.origin && filters.radiusMetres !== undefined && !filters.includeServicesWithoutVenue),
  )
}

/**
 * The scan positions a search need look at, as runs [start, end): with an origin and a radius, the grid cells the
 * radius box touches; otherwise one run of all of them.
 */
function candidateRuns(index: DirectoryIndex, filters: DirectoryFilters): [number, number][] {
  const origin = filters.origin
  const all: [number, number][] = [[0, index.sals.length]]
  if (!origin || filters.radiusMetres === undefined) {
    return all
  }
  const box = boundingBox(origin, filters.radiusMetres)
  const [minRow, minColumn] = cellOf(box.minLat, box.minLon)
  const [maxRow, maxColumn] = cellOf(box.maxLat, box.maxLon)
  if ((maxRow - minRow + 1) * (maxColumn - minColumn + 1) > index.grid.size) {
    return all
  }
  const found: [number, number][] = []
  for (let row = minRow; row <= maxRow; row++) {
    for (let column = minColumn; column <= maxColumn; column++) {
      const run = index.grid.get(cellKey(row, column))
      if (run) {
        found.push(run)
      }
    }
  }
  return found
}

/** Calls `visit` with each candidate scan position (see candidateRuns), in no particular order. */
function forEachCandidate(index: DirectoryIndex, filters: DirectoryFilters, visit: (p: number) => void): void {
  for (const [start, end] of candidateRuns(index, filters)) {
    for (let p = start; p < end; p++) {
      visit(p)
    }
  }
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
  index: DirectoryIndex
  /** Positions (in `services`) of the services with a matching venue, in no order. */
  withVenue: number[]
  /** Their distances in metres to the nearest matching venue, by the same subscript (null without an origin). */
  distances: (number | null)[]
  /** Matching services with no venue to measure from, in name order. */
  withoutVenue: IndexedService[]
  byDistance: boolean
}

async function matchingServices(db: Db, filters: DirectoryFilters, taxonomies: TaxonomyIndex): Promise<Matches> {
  const index = await directoryIndex(db)
  const text = filters.text?.trim()
  const textIds = text ? await textMatches(db, text) : undefined
  // From here to the end the search does not await: the index's scratch memory is this search's alone.
  const { stamp, passes } = serviceTestOf(index, filters, taxonomies, textIds)
  const venueKey = venueTestOf(index, filters)
  const { matchedIn, nearestKey, nearestSal } = index.scratch
  const salService = index.scan.service
  const origin = filters.origin
  const withVenue: number[] = []
  forEachCandidate(index, filters, p => {
    const key = venueKey(p)
    if (key === noMatch || (origin && key === noDistance)) {
      return
    }
    const service = salService[p] as number
    if (!passes(service)) {
      return
    }
    if (matchedIn[service] !== stamp) {
      matchedIn[service] = stamp
      nearestKey[service] = key
      nearestSal[service] = p
      withVenue.push(service)
    } else if (key < (nearestKey[service] as number)) {
      nearestKey[service] = key
      nearestSal[service] = p
    }
  })
  const withoutVenue: IndexedService[] = []
  if (!needsVenue(filters)) {
    // Services with no venue to measure from: with an origin, those without coordinates; without, those without any.
    for (const service of index.venueless) {
      if ((origin || service.sals.length === 0) && matchedIn[service.rank] !== stamp && passes(service.rank)) {
        withoutVenue.push(service)
      }
    }
  }
  return {
    index,
    withVenue,
    distances: withVenue.map(service => (origin ? metresTo(index, origin, nearestSal[service] as number) : null)),
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
  const { services } = matches.index
  const subscripts = Array.from({ length: matches.withVenue.length }, (_, i) => i)
  const rankAt = (i: number): number => matches.withVenue[i] as number
  let ordered: { service: IndexedService; distance: number | null }[]
  if (matches.byDistance) {
    const distanceAt = (i: number): number => matches.distances[i] ?? 0
    const near = firstInOrder(subscripts, wanted, (a, b) => distanceAt(a) - distanceAt(b) || rankAt(a) - rankAt(b))
    ordered = [
      ...near.map(i => ({ service: services[rankAt(i)] as IndexedService, distance: matches.distances[i] ?? null })),
      ...matches.withoutVenue.slice(0, Math.max(0, wanted - near.length)).map(service => ({ service, distance: null })),
    ]
  } else {
    ordered = firstInOrder(
      [...matches.withVenue.map(rank => services[rank] as IndexedService), ...matches.withoutVenue],
      wanted,
      (a, b) => a.rank - b.rank,
    ).map(service => ({ service, distance: null }))
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
  const result = { total: total(matches), hits: pageOfMatches(matches, page) }
  const same = JSON.stringify(filters.termGroups ?? []) === JSON.stringify(countFilters.termGroups ?? [])
  const counted = same ? matches : await matchingServices(db, countFilters, taxonomies)
  return { ...result, counts: countTerms(counted, termIds) }
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
  const { index } = matches
  const slotOf = new Int32Array(index.termNumber.size).fill(-1)
  termIds.forEach((id, i) => {
    const number = index.termNumber.get(id)
    if (number !== undefined) {
      slotOf[number] = i
    }
  })
  const tally = new Int32Array(termIds.length)
  const { termStart, termsFlat } = index
  const add = (rank: number) => {
    const end = termStart[rank + 1] as number
    for (let i = termStart[rank] as number; i < end; i++) {
      const slot = slotOf[termsFlat[i] as number] as number
      if (slot >= 0) {
        tally[slot] = (tally[slot] as number) + 1
      }
    }
  }
  for (const rank of matches.withVenue) {
    add(rank)
  }
  for (const service of matches.withoutVenue) {
    add(service.rank)
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
  // From here to the end the search does not await: the index's scratch memory is this search's alone.
  const { passes } = serviceTestOf(index, filters, taxonomies, textIds)
  const venueKey = venueTestOf(index, filters)
  const { service: salService, sal: salAt } = index.scan
  const found: number[] = []
  forEachCandidate(index, filters, p => {
    if (venueKey(p) !== noMatch && passes(salService[p] as number)) {
      found.push(p)
    }
  })
  const origin = filters.origin
  let ordered: number[]
  if (origin) {
    // Distances as the SQL computes them (haversine), for the matches only; no coordinates sorts last.
    const distance = new Map(found.map(p => [p, metresTo(index, origin, p) ?? Infinity]))
    ordered = firstInOrder(
      found,
      page.offset + page.limit,
      (a, b) => (distance.get(a) ?? 0) - (distance.get(b) ?? 0) || (salAt[a] as number) - (salAt[b] as number),
    )
  } else {
    ordered = firstInOrder(found, page.offset + page.limit, (a, b) => (salAt[a] as number) - (salAt[b] as number))
  }
  const hits = ordered.slice(page.offset, page.offset + page.limit).map(p => {
    const sal = index.sals[salAt[p] as number] as IndexedSal
    return {
      id: sal.id,
      serviceId: sal.serviceId,
      locationId: sal.location.id,
      distance: origin ? metresTo(index, origin, p) : null,
      flat: sal.flat,
    }
  })
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
