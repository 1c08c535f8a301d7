import { todayInEngland } from '../../platform/dates.js'
/** View models: what the directory's templates show, already worded for parents. */
import {
  formatClosedUntil,
  formatCost,
  formatDistance,
  formatEligibility,
  formatSession,
  listJoin,
  stages,
  stagesOf,
  type Stage,
} from './directory-format.js'
import { haversineMetres, type Origin } from './postcodes.js'
import type { LocationRecord, ScheduleRecord, ServiceRecord } from './service-records.js'
import { Taxonomies, type TaxonomyIndex } from './taxonomy.js'

const siteRoleNames: Record<string, string> = {
  hub: 'Family hub',
  spoke: 'Family hub spoke',
  outreach: 'Outreach venue',
  online: 'Online and telephone',
}

/**
 * A confidential venue (a refuge) is never placed: no name, address, postcode, coordinates or distance is shown to
 * anyone outside the service, and it sorts after every other venue (docs/adr/0010-confidential-venues.md).
 */
export const confidentialVenue = {
  name: 'Confidential venue',
  address: 'The address is given when you contact the service.',
} as const

/** The venue's address lines; none for a confidential venue. */
export function addressLines(
  location: Pick<LocationRecord, 'address1' | 'address2' | 'city' | 'postalCode'> & { confidential?: boolean },
): string[] {
  if (location.confidential) {
    return []
  }
  return [location.address1, location.address2, location.city, location.postalCode].filter((line): line is string =>
    Boolean(line),
  )
}

/** The name families see: "Confidential venue" for a refuge. */
export function venueName(location: Pick<LocationRecord, 'name' | 'confidential'>): string {
  return location.confidential ? confidentialVenue.name : location.name
}

/** Metres from the origin, or Infinity without an origin or coordinates, or for a confidential venue. */
function metresTo(origin: Origin | undefined, location: LocationRecord): number {
  return origin && !location.confidential && location.latitude !== null && location.longitude !== null
    ? haversineMetres(origin, { latitude: location.latitude, longitude: location.longitude })
    : Infinity
}

export interface VenueView {
  id: string
  name: string
  address: string[]
  /** A refuge: families are told the address is given when they contact the service. */
  confidential: boolean
  online: boolean
  url: string | null
  distance: string
  network: { name: string; slug: string } | null
  siteRole: string | null
  sessions: string[]
  accessibility: string[]
}

function sessionsAt(service: ServiceRecord, salId: string): ScheduleRecord[] {
  return service.schedules.filter(
    schedule =>
      (schedule.serviceAtLocationId === salId || schedule.serviceAtLocationId === null) && schedule.kind !== 'closure',
  )
}

function upcoming(schedule: ScheduleRecord, today: string): boolean {
  if (schedule.kind === 'event') {
    return (schedule.dtstart ?? '') >= today
  }
  return !schedule.validTo || schedule.validTo >= today
}

export function venueView(
  service: ServiceRecord,
  salId: string,
  location: LocationRecord,
  origin: Origin | undefined,
  index: TaxonomyIndex,
): VenueView {
  const today = todayInEngland()
  const distance = metresTo(origin, location)
  return {
    id: location.id,
    name: venueName(location),
    address: addressLines(location),
    confidential: location.confidential,
    online: location.locationType === 'virtual',
    url: location.url,
    distance: Number.isFinite(distance) ? `${formatDistance(distance)} away` : '',
    // Not for a confidential venue: a network's name places it in a district.
    network:
      location.network && !location.confidential ? { name: location.network.name, slug: location.network.slug } : null,
    siteRole: location.siteRole ? (siteRoleNames[location.siteRole] ?? null) : null,
    sessions: sessionsAt(service, salId)
      .filter(schedule => upcoming(schedule, today))
      .map(schedule => formatSession(schedule, { today, terms: service.schoolTerms[location.laCode ?? ''] ?? [] })),
    accessibility: location.accessibility.map(
      item => item.description ?? index.term(Taxonomies.accessibility, item.feature)?.name ?? item.feature,
    ),
  }
}

