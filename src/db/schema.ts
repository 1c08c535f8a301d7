import type { ColumnType, Generated } from 'kysely'

/** Kysely's view of the tables created by migrations/*.sql. Keep in step with the migrations. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
export type Json = ColumnType<Record<string, unknown>, string | undefined, string>

import type { DirectoryTables } from '../features/service-directory/directory-tables.js'
import type { FamilyTables } from '../features/families/family-tables.js'
import type { ChildHealthTables } from '../features/child-health/child-health-tables.js'

/** Kysely's view of every table: the platform's below, each feature's in its own `*-tables.ts`. */
export interface Database extends PlatformTables, DirectoryTables, FamilyTables, ChildHealthTables {}

export interface PlatformTables {
  schema_migrations: { version: string; name: string; checksum: string; applied_at: Generated<Date> }
  organisations: {
    id: Generated<string>
    name: string
    kind: string
    la_code: string
    ods_code: string | null
    created_at: Timestamp
    disabled_at: NullableTimestamp
  }
  teams: { id: Generated<string>; organisation_id: string; name: string; created_at: Timestamp }
  roles: { code: string; name: string; description: string; staff: boolean }
  role_permissions: { role_code: string; permission: string }
  users: {
    id: Generated<string>
    kind: 'staff' | 'parent'
    email: string
    display_name: string
    role_code: string
    profession: string | null
    organisation_id: string | null
    team_id: string | null
    password_hash: string | null
    mfa_secret_encrypted: string | null
    mfa_enabled_at: NullableTimestamp
    mfa_last_step: Generated<number>
    failed_sign_ins: Generated<number>
    locked_until: NullableTimestamp
    disabled_at: NullableTimestamp
    demo: Generated<boolean>
    la_code: string
    created_at: Timestamp
    last_signed_in_at: NullableTimestamp
    person_id: string | null
  }
  recovery_codes: {
    id: Generated<string>
    user_id: string
    code_hash: string
    used_at: NullableTimestamp
    created_at: Timestamp
  }
  sessions: {
    id_hash: string
    user_id: string
    stage: 'mfa_setup' | 'mfa_verify' | 'active'
    created_at: Timestamp
    last_seen_at: Timestamp
    expires_at: Timestamp
    revoked_at: NullableTimestamp
    ip: string | null
    user_agent: string | null
  }
  account_tokens: {
    id: Generated<string>
    user_id: string
    purpose: 'invitation' | 'password_reset'
    token_hash: string
    expires_at: Timestamp
    used_at: NullableTimestamp
    created_at: Timestamp
  }
  audit_events: {
    id: Generated<number>
    occurred_at: Timestamp
    user_id: string | null
    role_code: string | null
    organisation_id: string | null
    action: string
    subject_type: string | null
    subject_id: string | null
    purpose: string | null
    outcome: 'allowed' | 'denied' | 'error'
    reason: string | null
    request_id: string | null
    ip: string | null
    user_agent: string | null
    details: Json
  }
  outbox_messages: {
    id: Generated<string>
    channel: 'email' | 'sms'
    template: string
    recipient: string
    personalisation: Json
    status: Generated<'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'unknown'>
    attempts: Generated<number>
    next_attempt_at: Timestamp
    lease_until: NullableTimestamp
    last_error: string | null
    provider_id: string | null
    created_at: Timestamp
    sent_at: NullableTimestamp
  }
  districts: { code: string; name: string; la_code: string }
  small_areas: {
    code: string
    name: string
    district_code: string
    la_code: string
    imd_decile: number
    latitude: number
    longitude: number
  }
  postcodes: { postcode: string; latitude: number; longitude: number; lsoa_code: string | null; la_code: string | null }
  families: {
    id: Generated<string>
    la_code: string
    small_area_code: string | null
    address_line: string | null
    postcode: string | null
    created_at: Timestamp
  }
  people: {
    id: Generated<string>
    la_code: string
    given_name: string
    family_name: string
    date_of_birth: string | null
    sex: 'female' | 'male' | null
    nhs_number: string | null
    ethnicity: string | null
    free_school_meals: Generated<boolean>
    send: Generated<boolean>
    created_at: Timestamp
  }
  family_members: { family_id: string; person_id: string; relationship: string; parental_responsibility: boolean }
  family_link_codes: {
    id: Generated<string>
    family_id: string
    person_id: string
    code_hash: string
    created_by: string
    expires_at: Timestamp
    used_at: NullableTimestamp
    used_by: string | null
    created_at: Timestamp
  }
  care_relationships: {
    id: Generated<string>
    family_id: string
    holder_user_id: string | null
    holder_team_id: string | null
    kind: string
    basis: string
    starts_at: Timestamp
    expires_at: NullableTimestamp
    ended_at: NullableTimestamp
    la_code: string
  }
  eyfsp_results: { person_id: string; academic_year: string; good_level_of_development: boolean; la_code: string }
}
