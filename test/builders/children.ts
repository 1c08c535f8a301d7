import type { DbOrTx } from '../../src/db/database.js'
import type { RecordedMeasurementMethod } from '../../src/features/child-health/child-health-tables.js'
import { testConfig } from '../helpers/test-app.js'
import { aFamily, type TestFamily, type TestPerson } from './families.js'

/** YYYY-MM-DD, `days` days before today (UTC). */
export function daysAgo(days: number, from = new Date()): string {
  return new Date(from.getTime() - days * 86_400_000).toISOString().slice(0, 10)
}

export interface TestChildOptions {
  givenName?: string
  /** Default: 120 days ago. */
  dateOfBirth?: string
  sex?: 'female' | 'male' | null
  /** Birth details are recorded unless `birthDetails: false`. */
  birthDetails?: boolean
  gestationWeeks?: number
  gestationDays?: number
  birthWeightGrams?: number | null
  birthTime?: string | null
  nhsNumber?: string | null
  adults?: TestPerson[]
}

export interface TestChild {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string
  familyId: string
  family: TestFamily
  /** The first adult of the household (a mother with parental responsibility by default). */
  parentId: string
}

/**
 * A child in a new household (with a mother by default), with a sex and, unless told otherwise, birth details:
 * 40+0 weeks and 3.4 kg by default.
 */
export async function aChild(db: DbOrTx, options: TestChildOptions = {}): Promise<TestChild> {
  const dateOfBirth = options.dateOfBirth ?? daysAgo(120)
  const family = await aFamily(db, {
    children: [
      {
        dateOfBirth,
        ...(options.givenName ? { givenName: options.givenName } : {}),
        ...(options.nhsNumber !== undefined ? { nhsNumber: options.nhsNumber } : {}),
      },
    ],
    ...(options.adults ? { adults: options.adults } : {}),
  })
  const child = family.children[0]
  const parent = family.adults[0]
  if (!child || !parent) {
    throw new Error('aFamily made no child or no adult')
  }
  const sex = options.sex === undefined ? 'female' : options.sex
  await db.updateTable('people').set({ sex }).where('id', '=', child.id).execute()
  if (options.birthDetails !== false) {
    await db
      .insertInto('child_birth_details')
      .values({
        person_id: child.id,
        birth_date: dateOfBirth,
        birth_time: options.birthTime === undefined ? '08:40' : options.birthTime,
        gestation_weeks: options.gestationWeeks ?? 40,
        gestation_days: options.gestationDays ?? 0,
        birth_weight_grams: options.birthWeightGrams === undefined ? 3400 : options.birthWeightGrams,
        la_code: testConfig.authority.code,
      })
      .execute()
  }
  return {
    id: child.id,
    givenName: child.givenName,
    familyName: child.familyName,
    dateOfBirth,
    familyId: family.id,
    family,
    parentId: parent.id,
  }
}

/** A measurement of a child, as a practitioner would record it (value in kg or cm). Returns its id. */
export async function aMeasurement(
  db: DbOrTx,
  options: {
    childId: string
    observationDate: string
    method: RecordedMeasurementMethod
    value: number
    userId?: string | null
    role?: string | null
    place?: string | null
  },
): Promise<string> {
  const row = await db
    .insertInto('growth_measurements')
    .values({
      person_id: options.childId,
      observation_date: options.observationDate,
      measurement_method: options.method,
      unit: options.method === 'weight' ? 'kg' : 'cm',
      value: options.value,
      measured_by_user_id: options.userId ?? null,
      measured_by_role: options.role === undefined ? 'health_visitor' : options.role,
      source: 'practitioner',
      place: options.place === undefined ? 'Clinic' : options.place,
      la_code: testConfig.authority.code,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Links a parent account to their person record, as redeeming a link code does. */
export async function linkParentAccount(db: DbOrTx, userId: string, personId: string): Promise<void> {
  await db.updateTable('users').set({ person_id: personId }).where('id', '=', userId).execute()
}

/** Every row of a child's measurements, superseded ones included, oldest recorded first. */
export async function measurementsOf(db: DbOrTx, childId: string) {
  return db
    .selectFrom('growth_measurements')
    .selectAll()
    .where('person_id', '=', childId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute()
}

/** A child's birth details row and the person record's date of birth, sex and NHS number. */
export async function birthRecordOf(db: DbOrTx, childId: string) {
  const person = await db
    .selectFrom('people')
    .select(['date_of_birth', 'sex', 'nhs_number'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow()
  const birth = await db
    .selectFrom('child_birth_details')
    .selectAll()
    .where('person_id', '=', childId)
    .executeTakeFirst()
  return { person, birth }
}
