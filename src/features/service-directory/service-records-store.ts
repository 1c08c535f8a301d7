import type { DbOrTx } from '../../db/database.js'
import type { OperatingStatus } from './directory-tables.js'
import type {
  FlatServiceAtLocation,
  FlatServiceRecord,
  LocationRecord,
  OrganisationRecord,
  ServiceRecord,
} from './service-records.js'
import { termDatesForAreas } from './term-dates-store.js'

/**
 * Loading directory services and their organisations and venues as records (service-records.ts), a fixed number of
 * queries whatever the number of records.
 */

/** The service and owning-organisation columns every service query reads (rows for `flatService`). */
export const serviceColumns = [
  's.id',
  's.name',
  's.summary',
  's.description',
  's.url',
  's.email',
  's.operating_status',
  's.fees_description',
  's.accreditations',
  's.assured_date',
  's.assurer_email',
  's.alert',
  's.updated_at',
] as const
export const organisationColumns = [
  'o.id as o_id',
  'o.organisation_id as o_organisation_id',
  'o.name as o_name',
  'o.description as o_description',
  'o.email as o_email',
  'o.website as o_website',
  'o.logo as o_logo',
  'o.uri as o_uri',
  'o.parent_id as o_parent_id',
] as const

function hhmm(time: string | null): string | null {
  return time === null ? null : time.slice(0, 5)
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = map.get(k)
    if (list) {
      list.push(item)
    } else {
      map.set(k, [item])
    }
  }
  return map
}

export async function loadOrganisations(db: DbOrTx, ids: string[]): Promise<Map<string, OrganisationRecord>> {
  if (!ids.length) {
    return new Map()
  }
  const unique = [...new Set(ids)]
  const rows = await db.selectFrom('directory_organisations').selectAll().where('id', 'in', unique).execute()
  const identifiers = groupBy(
    await db
      .selectFrom('directory_organisation_identifiers')
      .selectAll()
      .where('directory_organisation_id', 'in', unique)
      .orderBy('identifier_type')
      .execute(),
    row => row.directory_organisation_id,
  )
  return new Map(
    rows.map(row => [
      row.id,
      {
        id: row.id,
        organisationId: row.organisation_id,
        name: row.name,
        description: row.description,
        email: row.email,
        website: row.website,
        logo: row.logo,
        uri: row.uri,
        parentId: row.parent_id,
        identifiers: (identifiers.get(row.id) ?? []).map(identifier => ({
          id: identifier.id,
          scheme: identifier.identifier_scheme,
          type: identifier.identifier_type,
          identifier: identifier.identifier,
        })),
      },
    ]),
  )
}

export async function loadLocations(db: DbOrTx, ids: string[]): Promise<Map<string, LocationRecord>> {
  if (!ids.length) {
    return new Map()
  }
  const unique = [...new Set(ids)]
  const rows = await db
    .selectFrom('directory_locations as l')
    .leftJoin('directory_networks as n', 'n.id', 'l.network_id')
    .selectAll('l')
    .select(['n.name as network_name', 'n.slug as network_slug'])
    .where('l.id', 'in', unique)
    .execute()
  const accessibility = groupBy(
    await db
      .selectFrom('directory_location_accessibility')
      .selectAll()
      .where('location_id', 'in', unique)
      .orderBy('feature')
      .execute(),
    row => row.location_id,
  )
  return new Map(
    rows.map(row => [
      row.id,
      {
        id: row.id,
        name: row.name,
        description: row.description,
        locationType: row.location_type,
        address1: row.address_1,
        address2: row.address_2,
        city: row.city,
        stateProvince: row.state_province,
        postalCode: row.postal_code,
        country: row.country,
        latitude: row.latitude,
        longitude: row.longitude,
        laCode: row.la_code,
        url: row.url,
        externalIdentifier: row.external_identifier,
        externalIdentifierType: row.external_identifier_type,
        network:
          row.network_id && row.network_name && row.network_slug
            ? { id: row.network_id, name: row.network_name, slug: row.network_slug }
            : null,
        siteRole: row.site_role,
        confidential: row.confidential,
        accessibility: (accessibility.get(row.id) ?? []).map(item => ({
          id: item.id,
          feature: item.feature,
          description: item.description,
          details: item.details,
          url: item.url,
        })),
      },
    ]),
  )
}

/**
 * Loads services with everything attached, in the order of `ids` (unknown ids are skipped). A fixed number of
 * queries whatever the number of services.
 */
