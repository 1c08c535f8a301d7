import type { Insertable } from 'kysely'
import type { Db } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import {
  directoryOrganisationExists,
  directoryOrganisationIdsFor,
  insertBatched,
  listDistrictNames,
  listNetworkSlugs,
  listPlatformOrganisations,
  listPostcodePoints,
  listTermStarts,
} from './demo-directory-store.js'
import { dayMaskOf, dayMaskOfDate } from './directory-search.js'
import {
  charities,
  otherLanguages,
  serviceTemplates,
  streetNames,
  townNames,
  venueKinds,
  type Provider,
  type ServiceTemplate,
} from './demo-templates.js'
import { stableUuid } from './oruk-serialise.js'
import { draftOfTemplate } from './service-draft.js'
import { loadTaxonomyIndex, Taxonomies } from './taxonomy.js'

export interface DemoDirectoryOptions {
  seed: number
  /** 1 = about 10 family hub networks and 300 services. */
  scale: number
  laCode: string
  /** Platform organisations that run services (council, NHS trusts, nursery, voluntary organisations). */
  orgIds: string[]
  /** Override the number of services (the bench uses 10,000). */
  services?: number
  /** Override the number of venues (the bench uses 30,000). */
  locations?: number
  /** County name for addresses (state_province). */
  county?: string
}

export interface DemoDirectorySummary {
  networks: number
  locations: number
  services: number
  serviceAtLocations: number
  seconds: number
}

