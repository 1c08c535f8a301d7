import crypto from 'node:crypto'
import { formatDateRange } from './directory-format.js'
import { confidentialVenue } from './directory-views.js'
import type {
  AccessibilityRecord,
  LocationRecord,
  OrganisationRecord,
  ScheduleRecord,
  ServiceAtLocationRecord,
  ServiceRecord,
} from './service-records.js'
import { Taxonomies, type TaxonomyIndex, type Taxonomy, type Term } from './taxonomy.js'

/** What GET / answers: the validator strips `HSDS-UK-` and reads 3.0, then checks against the ORUK 3.0 spec. */
export const orukVersion = 'HSDS-UK-3.0'
export const orukProfile = 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md'

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

/**
 * ORUK: "optional fields without a value should be omitted rather than included with null or empty values".
 * Drops null, undefined, empty strings and empty arrays.
 */
export function omitEmpty(object: JsonObject): JsonObject {
  const out: JsonObject = {}
  for (const key in object) {
    const value = object[key]
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
      continue
    }
    out[key] = value
  }
  return out
}

/** A name-based UUID (SHA-1, version 5 layout): the same parts always give the same id. */
export function stableUuid(...parts: string[]): string {
  const hash = crypto
    .createHash('sha1')
    .update(`best-start:${parts.join(':')}`)
    .digest()
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const years = (months: number): number => Math.round((months / 12) * 100) / 100

export function orukTaxonomy(taxonomy: Taxonomy): JsonObject {
  return omitEmpty({
    id: taxonomy.id,
    name: taxonomy.name,
    description: taxonomy.description,
    uri: taxonomy.uri,
    version: taxonomy.version,
  })
}

export function orukTerm(term: Term | TermLike, index: TaxonomyIndex): JsonObject {
  const taxonomy = index.taxonomyById.get(term.taxonomyId)
  return omitEmpty({
    id: term.id,
    code: term.code,
    name: term.name,
    description: term.description,
    parent_id: term.parentId,
    taxonomy: taxonomy?.name,
    taxonomy_id: term.taxonomyId,
    term_uri: term.termUri,
  })
}

interface TermLike {
  id: string
  taxonomyId: string
  code: string
  name: string
  description: string
  parentId: string | null
  termUri: string | null
}

function attribute(id: string, linkId: string, linkType: string, term: TermLike, index: TaxonomyIndex): JsonObject {
  return omitEmpty({
    id,
    link_id: linkId,
    link_type: linkType,
    taxonomy_term_id: term.id,
    taxonomy_term: orukTerm(term, index),
  })
}

export function orukOrganisation(organisation: OrganisationRecord, options: { identifiers: boolean }): JsonObject {
  return omitEmpty({
    id: organisation.id,
    name: organisation.name,
    description: organisation.description,
    email: organisation.email,
    website: organisation.website,
    logo: organisation.logo,
    uri: organisation.uri,
    parent_organization_id: organisation.parentId,
    organization_identifiers: options.identifiers
      ? organisation.identifiers.map(identifier =>
          omitEmpty({
            id: identifier.id,
            organization_id: organisation.id,
            identifier_scheme: identifier.scheme,
            identifier_type: identifier.type,
            identifier: identifier.identifier,
          }),
        )
      : undefined,
  })
}

/** The one-to-one fields of a service (ORUK service_list), with its organisation. */
export function orukServiceFlat(service: ServiceRecord | FlatService): JsonObject {
  const ages = orukAges(service)
  return omitEmpty({
    id: service.id,
    organization_id: service.organisation.id,
    name: service.name,
    description: service.description || service.summary,
    url: service.url,
    email: service.email,
    status: service.operatingStatus,
    fees: service.feesDescription,
    accreditations: service.accreditations,
    minimum_age: ages.minimum,
    maximum_age: ages.maximum,
    assured_date: service.assuredDate,
    assurer_email: service.assurerEmail,
    alert: service.alert,
    last_modified: service.updatedAt.toISOString(),
    organization: orukOrganisation(service.organisation, { identifiers: false }),
  })
}

/** The subset of a service that lists need (see loadFlatServices). */
export type FlatService = Pick<
  ServiceRecord,
  | 'id'
  | 'organisation'
  | 'name'
  | 'summary'
  | 'description'
  | 'url'
  | 'email'
  | 'operatingStatus'
  | 'feesDescription'
  | 'accreditations'
  | 'assuredDate'
  | 'assurerEmail'
  | 'alert'
  | 'updatedAt'
  | 'forChildren'
  | 'childMinMonths'
  | 'childMaxMonths'
>

/**
 * ORUK ages are years. A child range maps directly (from birth = 0; no upper limit = omitted); a service only for
 * pregnancy has no child age, so neither is given (the eligibility attribute "During pregnancy" says so).
 */
export function orukAges(service: Pick<ServiceRecord, 'forChildren' | 'childMinMonths' | 'childMaxMonths'>): {
  minimum: number | undefined
  maximum: number | undefined
} {
  if (!service.forChildren) {
    return { minimum: undefined, maximum: undefined }
  }
  return {
    minimum: years(service.childMinMonths ?? 0),
    maximum: service.childMaxMonths === null ? undefined : years(service.childMaxMonths),
  }
}

/**
 * A location's one-to-one fields. A confidential venue (a refuge) is published as "Confidential venue" with the
 * standard description and nothing that places it: no latitude, longitude, address, postcode, URL or external
 * identifier (a UPRN is an address). See docs/adr/0010-confidential-venues.md.
 */
export function orukLocationFlat(location: LocationRecord | FlatLocation): JsonObject {
  if (location.confidential) {
    return omitEmpty({
      id: location.id,
      location_type: location.locationType === 'virtual' ? 'virtual' : 'physical',
      name: confidentialVenue.name,
      description: confidentialVenue.address,
    })
  }
  return omitEmpty({
    id: location.id,
    location_type: location.locationType,
    url: location.url,
    name: location.name,
    description: location.description,
    latitude: location.latitude,
    longitude: location.longitude,
    external_identifier: location.externalIdentifier,
    external_identifier_type: location.externalIdentifierType,
  })
}

function orukAccessibility(location: LocationRecord, item: AccessibilityRecord, index: TaxonomyIndex): JsonObject {
  const term = index.term(Taxonomies.accessibility, item.feature)
  return omitEmpty({
    id: item.id,
    location_id: location.id,
    description: item.description ?? term?.name,
    // Free text and links about a refuge's entrance could place it.
    details: location.confidential ? undefined : item.details,
    url: location.confidential ? undefined : item.url,
    attributes: term
      ? [attribute(stableUuid('accessibility-attribute', item.id), item.id, 'accessibility', term, index)]
      : undefined,
  })
}

export function orukLocationFull(location: LocationRecord, index: TaxonomyIndex): JsonObject {
  const hasAddress =
    !location.confidential &&
    location.locationType !== 'virtual' &&
    Boolean(location.address1 && location.city && location.stateProvince && location.postalCode && location.country)
  const siteTerm = location.siteRole ? index.term(Taxonomies.site, location.siteRole) : undefined
  return omitEmpty({
    ...orukLocationFlat(location),
    addresses: hasAddress
      ? [
          omitEmpty({
            id: stableUuid('address', location.id),
            location_id: location.id,
            address_1: location.address1,
            address_2: location.address2,
            city: location.city,
            state_province: location.stateProvince,
            postal_code: location.postalCode,
            country: location.country,
            address_type: location.locationType === 'postal' ? 'postal' : 'physical',
          }),
        ]
      : undefined,
    accessibility: location.accessibility.map(item => orukAccessibility(location, item, index)),
    attributes: siteTerm
      ? [attribute(stableUuid('site-attribute', location.id), location.id, 'location', siteTerm, index)]
      : undefined,
  })
}

function closureNote(closures: ScheduleRecord[]): string | undefined {
  if (!closures.length) {
    return undefined
  }
  return closures
    .map(
      closure =>
        `Closed ${formatDateRange(closure.validFrom, closure.validTo)}${closure.description ? ` (${closure.description})` : ''}.`,
    )
    .join(' ')
}

function orukSchedule(service: ServiceRecord, schedule: ScheduleRecord, closures: string | undefined): JsonObject {
  const event = schedule.kind === 'event'
  const description = [schedule.description, schedule.termTimeOnly ? 'Term time only.' : undefined]
    .filter(Boolean)
    .join(' ')
  return omitEmpty({
    id: schedule.id,
    service_id: service.id,
    service_at_location_id: schedule.serviceAtLocationId,
    valid_from: event ? schedule.dtstart : schedule.validFrom,
    valid_to: event ? schedule.dtstart : schedule.validTo,
    dtstart: schedule.dtstart,
    freq: event ? undefined : schedule.freq,
    interval: event ? undefined : schedule.interval,
    byday: event ? undefined : schedule.byday,
    bymonthday: event ? undefined : schedule.bymonthday,
    description,
    opens_at: schedule.opensAt,
    closes_at: schedule.closesAt,
    schedule_link: schedule.scheduleLink,
    attending_type: schedule.attendingType,
    notes: [schedule.notes, closures].filter(Boolean).join(' '),
  })
}

export function orukServiceAtLocationFull(
  service: ServiceRecord,
  sal: ServiceAtLocationRecord,
  index: TaxonomyIndex,
): JsonObject {
  return omitEmpty({
    id: sal.id,
    service_id: service.id,
    location_id: sal.location.id,
    description: sal.description,
    location: orukLocationFull(sal.location, index),
  })
}

/** Attributes of a service: its categories and delivery methods, plus "During pregnancy" derived from eligibility. */
function serviceAttributes(service: ServiceRecord, index: TaxonomyIndex): JsonObject[] {
  const attributes = service.terms.map(term => attribute(term.attributeId, service.id, 'service', term, index))
  const pregnancy = index.term(Taxonomies.eligibility, 'pregnancy')
  if (service.forPregnancy && pregnancy) {
    attributes.push(attribute(stableUuid('pregnancy-attribute', service.id), service.id, 'service', pregnancy, index))
  }
  return attributes
}

/** A fully nested service (ORUK compiled/service.json). */
export function orukServiceFull(service: ServiceRecord, index: TaxonomyIndex): JsonObject {
  const closures = closureNote(service.schedules.filter(schedule => schedule.kind === 'closure'))
  const costOptions = service.costOptions.map(cost =>
    omitEmpty({
      id: cost.id,
      service_id: service.id,
      valid_from: cost.validFrom,
      valid_to: cost.validTo,
      option: cost.option,
      amount: cost.amount,
      amount_description: cost.amountDescription,
    }),
  )
  if (!costOptions.length && service.isFree) {
    costOptions.push({ id: stableUuid('free', service.id), service_id: service.id, option: 'Free', amount: 0 })
  }
  const allPhones = [...service.phones, ...service.contacts.flatMap(contact => contact.phones)]
  return omitEmpty({
    ...orukServiceFlat(service),
    schedules: service.schedules
      .filter(schedule => schedule.kind !== 'closure')
      .map(schedule => orukSchedule(service, schedule, closures)),
    service_areas: service.serviceAreas.map(area =>
      omitEmpty({
        id: area.id,
        service_id: service.id,
        name: area.name,
        extent: area.extent,
        extent_type: area.extentType,
        uri:
          area.uri ??
          (area.laCode ? `http://statistics.data.gov.uk/id/statistical-geography/${area.laCode}` : undefined),
      }),
    ),
    service_at_locations: service.locations.map(sal => orukServiceAtLocationFull(service, sal, index)),
    languages: service.languages.map(language =>
      omitEmpty({
        id: language.id,
        service_id: service.id,
        name: language.name,
        code: language.code,
        note: language.note,
      }),
    ),
    organization: orukOrganisation(service.organisation, { identifiers: true }),
    funding: service.funding.map(item => ({ id: item.id, service_id: service.id, source: item.source })),
    cost_options: costOptions,
    contacts: service.contacts.map(contact =>
      omitEmpty({ id: contact.id, service_id: service.id, name: contact.name, title: contact.title }),
    ),
    // HSDS 3.0 service phones: not in the ORUK profile, sent as an allowed extra field because families need a number.
    phones: allPhones.map(phone =>
      omitEmpty({
        id: phone.id,
        service_id: service.id,
        contact_id: phone.contactId,
        number: phone.number,
        description: phone.description,
        type: phone.kind,
      }),
    ),
    attributes: serviceAttributes(service, index),
  })
}

/** A service_at_location list item: its own ids, the location and the service (one-to-one fields). */
export function orukServiceAtLocationListItem(
  id: string,
  service: FlatService,
  location: LocationRecord | FlatLocation,
): JsonObject {
  return omitEmpty({
    id,
    service_id: service.id,
    location_id: location.id,
    location: orukLocationFlat(location),
    service: orukServiceFlat(service),
  })
}

export type FlatLocation = Pick<
  LocationRecord,
  | 'id'
  | 'locationType'
  | 'url'
  | 'name'
  | 'description'
  | 'latitude'
  | 'longitude'
  | 'externalIdentifier'
  | 'externalIdentifierType'
  | 'confidential'
>

/**
 * GET /service_at_locations/{id}. The ORUK 3.0 OpenAPI says its response is a service (compiled/service.json, which
 * requires id, name and status), while HSDS and the validator's own schema say a service_at_location. To satisfy
 * both, this is a fully nested service_at_location that also carries the service's name and status.
 */
export function orukServiceAtLocationDetail(
  service: ServiceRecord,
  sal: ServiceAtLocationRecord,
  index: TaxonomyIndex,
): JsonObject {
  return omitEmpty({
    ...orukServiceAtLocationFull(service, sal, index),
    name: service.name,
    status: service.operatingStatus,
    service: omitEmpty({ ...orukServiceFull(service, index), service_at_locations: undefined }),
  })
}

export interface PageEnvelope {
  total_items: number
  total_pages: number
  page_number: number
  size: number
  first_page: boolean
  last_page: boolean
  empty: boolean
  contents: JsonObject[]
}

/**
 * The same page, as JSON text, from items already serialised (the API caches each list item's JSON for the life of
 * the search index, so a page is joined rather than serialised again).
 */
export function pageJson(items: string[], total: number, pageNumber: number, perPage: number): string {
  const { contents: _contents, ...envelope } = page([], total, pageNumber, perPage)
  envelope.size = items.length
  envelope.empty = items.length === 0
  return `${JSON.stringify(envelope).slice(0, -1)},"contents":[${items.join(',')}]}`
}

export function page(contents: JsonObject[], total: number, pageNumber: number, perPage: number): PageEnvelope {
  const totalPages = Math.max(1, Math.ceil(total / perPage))
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: contents.length === 0,
    contents,
  }
}
