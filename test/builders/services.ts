import crypto from 'node:crypto'
import type { DbOrTx } from '../../src/db/database.js'
import { dayMaskOf, dayMaskOfDate } from '../../src/features/service-directory/directory-search.js'
import type {
  OperatingStatus,
  SiteRole,
  WorkflowStatus,
} from '../../src/features/service-directory/directory-tables.js'
import { languageName } from '../../src/features/service-directory/service-draft.js'
import { loadTaxonomyIndex, Taxonomies } from '../../src/features/service-directory/taxonomy.js'

const suffix = (): string => crypto.randomBytes(3).toString('hex')

/** A postcode in the postcode directory (upserted). */
export async function aPostcode(
  db: DbOrTx,
  postcode: string,
  latitude: number,
  longitude: number,
  laCode: string | null = 'E10000099',
): Promise<void> {
  await db
    .insertInto('postcodes')
    .values({ postcode, latitude, longitude, la_code: laCode, lsoa_code: null })
    .onConflict(oc => oc.column('postcode').doUpdateSet({ latitude, longitude, la_code: laCode }))
    .execute()
}

/** A directory organisation; for a platform organisation, its existing one if it has one. */
export async function aDirectoryOrganisation(
  db: DbOrTx,
  options: { organisationId?: string | null; name?: string } = {},
): Promise<string> {
  if (options.organisationId) {
    const existing = await db
      .selectFrom('directory_organisations')
      .select('id')
      .where('organisation_id', '=', options.organisationId)
      .executeTakeFirst()
    if (existing) {
      return existing.id
    }
  }
  const row = await db
    .insertInto('directory_organisations')
    .values({
      organisation_id: options.organisationId ?? null,
      name: options.name ?? `Test provider ${suffix()}`,
      description: 'A provider of services for families.',
      email: 'hello@provider.example.org',
      website: 'https://provider.example.org',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function aNetwork(
  db: DbOrTx,
  options: { name?: string; laCode?: string } = {},
): Promise<{ id: string; slug: string }> {
  const name = options.name ?? `Test ${suffix()} Family Hub`
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  const row = await db
    .insertInto('directory_networks')
    .values({ name, slug, la_code: options.laCode ?? 'E10000099', description: `Family hub services around ${name}.` })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, slug }
}

export interface LocationOptions {
  name?: string
  latitude?: number | null
  longitude?: number | null
  postcode?: string | null
  laCode?: string | null
  city?: string
  accessibility?: string[]
  networkId?: string
  siteRole?: SiteRole
  virtual?: boolean
}

export async function aLocation(db: DbOrTx, options: LocationOptions = {}): Promise<string> {
  const virtual = options.virtual ?? false
  const row = await db
    .insertInto('directory_locations')
    .values({
      name: options.name ?? `Test venue ${suffix()}`,
      location_type: virtual ? 'virtual' : 'physical',
      address_1: virtual ? null : '1 High Street',
      city: virtual ? null : (options.city ?? 'Ashby Moor'),
      state_province: virtual ? null : 'Northmoor',
      postal_code: virtual ? null : (options.postcode ?? 'NM1 1AA'),
      country: 'GB',
      latitude: virtual ? null : (options.latitude ?? 54.2),
      longitude: virtual ? null : (options.longitude ?? -2.1),
      la_code: options.laCode ?? 'E10000099',
      network_id: options.networkId ?? null,
      site_role: options.networkId ? (options.siteRole ?? 'hub') : null,
      url: virtual ? 'https://online.example.org' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const feature of options.accessibility ?? []) {
    await db.insertInto('directory_location_accessibility').values({ location_id: row.id, feature }).execute()
  }
  return row.id
}

export interface SessionOptions {
  byday?: string
  opensAt?: string
  closesAt?: string
  kind?: 'regular' | 'event' | 'closure'
  date?: string
  validFrom?: string
  validTo?: string
  termTimeOnly?: boolean
  freq?: 'WEEKLY' | 'MONTHLY'
}

export interface ServiceOptions {
  name?: string
  summary?: string
  description?: string
  directoryOrganisationId?: string
  workflowStatus?: WorkflowStatus
  operatingStatus?: OperatingStatus
  forPregnancy?: boolean
  pregnancyFromWeek?: number | null
  pregnancyToWeek?: number | null
  forChildren?: boolean
  childMinMonths?: number | null
  childMaxMonths?: number | null
  isFree?: boolean
  cost?: { amount: number; description?: string }
  /** Start for Life category codes. */
  categories?: string[]
  /** Delivery term codes. */
  delivery?: string[]
  languages?: string[]
  /** Venues (location ids), each with the sessions. */
  locationIds?: string[]
  sessions?: SessionOptions[]
  /** Local authority codes of the service's areas. */
  areas?: string[]
  assuredDate?: string | null
  updatedAt?: Date
  phone?: string
}

/** A service with its venues, sessions, categories and so on; published unless told otherwise. */
export async function aService(db: DbOrTx, options: ServiceOptions = {}): Promise<{ id: string; salIds: string[] }> {
  const index = await loadTaxonomyIndex(db)
  const organisationId = options.directoryOrganisationId ?? (await aDirectoryOrganisation(db))
  const isFree = options.isFree ?? options.cost === undefined
  const row = await db
    .insertInto('directory_services')
    .values({
      directory_organisation_id: organisationId,
      name: options.name ?? `Test service ${suffix()}`,
      summary: options.summary ?? 'A service for families.',
      description: options.description ?? 'A longer description of the service for families.',
      url: 'https://service.example.org',
      email: 'service@example.org',
      workflow_status: options.workflowStatus ?? 'published',
      operating_status: options.operatingStatus ?? 'active',
      for_pregnancy: options.forPregnancy ?? false,
      pregnancy_from_week: options.pregnancyFromWeek ?? null,
      pregnancy_to_week: options.pregnancyToWeek ?? null,
      for_children: options.forChildren ?? true,
      child_min_months: options.childMinMonths ?? null,
      child_max_months: options.childMaxMonths ?? null,
      is_free: isFree,
      how_to_access: 'Just turn up.',
      assured_date: options.assuredDate === undefined ? new Date().toISOString().slice(0, 10) : options.assuredDate,
      updated_at: options.updatedAt ?? new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const serviceId = row.id
  await db
    .insertInto('directory_service_versions')
    .values({
      service_id: serviceId,
      version: 1,
      kind: 'created',
      snapshot: JSON.stringify({ name: options.name ?? '' }),
      changed_fields: [],
    })
    .execute()
  const terms = [
    ...(options.categories ?? ['stay-and-play']).map(code => index.term(Taxonomies.startForLife, code)),
    ...(options.delivery ?? ['in-person']).map(code => index.term(Taxonomies.delivery, code)),
  ]
  for (const term of terms) {
    if (!term) {
      throw new Error('Unknown term code in aService')
    }
    await db.insertInto('directory_service_terms').values({ service_id: serviceId, term_id: term.id }).execute()
  }
  await db
    .insertInto('directory_cost_options')
    .values(
      options.cost
        ? {
            service_id: serviceId,
            option: 'Standard',
            amount: options.cost.amount,
            amount_description: options.cost.description ?? 'per session',
          }
        : { service_id: serviceId, option: 'Free', amount: 0 },
    )
    .execute()
  for (const code of options.languages ?? ['en']) {
    await db
      .insertInto('directory_service_languages')
      .values({ service_id: serviceId, code, name: languageName(code) })
      .execute()
  }
  if (options.phone) {
    await db.insertInto('directory_phones').values({ service_id: serviceId, number: options.phone }).execute()
  }
  for (const laCode of options.areas ?? []) {
    await db
      .insertInto('directory_service_areas')
      .values({ service_id: serviceId, name: `Residents of ${laCode}`, la_code: laCode })
      .execute()
  }
  const salIds: string[] = []
  const sessions = options.sessions ?? [{ byday: 'MO', opensAt: '10:00', closesAt: '11:30' }]
  for (const locationId of options.locationIds ?? []) {
    const sal = await db
      .insertInto('directory_service_at_locations')
      .values({ service_id: serviceId, location_id: locationId })
      .returning('id')
      .executeTakeFirstOrThrow()
    salIds.push(sal.id)
    for (const session of sessions) {
      const kind = session.kind ?? 'regular'
      await db
        .insertInto('directory_schedules')
        .values({
          service_id: serviceId,
          service_at_location_id: kind === 'closure' ? null : sal.id,
          kind,
          freq: kind === 'regular' ? (session.freq ?? 'WEEKLY') : null,
          interval: kind === 'regular' ? 1 : null,
          byday: kind === 'regular' ? (session.byday ?? 'MO') : null,
          day_mask:
            kind === 'event' && session.date
              ? dayMaskOfDate(session.date)
              : dayMaskOf(session.byday ?? (kind === 'regular' ? 'MO' : '')),
          opens_at: session.opensAt ?? null,
          closes_at: session.closesAt ?? null,
          dtstart: session.date ?? null,
          valid_from: session.validFrom ?? null,
          valid_to: session.validTo ?? null,
          term_time_only: session.termTimeOnly ?? false,
        })
        .execute()
    }
  }
  return { id: serviceId, salIds }
}

/**
 * A grid of postcodes around a centre, as the demo county has: NM1 1AA, NM1 1AB, … spaced about 500 m apart,
 * all in one local authority. Returns the postcodes in order.
 */
export async function aPostcodeGrid(
  db: DbOrTx,
  options: {
    area?: string
    district?: number
    centre?: { latitude: number; longitude: number }
    size?: number
    laCode?: string
  } = {},
): Promise<string[]> {
  const area = options.area ?? 'NM'
  const district = options.district ?? 1
  const centre = options.centre ?? { latitude: 54.2, longitude: -2.1 }
  const size = options.size ?? 10
  const letters = 'ABDEFGHJLNPQRSTUWXYZ'
  const rows = []
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const n = i * size + j
      const postcode = `${area}${String(district)} ${String(1 + Math.floor(n / 400))}${letters[Math.floor(n / 20) % 20] ?? 'A'}${letters[n % 20] ?? 'A'}`
      rows.push({
        postcode,
        latitude: centre.latitude + (i - size / 2) * 0.0045,
        longitude: centre.longitude + (j - size / 2) * 0.0075,
        la_code: options.laCode ?? 'E10000099',
        lsoa_code: null,
      })
    }
  }
  await db
    .insertInto('postcodes')
    .values(rows)
    .onConflict(oc => oc.column('postcode').doNothing())
    .execute()
  return rows.map(row => row.postcode)
}
