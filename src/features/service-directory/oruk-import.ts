import type { Insertable } from 'kysely'
import type { Db, Tx } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { dayMaskOf, dayMaskOfDate } from './directory-search.js'
import {
  addImportedVersion,
  deleteServiceChildren,
  insertContact,
  insertCostOptions,
  insertFunding,
  insertLanguages,
  insertPhone,
  insertSchedules,
  insertServiceAreas,
  insertServiceAtLocation,
  insertServiceTerms,
  listExistingServiceIds,
  listLocalLocationIds,
  listLocalServiceIds,
  postcodeAreas,
  replaceLocationAccessibility,
  replaceOrganisationIdentifiers,
  upsertImportedTaxonomy,
  upsertImportedTerm,
  upsertLocation,
  upsertOrganisation,
  upsertService,
} from './oruk-import-store.js'
import type { OperatingStatus, WorkflowStatus } from './directory-tables.js'
import { isUuid } from './oruk-params.js'
import { orukSchemas, ukProfileBase } from './oruk-schemas.js'
import { normalisePostcode } from './postcodes.js'
import type { ServiceDraft } from './service-draft.js'
import { invalidateDirectoryIndex } from './search-index.js'
import { clearTaxonomyCache, loadTaxonomyIndex, Taxonomies } from './taxonomy.js'

export interface RecordProblem {
  /** 1-based position of the service in the feed. */
  record: number
  id: string | undefined
  name: string | undefined
  problems: { path: string; message: string }[]
}

export type ImportResult =
  | {
      ok: true
      services: number
      created: number
      updated: number
      locations: number
      organisations: number
      dryRun: boolean
    }
  | { ok: false; records: number; invalid: RecordProblem[] }

type Obj = Record<string, unknown>

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value)
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null)
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)
const arr = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : [])
const datePattern = /^\d{4}-\d{2}-\d{2}$/
const timePattern = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * The services in a feed file: a JSON array of services, an ORUK page ({ contents: [...] }), one service, or
 * newline-delimited JSON (one service per line).
 */
export function parseFeed(text: string): unknown[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  try {
    const parsed: unknown = JSON.parse(trimmed)
    if (Array.isArray(parsed)) {
      return parsed
    }
    if (isObj(parsed) && Array.isArray(parsed.contents)) {
      return parsed.contents
    }
    return [parsed]
  } catch {
    const lines = trimmed.split(/\r?\n/).filter(line => line.trim() !== '')
    return lines.map((line, index) => {
      try {
        return JSON.parse(line) as unknown
      } catch {
        return { __unparsable: `line ${String(index + 1)} is not JSON` }
      }
    })
  }
}

