import type { ColumnType, Generated } from 'kysely'

/** Kysely types for this feature's tables (migrations/0010_create-child-health-record.sql). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** numeric comes back as a number (src/db/database.ts type parser); written as a number or a decimal string. */
type Numeric = ColumnType<number, number | string, number | string>

export type RecordedMeasurementMethod = 'weight' | 'height' | 'ofc'
export type MeasurementUnit = 'kg' | 'cm'
export type MeasurementSource = 'practitioner' | 'parent'

export interface ChildHealthTables {
  child_birth_details: {
    person_id: string
    birth_date: string
    /** 'HH:MM:SS', local time */
    birth_time: string | null
    gestation_weeks: number
    gestation_days: Generated<number>
    birth_weight_grams: number | null
    birth_order: Generated<number>
    la_code: string
    recorded_by: string | null
    created_at: Timestamp
  }
  growth_measurements: {
    id: Generated<string>
    person_id: string
    observation_date: string
    measurement_method: RecordedMeasurementMethod
    unit: MeasurementUnit
    value: Numeric
    measured_by_user_id: string | null
    measured_by_role: string | null
    source: MeasurementSource
    place: string | null
    recorded_at: Timestamp
    superseded_by: string | null
    corrected_from: string | null
    correction_reason: string | null
    la_code: string
  }
  red_book_notes: {
    id: Generated<string>
    person_id: string
    author_user_id: string
    text: string
    created_at: Timestamp
    la_code: string
  }
}
