import type { ColumnType, Generated } from 'kysely'

/** Kysely types for the service directory's tables (migrations/0005_create-service-directory.sql). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
/** `date` columns: 'YYYY-MM-DD' strings both ways (the DATE type parser keeps them as text). */
type DateString = string
/** `numeric` columns come back as numbers (see src/db/database.ts) and are written as numbers or strings. */
type Numeric = ColumnType<number, number | string, number | string>

export type WorkflowStatus = 'draft' | 'awaiting_approval' | 'published' | 'archived'
export type OperatingStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed'
export type SiteRole = 'hub' | 'spoke' | 'outreach' | 'online'
export type LocationType = 'physical' | 'postal' | 'virtual'
export type ScheduleKind = 'regular' | 'event' | 'closure'
export type VersionKind =
  | 'created'
  | 'edited'
  | 'proposed'
  | 'approved'
  | 'rejected'
  | 'submitted'
  | 'published'
  | 'archived'
  | 'restored'
  | 'assured'
  | 'imported'

export interface DirectoryTables {
  directory_state: { id: Generated<boolean>; generation: Generated<number>; changed_at: Timestamp }
  directory_organisations: {
    id: Generated<string>
    organisation_id: string | null
    name: string
    description: string
    email: string | null
    website: string | null
    logo: string | null
    uri: string | null
    parent_id: string | null
    source: Generated<string>
    created_at: Timestamp
    updated_at: Timestamp
  }
  directory_organisation_identifiers: {
    id: Generated<string>
    directory_organisation_id: string
    identifier_scheme: string | null
    identifier_type: string
    identifier: string
  }
  directory_networks: {
    id: Generated<string>
    slug: string
    name: string
    description: Generated<string>
    la_code: string
    directory_organisation_id: string | null
    created_at: Timestamp
    updated_at: Timestamp
  }
  directory_locations: {
    id: Generated<string>
    directory_organisation_id: string | null
    network_id: string | null
    site_role: SiteRole | null
    location_type: Generated<LocationType>
    name: string
    description: string | null
    address_1: string | null
    address_2: string | null
    city: string | null
    state_province: string | null
    postal_code: string | null
    country: Generated<string>
    latitude: number | null
    longitude: number | null
    la_code: string | null
    url: string | null
    external_identifier: string | null
    external_identifier_type: string | null
    source: Generated<string>
    /** Migration 0008: the address is never published (a refuge). */
    confidential: Generated<boolean>
    /** Migration 0009 (generated): the position searches measure from, coarse for a confidential venue. */
    search_latitude: ColumnType<number | null, never, never>
    search_longitude: ColumnType<number | null, never, never>
    created_at: Timestamp
    updated_at: Timestamp
  }
  directory_location_accessibility: {
    id: Generated<string>
    location_id: string
    feature: string
    description: string | null
    details: string | null
    url: string | null
  }
  directory_services: {
    id: Generated<string>
    directory_organisation_id: string
    name: string
    summary: string | null
    description: Generated<string>
    url: string | null
    email: string | null
    workflow_status: Generated<WorkflowStatus>
    operating_status: Generated<OperatingStatus>
    for_pregnancy: Generated<boolean>
    pregnancy_from_week: number | null
    pregnancy_to_week: number | null
    for_children: Generated<boolean>
    child_min_months: number | null
    child_max_months: number | null
    who_can_attend: string | null
    how_to_access: string | null
    is_free: Generated<boolean>
    fees_description: string | null
    accreditations: string | null
    alert: string | null
    assured_date: DateString | null
    assurer_email: string | null
    pending_version_id: number | null
    archived_at: NullableTimestamp
    source: Generated<string>
    created_at: Timestamp
    updated_at: Timestamp
    search_vector: ColumnType<string, never, never>
  }
  directory_service_at_locations: {
    id: Generated<string>
    service_id: string
    location_id: string
    description: string | null
  }
  directory_schedules: {
    id: Generated<string>
    service_id: string
    service_at_location_id: string | null
    kind: Generated<ScheduleKind>
    freq: 'WEEKLY' | 'MONTHLY' | null
    interval: number | null
    byday: string | null
    bymonthday: string | null
    day_mask: Generated<number>
    /** 'HH:MM:SS' */
    opens_at: string | null
    closes_at: string | null
    dtstart: DateString | null
    valid_from: DateString | null
    valid_to: DateString | null
    term_time_only: Generated<boolean>
    description: string | null
    notes: string | null
    attending_type: string | null
    schedule_link: string | null
  }
  directory_cost_options: {
    id: Generated<string>
    service_id: string
    option: string | null
    amount: Numeric | null
    amount_description: string | null
    valid_from: DateString | null
    valid_to: DateString | null
  }
  directory_service_languages: {
    id: Generated<string>
    service_id: string
    code: string
    name: string
    note: string | null
  }
  directory_contacts: {
    id: Generated<string>
    service_id: string
    name: string | null
    title: string | null
    email: string | null
  }
  directory_phones: {
    id: Generated<string>
    service_id: string
    contact_id: string | null
    number: string
    description: string | null
    kind: Generated<'voice' | 'text' | 'textphone'>
  }
  directory_service_areas: {
    id: Generated<string>
    service_id: string
    name: string | null
    la_code: string | null
    extent: string | null
    extent_type: string | null
    uri: string | null
  }
  directory_funding: { id: Generated<string>; service_id: string; source: string }
  directory_taxonomies: {
    id: Generated<string>
    code: string
    name: string
    description: string
    uri: string | null
    version: string | null
    source: Generated<string>
  }
  directory_taxonomy_terms: {
    id: Generated<string>
    taxonomy_id: string
    code: string
    name: string
    description: string
    parent_id: string | null
    term_uri: string | null
    sort_order: Generated<number>
  }
  directory_service_terms: { id: Generated<string>; service_id: string; term_id: string }
  directory_service_versions: {
    id: Generated<number>
    service_id: string
    version: number
    kind: VersionKind
    snapshot: ColumnType<Record<string, unknown>, string, string>
    changed_fields: ColumnType<string[], string[] | undefined, string[]>
    note: string | null
    user_id: string | null
    created_at: Timestamp
  }
  /** Migration 0008: school terms of a local authority ("term time only" sessions run within them). */
  directory_term_dates: {
    id: Generated<string>
    la_code: string
    name: string
    starts_on: DateString
    ends_on: DateString
    created_at: Timestamp
    updated_at: Timestamp
  }
  /** Migration 0008: review reminders queued to a service's managers. */
  directory_review_reminders: {
    id: Generated<number>
    service_id: string
    assured_date: DateString | null
    recipients: number
    sent_at: Timestamp
  }
}