/** Checks one service against the ORUK 3.0 schema and the rules our tables hold. */
function problemsOf(service: unknown): { path: string; message: string }[] {
  if (!isObj(service)) {
    return [{ path: '/', message: 'is not a JSON object' }]
  }
  if (typeof service.__unparsable === 'string') {
    return [{ path: '/', message: service.__unparsable }]
  }
  const problems = orukSchemas().validate(`${ukProfileBase}compiled/service.json`, service)
  const organization = service.organization
  if (!isObj(organization)) {
    problems.push({
      path: '/organization',
      message: 'must be given: every service needs the organisation that provides it',
    })
  }
  const min = num(service.minimum_age)
  const max = num(service.maximum_age)
  if (min !== null && (min < 0 || min > 25)) {
    problems.push({ path: '/minimum_age', message: 'must be between 0 and 25 years' })
  }
  if (max !== null && (max < 0 || max > 120)) {
    problems.push({ path: '/maximum_age', message: 'must be between 0 and 120 years' })
  }
  if (min !== null && max !== null && min > max) {
    problems.push({ path: '/minimum_age', message: 'must not be more than maximum_age' })
  }
  const assured = service.assured_date
  if (assured !== undefined && (typeof assured !== 'string' || !datePattern.test(assured))) {
    problems.push({ path: '/assured_date', message: 'must be a date like 2026-01-31' })
  }
  arr(service.schedules).forEach((schedule, i) => {
    for (const key of ['opens_at', 'closes_at']) {
      const value = schedule[key]
      if (value !== undefined && (typeof value !== 'string' || !timePattern.test(value))) {
        problems.push({ path: `/schedules/${String(i)}/${key}`, message: 'must be a time like 09:30 or 09:30:00' })
      }
    }
    for (const key of ['valid_from', 'valid_to', 'dtstart']) {
      const value = schedule[key]
      if (value !== undefined && (typeof value !== 'string' || !datePattern.test(value.slice(0, 10)))) {
        problems.push({ path: `/schedules/${String(i)}/${key}`, message: 'must be a date like 2026-01-31' })
      }
    }
    const opens = str(schedule.opens_at)
    const closes = str(schedule.closes_at)
    if (
      opens &&
      closes &&
      timePattern.test(opens) &&
      timePattern.test(closes) &&
      opens.slice(0, 5) >= closes.slice(0, 5)
    ) {
      problems.push({ path: `/schedules/${String(i)}/closes_at`, message: 'must be after opens_at' })
    }
  })
  arr(service.service_at_locations).forEach((sal, i) => {
    const location = sal.location
    if (!isObj(location)) {
      problems.push({ path: `/service_at_locations/${String(i)}/location`, message: 'must be given' })
      return
    }
    const lat = num(location.latitude)
    const lon = num(location.longitude)
    if ((lat === null) !== (lon === null)) {
      problems.push({
        path: `/service_at_locations/${String(i)}/location`,
        message: 'needs both latitude and longitude, or neither',
      })
    }
    if (lat !== null && (lat < -90 || lat > 90)) {
      problems.push({
        path: `/service_at_locations/${String(i)}/location/latitude`,
        message: 'must be between -90 and 90',
      })
    }
    if (lon !== null && (lon < -180 || lon > 180)) {
      problems.push({
        path: `/service_at_locations/${String(i)}/location/longitude`,
        message: 'must be between -180 and 180',
      })
    }
  })
  arr(service.cost_options).forEach((cost, i) => {
    const amount = num(cost.amount)
    if (amount !== null && amount < 0) {
      problems.push({ path: `/cost_options/${String(i)}/amount`, message: 'must not be negative' })
    }
  })
  return problems
}

function hhmmss(value: unknown): string | null {
  const text = str(value)
  return text && timePattern.test(text) ? text.slice(0, 8).padEnd(8, ':00').slice(0, 8) : null
}

function dateOf(value: unknown): string | null {
  const text = str(value)
  return text && datePattern.test(text.slice(0, 10)) ? text.slice(0, 10) : null
}

const laCodePattern = /([EWSN]\d{8})$/

/**
 * Imports an ORUK 3.0 feed (fully nested services). Every record is checked first; if any is invalid, nothing is
 * imported and the problems are returned per record. Otherwise all of it goes in one transaction, keyed by the
 * feed's own UUIDs: importing the same feed again updates the records, it does not duplicate them.
 */