export interface ServiceCard {
  id: string
  name: string
  organisation: string
  summary: string
  eligibility: string
  cost: string
  delivery: string
  categories: string[]
  where: string
  distance: string
  when: string[]
  temporarilyClosed: boolean
  alert: string | null
}

function deliveryText(service: ServiceRecord): string {
  const names = service.terms
    .filter(term => term.taxonomyCode === Taxonomies.delivery)
    .map(term => term.name.toLowerCase())
  if (!names.length) {
    return ''
  }
  const text = listJoin(names, 'or')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** 'Closed until 2 January 2027 (Christmas)' while a closure is on today, else null. */
export function closedUntil(service: ServiceRecord, today: string): string | null {
  const current = service.schedules
    .filter(
      schedule =>
        schedule.kind === 'closure' && (schedule.validFrom ?? '') <= today && today <= (schedule.validTo ?? ''),
    )
    .sort((a, b) => ((a.validTo ?? '') < (b.validTo ?? '') ? 1 : -1))[0]
  return current ? formatClosedUntil(current) : null
}

function categoryNames(service: ServiceRecord): string[] {
  return service.terms.filter(term => term.taxonomyCode === Taxonomies.startForLife).map(term => term.name)
}

/** A search result: the service at its nearest venue to the searcher. */
export function serviceCard(service: ServiceRecord, origin: Origin | undefined, index: TaxonomyIndex): ServiceCard {
  const venues = service.locations.map(sal => venueView(service, sal.id, sal.location, origin, index))
  const withDistance = service.locations
    .map((sal, i) => ({
      sal,
      venue: venues[i],
      metres: metresTo(origin, sal.location),
    }))
    // Confidential venues last, whatever the distance, so that the order says nothing about where they are.
    .sort((a, b) => Number(a.sal.location.confidential) - Number(b.sal.location.confidential) || a.metres - b.metres)
  const nearest = withDistance[0]
  const physical = withDistance.filter(item => item.sal.location.locationType !== 'virtual')
  const where = nearest?.venue
    ? nearest.venue.online
      ? 'Online or by phone'
      : (nearest.venue.confidential
          ? `${confidentialVenue.name}. ${confidentialVenue.address}`
          : [nearest.venue.name, nearest.sal.location.city].filter(Boolean).join(', ')) +
        (physical.length > 1
          ? ` (and ${String(physical.length - 1)} more ${physical.length - 1 === 1 ? 'place' : 'places'})`
          : '')
    : 'Online, by phone or at home'
  return {
    id: service.id,
    name: service.name,
    organisation: service.organisation.name,
    summary: service.summary ?? service.description.slice(0, 200),
    eligibility: formatEligibility(service),
    cost: formatCost(service),
    delivery: deliveryText(service),
    categories: categoryNames(service),
    where,
    distance: nearest && Number.isFinite(nearest.metres) ? formatDistance(nearest.metres) : '',
    when: [
      ...[closedUntil(service, todayInEngland())].filter(text => text !== null),
      ...(nearest?.venue?.sessions ?? []),
    ].slice(0, 2),
    temporarilyClosed: service.operatingStatus === 'temporarily closed',
    alert: service.alert,
  }
}

export interface ServicePage extends ServiceCard {
  description: string[]
  whoCanAttend: string | null
  howToAccess: string | null
  venues: VenueView[]
  closures: string[]
  /** While a closure is on: 'Closed until …'. */
  closedUntil: string | null
  languages: string[]
  phones: { number: string; tel: string; description: string | null }[]
  email: string | null
  url: string | null
  assured: string | null
  costDetails: string[]
  serviceAreas: string[]
}

export function servicePage(service: ServiceRecord, origin: Origin | undefined, index: TaxonomyIndex): ServicePage {
  const card = serviceCard(service, origin, index)
  const venues = service.locations
    .map(sal => venueView(service, sal.id, sal.location, origin, index))
    .map((venue, i) => {
      const location = service.locations[i]?.location
      const metres =
        origin && location && !location.confidential
          ? haversineMetres(origin, { latitude: location.latitude ?? 90, longitude: location.longitude ?? 0 })
          : i
      // Confidential venues last, whatever the distance.
      return { venue, metres: location?.confidential ? Number.MAX_SAFE_INTEGER + i : metres }
    })
    .sort((a, b) => a.metres - b.metres)
    .map(item => item.venue)
  const today = todayInEngland()
  const phones = [...service.phones, ...service.contacts.flatMap(contact => contact.phones)]
  return {
    ...card,
    description: service.description.split(/\n{2,}/).filter(Boolean),
    whoCanAttend: service.whoCanAttend,
    howToAccess: service.howToAccess,
    venues,
    closures: service.schedules
      .filter(schedule => schedule.kind === 'closure' && (schedule.validTo ?? '') >= today)
      .map(schedule => formatSession(schedule)),
    closedUntil: closedUntil(service, today),
    languages: service.languages.map(language => language.name),
    phones: phones.map(phone => ({
      number: phone.number,
      tel: phone.number.replace(/[^+\d]/g, ''),
      description: phone.description,
    })),
    email: service.email,
    url: service.url,
    assured: service.assuredDate,
    costDetails: service.costOptions
      .filter(cost => cost.amount !== null && cost.amount > 0)
      .map(cost =>
        [
          cost.option && cost.option !== 'Standard' ? `${cost.option}:` : '',
          `£${(cost.amount ?? 0).toFixed(2).replace(/\.00$/, '')}`,
          cost.amountDescription,
        ]
          .filter(Boolean)
          .join(' '),
      ),
    serviceAreas: service.serviceAreas.map(area => area.name ?? area.laCode ?? '').filter(Boolean),
  }
}

export interface OfferGroup {
  stage: Stage
  services: OfferItem[]
}

export interface OfferItem {
  id: string
  name: string
  summary: string
  categories: string
  where: string
  when: string
  cost: string
  howToAccess: string | null
  phone: string | null
}

/**
 * The Start for Life offer: services grouped the way parents think (pregnancy, after birth, first year, toddlers,
 * pre-school, any stage), each with where and when in plain words. Venues outside `networkId` are left out of
 * "where" when a network is given.
 */
export function offerGroups(services: ServiceRecord[], index: TaxonomyIndex, networkId?: string): OfferGroup[] {
  const groups = new Map<Stage['code'], OfferItem[]>()
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name))
  for (const service of sorted) {
    const locations = service.locations.filter(sal => !networkId || sal.location.network?.id === networkId)
    const places = [
      ...new Set(
        locations.map(sal =>
          sal.location.locationType === 'virtual'
            ? 'online or by phone'
            : sal.location.confidential
              ? `a confidential venue (${confidentialVenue.address.replace(/^T/, 't').replace(/\.$/, '')})`
              : sal.location.name,
        ),
      ),
    ]
    const firstSession = locations
      .flatMap(sal => venueView(service, sal.id, sal.location, undefined, index).sessions)
      .find(Boolean)
    const phone = [...service.phones, ...service.contacts.flatMap(contact => contact.phones)][0]
    const item: OfferItem = {
      id: service.id,
      name: service.name,
      summary: service.summary ?? '',
      categories: categoryNames(service).join(', '),
      where:
        places.length > 3
          ? `${places.slice(0, 3).join(', ')} and ${String(places.length - 3)} more`
          : listJoin(places) || 'Online, by phone or at home',
      when: firstSession ?? '',
      cost: formatCost(service),
      howToAccess: service.howToAccess,
      phone: phone?.number ?? null,
    }
    for (const code of stagesOf(service)) {
      groups.set(code, [...(groups.get(code) ?? []), item])
    }
  }
  return stages
    .map(stage => ({ stage, services: groups.get(stage.code) ?? [] }))
    .filter(group => group.services.length > 0)
}