export async function loadServices(db: DbOrTx, ids: string[]): Promise<ServiceRecord[]> {
  if (!ids.length) {
    return []
  }
  const unique = [...new Set(ids)]
  const services = await db.selectFrom('directory_services').selectAll().where('id', 'in', unique).execute()
  if (!services.length) {
    return []
  }
  const organisations = await loadOrganisations(
    db,
    services.map(service => service.directory_organisation_id),
  )
  const terms = groupBy(
    await db
      .selectFrom('directory_service_terms as st')
      .innerJoin('directory_taxonomy_terms as t', 't.id', 'st.term_id')
      .innerJoin('directory_taxonomies as x', 'x.id', 't.taxonomy_id')
      .select([
        'st.id as attribute_id',
        'st.service_id',
        't.id',
        't.taxonomy_id',
        'x.code as taxonomy_code',
        'x.name as taxonomy_name',
        't.code',
        't.name',
        't.description',
        't.parent_id',
        't.term_uri',
      ])
      .where('st.service_id', 'in', unique)
      .orderBy('x.code')
      .orderBy('t.sort_order')
      .orderBy('t.name')
      .execute(),
    row => row.service_id,
  )
  const schedules = groupBy(
    await db
      .selectFrom('directory_schedules')
      .selectAll()
      .where('service_id', 'in', unique)
      .orderBy('kind', 'desc')
      .orderBy('dtstart')
      .orderBy('valid_from')
      .orderBy('day_mask')
      .orderBy('opens_at')
      .execute(),
    row => row.service_id,
  )
  const costs = groupBy(
    await db
      .selectFrom('directory_cost_options')
      .selectAll()
      .where('service_id', 'in', unique)
      .orderBy('amount')
      .execute(),
    row => row.service_id,
  )
  const languages = groupBy(
    await db
      .selectFrom('directory_service_languages')
      .selectAll()
      .where('service_id', 'in', unique)
      .orderBy('name')
      .execute(),
    row => row.service_id,
  )
  const contactRows = await db
    .selectFrom('directory_contacts')
    .selectAll()
    .where('service_id', 'in', unique)
    .orderBy('name')
    .execute()
  const phoneRows = await db
    .selectFrom('directory_phones')
    .selectAll()
    .where('service_id', 'in', unique)
    .orderBy('kind')
    .execute()
  const phones = phoneRows.map(row => ({
    id: row.id,
    serviceId: row.service_id,
    contactId: row.contact_id,
    number: row.number,
    description: row.description,
    kind: row.kind,
  }))
  const areas = groupBy(
    await db.selectFrom('directory_service_areas').selectAll().where('service_id', 'in', unique).execute(),
    row => row.service_id,
  )
  const funding = groupBy(
    await db.selectFrom('directory_funding').selectAll().where('service_id', 'in', unique).execute(),
    row => row.service_id,
  )
  const salRows = await db
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select(['sal.id', 'sal.service_id', 'sal.location_id', 'sal.description'])
    .where('sal.service_id', 'in', unique)
    .orderBy('l.name')
    .execute()
  const locations = await loadLocations(
    db,
    salRows.map(row => row.location_id),
  )
  const sals = groupBy(salRows, row => row.service_id)
  const schoolTerms = await termDatesForAreas(
    db,
    [...locations.values()].flatMap(location => (location.laCode ? [location.laCode] : [])),
  )
  const byId = new Map(
    services.map(row => {
      const organisation = organisations.get(row.directory_organisation_id)
      if (!organisation) {
        throw new Error(`Service ${row.id} has no organisation`)
      }
      const servicePhones = phones.filter(phone => phone.serviceId === row.id)
      const record: ServiceRecord = {
        id: row.id,
        organisation,
        name: row.name,
        summary: row.summary,
        description: row.description,
        url: row.url,
        email: row.email,
        workflowStatus: row.workflow_status,
        operatingStatus: row.operating_status,
        forPregnancy: row.for_pregnancy,
        pregnancyFromWeek: row.pregnancy_from_week,
        pregnancyToWeek: row.pregnancy_to_week,
        forChildren: row.for_children,
        childMinMonths: row.child_min_months,
        childMaxMonths: row.child_max_months,
        whoCanAttend: row.who_can_attend,
        howToAccess: row.how_to_access,
        isFree: row.is_free,
        feesDescription: row.fees_description,
        accreditations: row.accreditations,
        alert: row.alert,
        assuredDate: row.assured_date,
        assurerEmail: row.assurer_email,
        pendingVersionId: row.pending_version_id === null ? null : row.pending_version_id,
        archivedAt: row.archived_at,
        source: row.source,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        terms: (terms.get(row.id) ?? []).map(term => ({
          attributeId: term.attribute_id,
          id: term.id,
          taxonomyId: term.taxonomy_id,
          taxonomyCode: term.taxonomy_code,
          taxonomyName: term.taxonomy_name,
          code: term.code,
          name: term.name,
          description: term.description,
          parentId: term.parent_id,
          termUri: term.term_uri,
        })),
        schedules: (schedules.get(row.id) ?? []).map(schedule => ({
          id: schedule.id,
          serviceAtLocationId: schedule.service_at_location_id,
          kind: schedule.kind,
          freq: schedule.freq,
          interval: schedule.interval,
          byday: schedule.byday,
          bymonthday: schedule.bymonthday,
          dayMask: schedule.day_mask,
          opensAt: hhmm(schedule.opens_at),
          closesAt: hhmm(schedule.closes_at),
          dtstart: schedule.dtstart,
          validFrom: schedule.valid_from,
          validTo: schedule.valid_to,
          termTimeOnly: schedule.term_time_only,
          description: schedule.description,
          notes: schedule.notes,
          attendingType: schedule.attending_type,
          scheduleLink: schedule.schedule_link,
        })),
        costOptions: (costs.get(row.id) ?? []).map(cost => ({
          id: cost.id,
          option: cost.option,
          amount: cost.amount === null ? null : cost.amount,
          amountDescription: cost.amount_description,
          validFrom: cost.valid_from,
          validTo: cost.valid_to,
        })),
        languages: (languages.get(row.id) ?? []).map(language => ({
          id: language.id,
          code: language.code,
          name: language.name,
          note: language.note,
        })),
        contacts: contactRows
          .filter(contact => contact.service_id === row.id)
          .map(contact => ({
            id: contact.id,
            name: contact.name,
            title: contact.title,
            email: contact.email,
            phones: servicePhones.filter(phone => phone.contactId === contact.id),
          })),
        phones: servicePhones.filter(phone => phone.contactId === null),
        serviceAreas: (areas.get(row.id) ?? []).map(area => ({
          id: area.id,
          name: area.name,
          laCode: area.la_code,
          extent: area.extent,
          extentType: area.extent_type,
          uri: area.uri,
        })),
        funding: (funding.get(row.id) ?? []).map(item => ({ id: item.id, source: item.source })),
        locations: (sals.get(row.id) ?? []).flatMap(sal => {
          const location = locations.get(sal.location_id)
          return location ? [{ id: sal.id, description: sal.description, location }] : []
        }),
        schoolTerms: Object.fromEntries(
          (sals.get(row.id) ?? []).flatMap(sal => {
            const code = locations.get(sal.location_id)?.laCode
            const terms = code ? schoolTerms[code] : undefined
            return code && terms ? [[code, terms] as const] : []
          }),
        ),
      }
      return [row.id, record] as const
    }),
  )
  return ids.flatMap(id => {
    const record = byId.get(id)
    return record ? [record] : []
  })
}