export async function importOrukFeed(
  db: Db,
  feed: unknown[],
  options: { source: string; status?: WorkflowStatus; dryRun?: boolean },
): Promise<ImportResult> {
  const invalid: RecordProblem[] = []
  const seen = new Map<string, number>()
  feed.forEach((service, index) => {
    const problems = problemsOf(service)
    const id = isObj(service) ? str(service.id) : null
    if (id && seen.has(id)) {
      problems.push({ path: '/id', message: `is the same as record ${String(seen.get(id))}'s: ids must be unique` })
    }
    if (id) {
      seen.set(id, index + 1)
    }
    if (problems.length) {
      invalid.push({
        record: index + 1,
        id: id ?? undefined,
        name: isObj(service) ? (str(service.name) ?? undefined) : undefined,
        problems,
      })
    }
  })
  const services = feed.filter(isObj)
  // Records made here (not by an import) are never overwritten by a feed that reuses their ids.
  const ids = services.map(service => String(service.id)).filter(isUuid)
  if (ids.length) {
    const local = await listLocalServiceIds(db, ids)
    for (const localId of local) {
      const record = seen.get(localId) ?? 0
      invalid.push({
        record,
        id: localId,
        name: undefined,
        problems: [
          { path: '/id', message: 'belongs to a service created in this directory, which an import may not overwrite' },
        ],
      })
    }
  }
  // Nor are venues made here: their ids are public through our own ORUK API.
  const venues = feed.flatMap((service, index) =>
    isObj(service)
      ? arr(service.service_at_locations).flatMap((sal, at) => {
          const locationId = isObj(sal.location) ? str(sal.location.id) : null
          return locationId && isUuid(locationId) ? [{ record: index + 1, at, locationId, service }] : []
        })
      : [],
  )
  const localVenues = new Set(
    venues.length
      ? await listLocalLocationIds(
          db,
          venues.map(venue => venue.locationId),
        )
      : [],
  )
  for (const venue of venues.filter(venue => localVenues.has(venue.locationId))) {
    const problem = {
      path: `/service_at_locations/${String(venue.at)}/location/id`,
      message: 'belongs to a venue created in this directory, which an import may not overwrite',
    }
    const entry = invalid.find(item => item.record === venue.record)
    if (entry) {
      entry.problems.push(problem)
    } else {
      invalid.push({
        record: venue.record,
        id: str(venue.service.id) ?? undefined,
        name: str(venue.service.name) ?? undefined,
        problems: [problem],
      })
    }
  }
  if (invalid.length) {
    return { ok: false, records: feed.length, invalid: invalid.sort((a, b) => a.record - b.record) }
  }
  const existing = new Set(ids.length ? await listExistingServiceIds(db, ids) : [])
  const postcodes = await postcodeAreas(db, [
    '',
    ...services.flatMap(service =>
      arr(service.service_at_locations).flatMap(sal =>
        arr(isObj(sal.location) ? sal.location.addresses : []).map(
          address => normalisePostcode(str(address.postal_code) ?? '') ?? '',
        ),
      ),
    ),
  ])
  const index = await loadTaxonomyIndex(db, { fresh: true })
  const locationIds = new Set<string>()
  const organisationIds = new Set<string>()
  const write = async (trx: Tx) => {
    for (const service of services) {
      const serviceId = String(service.id)
      const organization = service.organization as Obj
      const organisationId = String(organization.id)
      organisationIds.add(organisationId)
      await upsertOrganisation(trx, {
        id: organisationId,
        name: String(organization.name),
        description: String(organization.description),
        email: str(organization.email),
        website: str(organization.website),
        logo: str(organization.logo),
        uri: str(organization.uri),
        source: options.source,
      })
      await replaceOrganisationIdentifiers(
        trx,
        organisationId,
        arr(organization.organization_identifiers).map(identifier => ({
          id: String(identifier.id),
          directory_organisation_id: organisationId,
          identifier_scheme: str(identifier.identifier_scheme),
          identifier_type: String(identifier.identifier_type),
          identifier: String(identifier.identifier),
        })),
      )

      // Terms from the feed's attributes: ours by id, others added to a taxonomy named by the feed.
      const termIds: string[] = []
      let forPregnancy = false
      for (const attribute of arr(service.attributes)) {
        const term = isObj(attribute.taxonomy_term) ? attribute.taxonomy_term : undefined
        const termId = str(attribute.taxonomy_term_id) ?? (term ? str(term.id) : null)
        if (!termId || !isUuid(termId)) {
          continue
        }
        const known = index.termById.get(termId)
        if (known?.taxonomyCode === Taxonomies.eligibility && known.code === 'pregnancy') {
          forPregnancy = true
          continue
        }
        if (known && (known.taxonomyCode === Taxonomies.site || known.taxonomyCode === Taxonomies.accessibility)) {
          continue
        }
        if (!known) {
          if (!term) {
            continue
          }
          const taxonomyId = str(term.taxonomy_id)
          const taxonomyName = str(term.taxonomy) ?? 'Imported categories'
          const taxonomyCode = `imported-${(taxonomyId ?? taxonomyName)
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .slice(0, 40)}`
          const taxonomyRowId = await upsertImportedTaxonomy(trx, {
            ...(taxonomyId && isUuid(taxonomyId) ? { id: taxonomyId } : {}),
            code: taxonomyCode,
            name: taxonomyName,
            description: `Terms imported from ${options.source.replace(/^import:/, '')}`,
            source: options.source,
          })
          await upsertImportedTerm(trx, {
            id: termId,
            taxonomy_id: taxonomyRowId,
            code: termId,
            name: str(term.name) ?? 'Unnamed',
            description: str(term.description) ?? str(term.name) ?? 'Unnamed',
            term_uri: str(term.term_uri),
          })
        }
        termIds.push(termId)
      }

      const min = num(service.minimum_age)
      const max = num(service.maximum_age)
      const costs = arr(service.cost_options)
      const isFree = costs.every(cost => (num(cost.amount) ?? 0) === 0)
      const workflow = options.status ?? 'published'
      const row: Insertable<Database['directory_services']> = {
        id: serviceId,
        directory_organisation_id: organisationId,
        name: String(service.name),
        summary: null,
        description: str(service.description) ?? '',
        url: str(service.url),
        email: str(service.email),
        workflow_status: workflow,
        operating_status: service.status as OperatingStatus,
        for_pregnancy: forPregnancy,
        for_children: !(forPregnancy && min === null && max === null),
        child_min_months: min === null || min === 0 ? null : Math.min(300, Math.round(min * 12)),
        child_max_months: max === null ? null : Math.min(300, Math.round(max * 12)),
        is_free: isFree,
        fees_description: str(service.fees),
        accreditations: str(service.accreditations),
        alert: str(service.alert),
        assured_date: dateOf(service.assured_date),
        assurer_email: str(service.assurer_email),
        source: options.source,
        updated_at: new Date(),
      }
      await upsertService(trx, row)
      // Children: replaced as a whole, under the feed's ids.
      await deleteServiceChildren(trx, serviceId)
      await insertServiceTerms(
        trx,
        [...new Set(termIds)].map(termId => ({ service_id: serviceId, term_id: termId })),
      )
      for (const sal of arr(service.service_at_locations)) {
        const location = sal.location as Obj
        const locationId = String(location.id)
        locationIds.add(locationId)
        const address = arr(location.addresses)[0]
        const postcode = address
          ? (normalisePostcode(str(address.postal_code) ?? '') ?? str(address.postal_code))
          : null
        const locationRow: Insertable<Database['directory_locations']> = {
          id: locationId,
          directory_organisation_id: organisationId,
          location_type: (str(location.location_type) ?? 'physical') as 'physical' | 'postal' | 'virtual',
          name: str(location.name) ?? String(service.name),
          description: str(location.description),
          address_1: address ? str(address.address_1) : null,
          address_2: address ? str(address.address_2) : null,
          city: address ? str(address.city) : null,
          state_province: address ? str(address.state_province) : null,
          postal_code: postcode,
          country: (address ? str(address.country) : null) ?? 'GB',
          latitude: num(location.latitude),
          longitude: num(location.longitude),
          la_code: postcode ? (postcodes.get(postcode) ?? null) : null,
          url: str(location.url),
          external_identifier: str(location.external_identifier),
          external_identifier_type: str(location.external_identifier_type),
          source: options.source,
          updated_at: new Date(),
        }
        await upsertLocation(trx, locationRow)
        await replaceLocationAccessibility(
          trx,
          locationId,
          arr(location.accessibility).map(item => {
            const termId = arr(item.attributes)
              .map(
                attribute =>
                  str(attribute.taxonomy_term_id) ??
                  (isObj(attribute.taxonomy_term) ? str(attribute.taxonomy_term.id) : null),
              )
              .find(id => id !== null)
            const term = termId ? index.termById.get(termId) : undefined
            return {
              id: String(item.id),
              location_id: locationId,
              feature: term?.taxonomyCode === Taxonomies.accessibility ? term.code : 'other',
              description: str(item.description) ?? str(item.accessibility),
              details: str(item.details),
              url: str(item.url),
            }
          }),
        )
        await insertServiceAtLocation(trx, {
          id: String(sal.id),
          service_id: serviceId,
          location_id: locationId,
          description: str(sal.description),
        })
      }
      const salIds = new Set(arr(service.service_at_locations).map(sal => String(sal.id)))
      await insertSchedules(
        trx,
        arr(service.schedules).map(schedule => {
          const freq = str(schedule.freq) as 'WEEKLY' | 'MONTHLY' | null
          const dtstart = dateOf(schedule.dtstart)
          const event = !freq && dtstart !== null
          const byday = str(schedule.byday)
          const salId = str(schedule.service_at_location_id)
          return {
            id: String(schedule.id),
            service_id: serviceId,
            service_at_location_id: salId && salIds.has(salId) ? salId : null,
            kind: event ? ('event' as const) : ('regular' as const),
            freq: event ? null : (freq ?? 'WEEKLY'),
            interval: num(schedule.interval),
            byday,
            bymonthday: str(schedule.bymonthday),
            day_mask: event && dtstart ? dayMaskOfDate(dtstart) : dayMaskOf(byday),
            opens_at: hhmmss(schedule.opens_at),
            closes_at: hhmmss(schedule.closes_at),
            dtstart,
            valid_from: dateOf(schedule.valid_from),
            valid_to: dateOf(schedule.valid_to),
            description: str(schedule.description),
            notes: str(schedule.notes),
            attending_type: str(schedule.attending_type),
            schedule_link: str(schedule.schedule_link),
          }
        }),
      )
      await insertCostOptions(
        trx,
        costs.map(cost => ({
          id: String(cost.id),
          service_id: serviceId,
          option: str(cost.option),
          amount: num(cost.amount),
          amount_description: str(cost.amount_description),
          valid_from: dateOf(cost.valid_from),
          valid_to: dateOf(cost.valid_to),
        })),
      )
      const languages = arr(service.languages)
        .map(language => ({
          id: String(language.id),
          service_id: serviceId,
          code: (str(language.code) ?? 'und').toLowerCase(),
          name: str(language.name) ?? str(language.code) ?? 'Not stated',
          note: str(language.note),
        }))
        .filter(
          (language, i, all) =>
            /^[a-z]{2,3}(-[a-z0-9]+)*$/.test(language.code) &&
            all.findIndex(other => other.code === language.code) === i,
        )
      await insertLanguages(trx, languages)
      for (const contact of arr(service.contacts)) {
        await insertContact(trx, {
          id: String(contact.id),
          service_id: serviceId,
          name: str(contact.name),
          title: str(contact.title),
        })
        for (const phone of arr(contact.phones)) {
          if (str(phone.number)) {
            await insertPhone(trx, {
              id: String(phone.id),
              service_id: serviceId,
              contact_id: String(contact.id),
              number: String(phone.number),
              description: str(phone.description),
            })
          }
        }
      }
      for (const phone of arr(service.phones)) {
        if (str(phone.number) && isUuid(String(phone.id)) && !str(phone.contact_id)) {
          await insertPhone(trx, {
            id: String(phone.id),
            service_id: serviceId,
            number: String(phone.number),
            description: str(phone.description),
          })
        }
      }
      await insertServiceAreas(
        trx,
        arr(service.service_areas).map(area => {
          const uri = str(area.uri)
          return {
            id: String(area.id),
            service_id: serviceId,
            name: str(area.name) ?? str(area.service_area),
            la_code: uri ? (laCodePattern.exec(uri)?.[1] ?? null) : null,
            extent: str(area.extent),
            extent_type: str(area.extent_type),
            uri,
          }
        }),
      )
      await insertFunding(
        trx,
        arr(service.funding)
          .filter(item => str(item.source))
          .map(item => ({ id: String(item.id), service_id: serviceId, source: String(item.source) })),
      )
      const snapshot: ServiceDraft = {
        name: String(service.name),
        summary: null,
        description: str(service.description) ?? '',
        categoryCodes: [],
        deliveryCodes: [],
        forPregnancy,
        pregnancyFromWeek: null,
        pregnancyToWeek: null,
        forChildren: row.for_children ?? true,
        childMinMonths: row.child_min_months ?? null,
        childMaxMonths: row.child_max_months ?? null,
        whoCanAttend: null,
        howToAccess: null,
        isFree,
        costAmount: null,
        costDescription: null,
        languageCodes: languages.map(language => language.code),
        phone: null,
        email: row.email ?? null,
        url: row.url ?? null,
        operatingStatus: service.status as OperatingStatus,
        alert: row.alert ?? null,
      }
      await addImportedVersion(trx, serviceId, snapshot, options.source)
    }
    await recordAuditEvent(
      trx,
      { actor: undefined, request: undefined },
      {
        action: 'directory-import.run',
        outcome: 'allowed',
        details: {
          source: options.source,
          services: services.length,
          created: services.length - existing.size,
          updated: existing.size,
        },
      },
    )
  }
  if (options.dryRun) {
    // Checked: run the whole import, then roll it back.
    await db
      .transaction()
      .execute(async trx => {
        await write(trx)
        throw new DryRun()
      })
      .catch((error: unknown) => {
        if (!(error instanceof DryRun)) {
          throw error
        }
      })
  } else {
    await db.transaction().execute(write)
  }
  clearTaxonomyCache()
  invalidateDirectoryIndex(db)
  return {
    ok: true,
    services: services.length,
    created: services.length - existing.size,
    updated: existing.size,
    locations: locationIds.size,
    organisations: organisationIds.size,
    dryRun: options.dryRun ?? false,
  }
}

class DryRun extends Error {}
