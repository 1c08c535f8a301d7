import type { LocationType, OperatingStatus, ScheduleKind, SiteRole, WorkflowStatus } from './directory-tables.js'
import type { SchoolTerm } from './term-dates-store.js'

/**
 * A directory service as the pages, the APIs and the exports read it: the service with its organisation, venues,
 * times, terms and contacts. service-records-store.ts loads them.
 */

export interface OrganisationRecord {
  id: string
  organisationId: string | null
  name: string
  description: string
  email: string | null
  website: string | null
  logo: string | null
  uri: string | null
  parentId: string | null
  identifiers: { id: string; scheme: string | null; type: string; identifier: string }[]
}

export interface AccessibilityRecord {
  id: string
  feature: string
  description: string | null
  details: string | null
  url: string | null
}

export interface LocationRecord {
  id: string
  name: string
  description: string | null
  locationType: LocationType
  address1: string | null
  address2: string | null
  city: string | null
  stateProvince: string | null
  postalCode: string | null
  country: string
  latitude: number | null
  longitude: number | null
  laCode: string | null
  url: string | null
  externalIdentifier: string | null
  externalIdentifierType: string | null
  network: { id: string; name: string; slug: string } | null
  siteRole: SiteRole | null
  /** The address must never be published (a refuge): see migration 0008. */
  confidential: boolean
  accessibility: AccessibilityRecord[]
}

export interface ScheduleRecord {
  id: string
  serviceAtLocationId: string | null
  kind: ScheduleKind
  freq: 'WEEKLY' | 'MONTHLY' | null
  interval: number | null
  byday: string | null
  bymonthday: string | null
  dayMask: number
  /** 'HH:MM' */
  opensAt: string | null
  closesAt: string | null
  dtstart: string | null
  validFrom: string | null
  validTo: string | null
  termTimeOnly: boolean
  description: string | null
  notes: string | null
  attendingType: string | null
  scheduleLink: string | null
}

export interface TermRecord {
  /** The attribute id (directory_service_terms.id). */
  attributeId: string
  id: string
  taxonomyId: string
  taxonomyCode: string
  taxonomyName: string
  code: string
  name: string
  description: string
  parentId: string | null
  termUri: string | null
}

export interface ServiceAtLocationRecord {
  id: string
  description: string | null
  location: LocationRecord
}

export interface ServiceRecord {
  id: string
  organisation: OrganisationRecord
  name: string
  summary: string | null
  description: string
  url: string | null
  email: string | null
  workflowStatus: WorkflowStatus
  operatingStatus: OperatingStatus
  forPregnancy: boolean
  pregnancyFromWeek: number | null
  pregnancyToWeek: number | null
  forChildren: boolean
  childMinMonths: number | null
  childMaxMonths: number | null
  whoCanAttend: string | null
  howToAccess: string | null
  isFree: boolean
  feesDescription: string | null
  accreditations: string | null
  alert: string | null
  assuredDate: string | null
  assurerEmail: string | null
  pendingVersionId: number | null
  archivedAt: Date | null
  source: string
  createdAt: Date
  updatedAt: Date
  terms: TermRecord[]
  schedules: ScheduleRecord[]
  costOptions: {
    id: string
    option: string | null
    amount: number | null
    amountDescription: string | null
    validFrom: string | null
    validTo: string | null
  }[]
  languages: { id: string; code: string; name: string; note: string | null }[]
  contacts: { id: string; name: string | null; title: string | null; email: string | null; phones: PhoneRecord[] }[]
  phones: PhoneRecord[]
  serviceAreas: {
    id: string
    name: string | null
    laCode: string | null
    extent: string | null
    extentType: string | null
    uri: string | null
  }[]
  funding: { id: string; source: string }[]
  locations: ServiceAtLocationRecord[]
  /** School terms by the area code (la_code) of each venue that has any: "term time only" sessions follow them. */
  schoolTerms: Record<string, SchoolTerm[]>
}

export interface PhoneRecord {
  id: string
  contactId: string | null
  number: string
  description: string | null
  kind: 'voice' | 'text' | 'textphone'
}

export interface FlatServiceRecord {
  id: string
  organisation: OrganisationRecord
  name: string
  summary: string | null
  description: string
  url: string | null
  email: string | null
  operatingStatus: OperatingStatus
  feesDescription: string | null
  accreditations: string | null
  assuredDate: string | null
  assurerEmail: string | null
  alert: string | null
  updatedAt: Date
  forChildren: boolean
  childMinMonths: number | null
  childMaxMonths: number | null
}

export interface FlatServiceAtLocation {
  id: string
  service: FlatServiceRecord
  location: Pick<
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
}