/** mulberry32: the same seed gives the same directory. */
function randomFrom(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Point {
  latitude: number
  longitude: number
  postcode: string | null
  laCode: string | null
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/**
 * Creates the demo directory: ~10 family hub networks (a hub, spokes, outreach venues and an online offer each) and
 * ~300 services at scale 1, at the demo county's postcodes when the postcodes table has them (else at generated
 * points). Deterministic for a seed. Also builds the bench directory (services: 10,000, locations: 30,000).
 */
export async function seedDemoDirectory(db: Db, options: DemoDirectoryOptions): Promise<DemoDirectorySummary> {
  const started = performance.now()
  const random = randomFrom(options.seed + 17)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const id = (...parts: (string | number)[]): string => stableUuid('demo', String(options.seed), ...parts.map(String))
  const index = await loadTaxonomyIndex(db, { fresh: true })
  const county = options.county ?? 'Northmoor'
  const serviceCount = Math.max(1, Math.round(options.services ?? 300 * options.scale))
  const networkCount = Math.max(1, Math.round(10 * Math.min(options.scale, 10)))
  const venueCount = Math.max(networkCount * 6, Math.round(options.locations ?? serviceCount * 0.4))

  // Where venues go: the county's postcodes if the demo county has been generated, otherwise points near Northmoor.
  const postcodeRows = await listPostcodePoints(db, options.laCode)
  const points: Point[] = postcodeRows.length
    ? postcodeRows.map(row => ({
        latitude: row.latitude,
        longitude: row.longitude,
        postcode: row.postcode,
        laCode: row.la_code,
      }))
    : Array.from({ length: 2000 }, () => ({
        latitude: 54.2 + (random() - 0.5) * 0.5,
        longitude: -2.1 + (random() - 0.5) * 0.8,
        postcode: null,
        laCode: options.laCode,
      }))
  const districtNames = await listDistrictNames(db, options.laCode)
  const towns = [...districtNames, ...townNames]

  // Organisations: one directory organisation per platform organisation, and local charities.
  const platformOrgs = await listPlatformOrganisations(db, options.orgIds)
  const existing = await directoryOrganisationIdsFor(
    db,
    platformOrgs.map(org => org.id),
  )
  const orgRows: Insertable<Database['directory_organisations']>[] = []
  const byProvider = new Map<Provider, string[]>()
  const addProvider = (provider: Provider, directoryOrgId: string) =>
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), directoryOrgId])
  for (const org of platformOrgs) {
    const directoryId = existing.get(org.id) ?? id('org', org.id)
    if (!existing.has(org.id)) {
      orgRows.push({
        id: directoryId,
        organisation_id: org.id,
        name: org.name,
        description: organisationDescription(org.kind, org.name),
        website: `https://www.${slugify(org.name)}.example.org`,
        email: `families@${slugify(org.name)}.example.org`,
      })
    }
    const provider: Provider =
      org.kind === 'local_authority'
        ? 'council'
        : org.kind === 'nhs_trust'
          ? 'nhs'
          : org.kind === 'voluntary_organisation'
            ? 'voluntary'
            : org.kind === 'gp_practice'
              ? 'gp'
              : 'nursery'
    addProvider(provider, directoryId)
  }
  const identifierRows: Insertable<Database['directory_organisation_identifiers']>[] = []
  for (const charity of charities) {
    const directoryId = id('charity', charity.name)
    if (!(await directoryOrganisationExists(db, directoryId))) {
      orgRows.push({
        id: directoryId,
        organisation_id: null,
        name: charity.name,
        description: charity.description,
        website: `https://www.${slugify(charity.name)}.example.org`,
        email: `hello@${slugify(charity.name)}.example.org`,
      })
      identifierRows.push({
        id: id('charity-number', charity.name),
        directory_organisation_id: directoryId,
        identifier_scheme: 'GB-CHC',
        identifier_type: 'Registered charity number',
        identifier: charity.charity,
      })
    }
    addProvider('voluntary', directoryId)
  }
  const councilOrgs = byProvider.get('council') ?? byProvider.get('voluntary') ?? []
  const providerOf = (provider: Provider): string => {
    const candidates = byProvider.get(provider) ?? byProvider.get('council') ?? byProvider.get('voluntary') ?? []
    return pick(candidates)
  }

  // Family hub networks and venues.
  const networkRows: Insertable<Database['directory_networks']>[] = []
  const locationRows: Insertable<Database['directory_locations']>[] = []
  const accessibilityRows: Insertable<Database['directory_location_accessibility']>[] = []
  interface Venue {
    id: string
    point: Point | null
    networkId: string | null
    role: string | null
    online: boolean
    /** A refuge: the address is never published. */
    confidential?: boolean
  }
  const venues: Venue[] = []
  const usedSlugs = new Set<string>()
  const existingSlugs = new Set(await listNetworkSlugs(db))
  const addVenue = (venue: Venue, name: string, town: string, kindIndex: number, description: string | null) => {
    const kind = venueKinds[kindIndex % venueKinds.length] ?? venueKinds[0]
    const point = venue.point
    locationRows.push({
      id: venue.id,
      directory_organisation_id: councilOrgs[0] ?? null,
      network_id: venue.networkId,
      site_role: venue.role as never,
      location_type: venue.online ? 'virtual' : 'physical',
      name,
      description,
      address_1: venue.online ? null : `${String(1 + Math.floor(random() * 120))} ${pick(streetNames)}`,
      city: venue.online ? null : town,
      state_province: venue.online ? null : county,
      postal_code: venue.online ? null : (point?.postcode ?? null),
      country: 'GB',
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
      la_code: point?.laCode ?? options.laCode,
      url: venue.online ? `https://www.${slugify(name)}.example.org` : null,
      confidential: venue.confidential ?? false,
    })
    if (!venue.online && kind) {
      for (const feature of kind.accessibility) {
        if (random() < 0.85) {
          accessibilityRows.push({ id: id('accessibility', venue.id, feature), location_id: venue.id, feature })
        }
      }
    }
    venues.push(venue)
  }
  const near = (centre: Point, spreadKm: number): Point => {
    // The postcode nearest a random point around the centre, so that venues sit at real postcodes.
    const target = {
      latitude: centre.latitude + ((random() - 0.5) * spreadKm) / 111,
      longitude: centre.longitude + ((random() - 0.5) * spreadKm) / (111 * Math.cos((centre.latitude * Math.PI) / 180)),
    }
    let best = centre
    let bestDistance = Infinity
    for (let attempt = 0; attempt < 40; attempt++) {
      const candidate = pick(points)
      const distance = (candidate.latitude - target.latitude) ** 2 + (candidate.longitude - target.longitude) ** 2
      if (distance < bestDistance) {
        best = candidate
        bestDistance = distance
      }
    }
    return postcodeRows.length ? best : { ...target, postcode: null, laCode: options.laCode }
  }
  const networkVenues: Venue[][] = []
  for (let n = 0; n < networkCount; n++) {
    const town = towns[n % towns.length] ?? `Town ${String(n)}`
    const name =
      n < towns.length ? `${town} Family Hub` : `${town} Family Hub ${String(Math.floor(n / towns.length) + 1)}`
    let slug = slugify(name)
    while (usedSlugs.has(slug) || existingSlugs.has(slug)) {
      slug = `${slug}-${String(n)}`
    }
    usedSlugs.add(slug)
    const networkId = id('network', n)
    networkRows.push({
      id: networkId,
      slug,
      name,
      description: `Family hub services for families in and around ${town}: the family hub, linked sites, outreach sessions in local venues, and online and telephone support.`,
      la_code: options.laCode,
      directory_organisation_id: councilOrgs[0] ?? null,
    })
    const centre = pick(points)
    const members: Venue[] = []
    const hub: Venue = { id: id('venue', n, 'hub'), point: centre, networkId, role: 'hub', online: false }
    addVenue(hub, `${town} Family Hub`, town, 6, `The main family hub for ${town}, open every weekday.`)
    members.push(hub)
    for (let s = 0; s < 2; s++) {
      const venue: Venue = {
        id: id('venue', n, 'spoke', s),
        point: near(centre, 6),
        networkId,
        role: 'spoke',
        online: false,
      }
      addVenue(
        venue,
        `${town} ${s === 0 ? 'Library' : 'Health Centre'} (family hub spoke)`,
        town,
        s === 0 ? 0 : 4,
        null,
      )
      members.push(venue)
    }
    for (let o = 0; o < 3; o++) {
      const kindIndex = [1, 2, 8][o] ?? 1
      const village = pick(towns)
      const venue: Venue = {
        id: id('venue', n, 'outreach', o),
        point: near(centre, 10),
        networkId,
        role: 'outreach',
        online: false,
      }
      const kind = venueKinds[kindIndex] ?? venueKinds[1]
      addVenue(
        venue,
        `${kind?.prefix ?? ''} ${village} ${kind?.suffix ?? ''}`.replace(/\s+/g, ' ').trim(),
        village,
        kindIndex,
        null,
      )
      members.push(venue)
    }
    const online: Venue = { id: id('venue', n, 'online'), point: null, networkId, role: 'online', online: true }
    addVenue(
      online,
      `${town} Family Hub online and by phone`,
      town,
      0,
      'Video calls, online courses and telephone support.',
    )
    members.push(online)
    networkVenues.push(members)
  }
  const others: Venue[] = []
  for (let v = venues.length; v < venueCount; v++) {
    const network = networkVenues[others.length % networkVenues.length] ?? networkVenues[0] ?? []
    const centre = network[0]?.point ?? pick(points)
    const kindIndex = Math.floor(random() * venueKinds.length)
    const kind = venueKinds[kindIndex]
    const village = pick(towns)
    const venue: Venue = {
      id: id('venue', 'other', v),
      point: near(centre, 16),
      networkId: null,
      role: null,
      online: false,
    }
    addVenue(
      venue,
      `${kind?.prefix ?? ''} ${village} ${kind?.suffix ?? ''}`.replace(/\s+/g, ' ').trim(),
      village,
      kindIndex,
      null,
    )
    others.push(venue)
  }

  const othersByNetwork: Venue[][] = networkVenues.map(() => [])
  others.forEach((venue, k) => othersByNetwork[k % networkVenues.length]?.push(venue))

  // Services.
  const today = new Date()
  const serviceRows: Insertable<Database['directory_services']>[] = []
  const salRows: Insertable<Database['directory_service_at_locations']>[] = []
  const scheduleRows: Insertable<Database['directory_schedules']>[] = []
  const costRows: Insertable<Database['directory_cost_options']>[] = []
  const languageRows: Insertable<Database['directory_service_languages']>[] = []
  const termRows: Insertable<Database['directory_service_terms']>[] = []
  const phoneRows: Insertable<Database['directory_phones']>[] = []
  const contactRows: Insertable<Database['directory_contacts']>[] = []
  const areaRows: Insertable<Database['directory_service_areas']>[] = []
  const versionRows: Insertable<Database['directory_service_versions']>[] = []
  const christmas = today.getUTCMonth() >= 10 ? today.getUTCFullYear() : today.getUTCFullYear() - 1
  const termFor = (taxonomy: string, code: string): string => {
    const term = index.term(taxonomy, code)
    if (!term) {
      throw new Error(`The demo directory uses ${taxonomy}:${code}, which is not in the taxonomy`)
    }
    return term.id
  }
  for (let i = 0; i < serviceCount; i++) {
    const template = serviceTemplates[i % serviceTemplates.length] as ServiceTemplate
    const networkIndex = Math.floor(i / serviceTemplates.length) % networkVenues.length
    const network = networkVenues[networkIndex] ?? []
    const serviceId = id('service', i)
    const town = towns[networkIndex % towns.length] ?? ''
    const workflow =
      random() < 0.04 ? 'draft' : random() < 0.04 ? 'awaiting_approval' : random() < 0.02 ? 'archived' : 'published'
    const assuredDaysAgo = random() < 0.18 ? 100 + Math.floor(random() * 200) : Math.floor(random() * 85)
    const assured = new Date(today.getTime() - assuredDaysAgo * 86_400_000)
    const draft = draftOfTemplate(
      template,
      `${template.name}${serviceCount > serviceTemplates.length ? ` – ${town}` : ''}`,
    )
    serviceRows.push({
      id: serviceId,
      directory_organisation_id: providerOf(template.provider),
      name: draft.name,
      summary: draft.summary,
      description: draft.description,
      url: `https://www.example.org/${slugify(template.name)}`,
      email: template.provider === 'nhs' ? null : `${slugify(template.name).slice(0, 30)}@example.org`,
      workflow_status: workflow,
      operating_status: random() < 0.03 ? 'temporarily closed' : 'active',
      for_pregnancy: draft.forPregnancy,
      pregnancy_from_week: draft.pregnancyFromWeek,
      pregnancy_to_week: draft.pregnancyToWeek,
      for_children: draft.forChildren,
      child_min_months: draft.childMinMonths,
      child_max_months: draft.childMaxMonths,
      who_can_attend: draft.whoCanAttend,
      how_to_access: draft.howToAccess,
      is_free: draft.isFree,
      alert: null,
      assured_date: isoDate(assured),
      assurer_email: 'directory@northmoor.example',
      archived_at: workflow === 'archived' ? assured : null,
      created_at: new Date(assured.getTime() - 30 * 86_400_000),
      updated_at: assured,
    })
    versionRows.push({
      service_id: serviceId,
      version: 1,
      kind: 'created',
      snapshot: JSON.stringify(draft),
      changed_fields: [],
      note: 'Demo directory',
      created_at: assured,
    })
    for (const code of template.startForLife) {
      termRows.push({
        id: id('term', serviceId, code),
        service_id: serviceId,
        term_id: termFor(Taxonomies.startForLife, code),
      })
    }
    for (const code of template.dfe) {
      termRows.push({ id: id('dfe', serviceId, code), service_id: serviceId, term_id: termFor(Taxonomies.dfe, code) })
    }
    for (const code of template.delivery) {
      termRows.push({
        id: id('delivery', serviceId, code),
        service_id: serviceId,
        term_id: termFor(Taxonomies.delivery, code),
      })
    }
    if (template.cost) {
      costRows.push({
        id: id('cost', serviceId),
        service_id: serviceId,
        option: 'Standard',
        amount: template.cost.amount,
        amount_description: template.cost.description,
      })
    } else {
      costRows.push({ id: id('cost', serviceId), service_id: serviceId, option: 'Free', amount: 0 })
    }
    languageRows.push({ id: id('lang', serviceId, 'en'), service_id: serviceId, code: 'en', name: 'English' })
    if (random() < 0.2) {
      const language = pick(otherLanguages)
      languageRows.push({
        id: id('lang', serviceId, language.code),
        service_id: serviceId,
        code: language.code,
        name: language.name,
      })
    }
    const contactId = id('contact', serviceId)
    contactRows.push({
      id: contactId,
      service_id: serviceId,
      name: template.online ? 'Helpline team' : `${town} family hub team`,
      title: 'Service team',
    })
    phoneRows.push({
      id: id('phone', serviceId),
      service_id: serviceId,
      contact_id: contactId,
      number: `01632 960${String(Math.floor(random() * 1000)).padStart(3, '0')}`,
      description: 'Bookings and questions',
    })
    if (template.residentsOnly) {
      areaRows.push({
        id: id('area', serviceId),
        service_id: serviceId,
        name: `${county} residents`,
        la_code: options.laCode,
        extent_type: 'text',
        extent: `Families living in ${county}`,
      })
    }
    // Where it runs: the online offer, the hub only, or one to five venues near the network.
    let places: Venue[]
    if (template.online) {
      places = network.filter(venue => venue.online)
    } else if (template.confidentialVenue) {
      // A refuge of its own, in no family hub network: its address is never published.
      const refuge: Venue = {
        id: id('venue', 'refuge', i),
        point: near(network[0]?.point ?? pick(points), 10),
        networkId: null,
        role: null,
        online: false,
        confidential: true,
      }
      addVenue(refuge, `${town} women’s refuge`, town, 1, 'Refuge accommodation: the address is confidential.')
      places = [refuge]
    } else if (template.hubOnly) {
      places = network.filter(venue => venue.role === 'hub')
    } else {
      const wanted = serviceCount > 1000 ? 1 + Math.floor(random() * 5) : 1 + Math.floor(random() * 3)
      const pool = [...network.filter(venue => !venue.online), ...(othersByNetwork[networkIndex] ?? [])]
      places = []
      for (let attempt = 0; attempt < wanted * 3 && places.length < wanted && pool.length; attempt++) {
        const venue = pool[Math.floor(random() * Math.min(pool.length, 40 + attempt))] ?? pool[0]
        if (venue && !places.includes(venue)) {
          places.push(venue)
        }
      }
    }
    for (const venue of places) {
      const salId = id('sal', serviceId, venue.id)
      salRows.push({ id: salId, service_id: serviceId, location_id: venue.id })
      for (const [k, session] of template.sessions.entries()) {
        const dayOffset = places.length > 1 ? places.indexOf(venue) % 2 : 0
        const days = dayOffset && !session.monthly && session.days.length === 2 ? shiftDay(session.days) : session.days
        const base = {
          service_id: serviceId,
          service_at_location_id: salId,
          kind: 'regular' as const,
          freq: session.monthly ? ('MONTHLY' as const) : ('WEEKLY' as const),
          interval: 1,
          byday: days,
          day_mask: dayMaskOf(days),
          term_time_only: session.termTime ?? false,
          valid_from: isoDate(new Date(today.getTime() - 200 * 86_400_000)),
        }
        scheduleRows.push({ ...base, id: id('schedule', salId, k), opens_at: session.opens, closes_at: session.closes })
        if (session.split) {
          scheduleRows.push({
            ...base,
            id: id('schedule', salId, k, 'split'),
            opens_at: session.split.opens,
            closes_at: session.split.closes,
          })
        }
      }
      if (template.event) {
        const date = isoDate(new Date(today.getTime() + (14 + Math.floor(random() * 50)) * 86_400_000))
        scheduleRows.push({
          id: id('event', salId),
          service_id: serviceId,
          service_at_location_id: salId,
          kind: 'event',
          dtstart: date,
          day_mask: dayMaskOfDate(date),
          opens_at: template.event.opens,
          closes_at: template.event.closes,
          description: template.event.description,
        })
      }
    }
    if (template.sessions.length && !template.online && random() < 0.5) {
      scheduleRows.push({
        id: id('closure', serviceId),
        service_id: serviceId,
        kind: 'closure',
        valid_from: `${String(christmas)}-12-22`,
        valid_to: `${String(christmas + 1)}-01-02`,
        description: 'Christmas and New Year',
      })
    }
  }

  // School terms of the demo county (2026/27), behind the "term time only" sessions. Kept if already there.
  const existingTerms = await listTermStarts(db, options.laCode)
  const termDateRows = demoTermDates
    .filter(term => !existingTerms.includes(term.startsOn))
    .map(term => ({ la_code: options.laCode, name: term.name, starts_on: term.startsOn, ends_on: term.endsOn }))

  await db.transaction().execute(async trx => {
    await insertBatched(trx, 'directory_term_dates', termDateRows, 4)
    await insertBatched(trx, 'directory_organisations', orgRows, 8)
    await insertBatched(trx, 'directory_organisation_identifiers', identifierRows, 5)
    await insertBatched(trx, 'directory_networks', networkRows, 6)
    await insertBatched(trx, 'directory_locations', locationRows, 16)
    await insertBatched(trx, 'directory_location_accessibility', accessibilityRows, 3)
    await insertBatched(trx, 'directory_services', serviceRows, 26)
    await insertBatched(trx, 'directory_service_at_locations', salRows, 3)
    await insertBatched(trx, 'directory_schedules', scheduleRows, 16)
    await insertBatched(trx, 'directory_cost_options', costRows, 5)
    await insertBatched(trx, 'directory_service_languages', languageRows, 4)
    await insertBatched(trx, 'directory_service_terms', termRows, 3)
    await insertBatched(trx, 'directory_contacts', contactRows, 4)
    await insertBatched(trx, 'directory_phones', phoneRows, 5)
    await insertBatched(trx, 'directory_service_areas', areaRows, 6)
    await insertBatched(trx, 'directory_service_versions', versionRows, 7)
  })
  return {
    networks: networkRows.length,
    locations: locationRows.length,
    services: serviceRows.length,
    serviceAtLocations: salRows.length,
    seconds: (performance.now() - started) / 1000,
  }
}