export async function loadService(db: DbOrTx, id: string): Promise<ServiceRecord | undefined> {
  return (await loadServices(db, [id]))[0]
}

/** One-to-one fields of services and their organisations, in one query (for API lists). */
export async function loadFlatServices(db: DbOrTx, ids: string[]): Promise<FlatServiceRecord[]> {
  if (!ids.length) {
    return []
  }
  const rows = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
    .select([...serviceColumns, 's.for_children', 's.child_min_months', 's.child_max_months', ...organisationColumns])
    .where('s.id', 'in', [...new Set(ids)])
    .execute()
  const byId = new Map(rows.map(row => [row.id, flatService(row)]))
  return ids.flatMap(id => {
    const record = byId.get(id)
    return record ? [record] : []
  })
}

export interface FlatRow {
  id: string
  name: string
  summary: string | null
  description: string
  url: string | null
  email: string | null
  operating_status: OperatingStatus
  fees_description: string | null
  accreditations: string | null
  assured_date: string | null
  assurer_email: string | null
  alert: string | null
  updated_at: Date
  for_children: boolean
  child_min_months: number | null
  child_max_months: number | null
  o_id: string
  o_organisation_id: string | null
  o_name: string
  o_description: string
  o_email: string | null
  o_website: string | null
  o_logo: string | null
  o_uri: string | null
  o_parent_id: string | null
}

/** The organisation columns of a row as an OrganisationRecord (without identifiers). */
export function organisationOfRow(row: FlatRow): OrganisationRecord {
  return {
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
}

/** A row of serviceColumns and organisationColumns as a FlatServiceRecord (sharing `organisation` if given). */
export function flatService(
  row: FlatRow,
  organisation: OrganisationRecord = organisationOfRow(row),
): FlatServiceRecord {
  return {
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
  }
}

/** Service-at-locations with the one-to-one fields of their location, service and organisation, in one query. */
export async function loadFlatServiceAtLocations(db: DbOrTx, ids: string[]): Promise<FlatServiceAtLocation[]> {
  if (!ids.length) {
    return []
  }
  const rows = await db
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_services as s', 's.id', 'sal.service_id')
    .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select([
      'sal.id as sal_id',
      ...serviceColumns,
      's.for_children',
      's.child_min_months',
      's.child_max_months',
      ...organisationColumns,
      'l.id as l_id',
      'l.location_type as l_location_type',
      'l.url as l_url',
      'l.name as l_name',
      'l.description as l_description',
      'l.latitude as l_latitude',
      'l.longitude as l_longitude',
      'l.external_identifier as l_external_identifier',
      'l.external_identifier_type as l_external_identifier_type',
      'l.confidential as l_confidential',
    ])
    .where('sal.id', 'in', [...new Set(ids)])
    .execute()
  const byId = new Map(
    rows.map(row => [
      row.sal_id,
      {
        id: row.sal_id,
        service: flatService(row),
        location: {
          id: row.l_id,
          locationType: row.l_location_type,
          url: row.l_url,
          name: row.l_name,
          description: row.l_description,
          latitude: row.l_latitude,
          longitude: row.l_longitude,
          externalIdentifier: row.l_external_identifier,
          externalIdentifierType: row.l_external_identifier_type,
          confidential: row.l_confidential,
        },
      },
    ]),
  )
  return ids.flatMap(id => {
    const record = byId.get(id)
    return record ? [record] : []
  })
}