/** The demo county's school terms for 2026/27, one row per half term. */
export const demoTermDates = [
  { name: 'Autumn 1 2026', startsOn: '2026-09-02', endsOn: '2026-10-23' },
  { name: 'Autumn 2 2026', startsOn: '2026-11-02', endsOn: '2026-12-18' },
  { name: 'Spring 1 2027', startsOn: '2027-01-05', endsOn: '2027-02-12' },
  { name: 'Spring 2 2027', startsOn: '2027-02-22', endsOn: '2027-03-26' },
  { name: 'Summer 1 2027', startsOn: '2027-04-12', endsOn: '2027-05-28' },
  { name: 'Summer 2 2027', startsOn: '2027-06-07', endsOn: '2027-07-21' },
] as const

/** 'TU,FR' → 'WE,SA' style shift by one day, so that a service's venues do not all meet on the same day. */
function shiftDay(days: string): string {
  const codes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']
  return days
    .split(',')
    .map(day => codes[(codes.indexOf(day) + 1) % 7] ?? day)
    .join(',')
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

function organisationDescription(kind: string, name: string): string {
  switch (kind) {
    case 'local_authority':
      return `${name} runs the family hubs and the Family Information Service.`
    case 'nhs_trust':
      return `${name} provides midwifery, health visiting and other NHS services for families.`
    case 'voluntary_organisation':
      return `${name} is a local charity supporting families with young children.`
    case 'school_nursery':
      return `${name} offers early education and childcare.`
    default:
      return `${name} provides services for families.`
  }
}
