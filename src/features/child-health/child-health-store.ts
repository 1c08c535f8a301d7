import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { MeasurementSource, MeasurementUnit, RecordedMeasurementMethod } from './child-health-tables.js'

/**
 * SQL for the red book. Reads that show a child's record run inside the transaction withFamilyAccess opened (pass the
 * transaction): with PGlite's single connection, querying `db` while it is open would wait for ever.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return uuidPattern.test(value)
}

/**
 * The households the person belongs to as a child, to authorise access through. Households that also hold
 * `preferPersonId` (a parent opening their own child's book) come first; then oldest membership order by id.
 */
export async function listFamiliesOfChild(
  db: DbOrTx,
  childId: string,
  preferPersonId?: string | null,
): Promise<string[]> {
  const rows = await db
    .selectFrom('family_members as m')
    .select([
      'm.family_id',
      sql<boolean>`EXISTS (SELECT 1 FROM family_members p WHERE p.family_id = m.family_id AND p.person_id = ${preferPersonId ?? null}::uuid)`.as(
        'preferred',
      ),
    ])
    .where('m.person_id', '=', childId)
    .where('m.relationship', '=', 'child')
    .orderBy('preferred', 'desc')
    .orderBy('m.family_id')
    .execute()
  return rows.map(row => row.family_id)
}

/** The households a person (a parent's linked person record) belongs to. */
export async function listFamiliesOfMember(db: DbOrTx, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('family_members')
    .select('family_id')
    .where('person_id', '=', personId)
    .orderBy('family_id')
    .execute()
  return rows.map(row => row.family_id)
}

export interface ChildRow {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  sex: 'female' | 'male' | null
  nhsNumber: string | null
  laCode: string
}

export interface BirthDetailsRow {
  birthDate: string
  birthTime: string | null
  gestationWeeks: number
  gestationDays: number
  birthWeightGrams: number | null
  birthOrder: number
}

export interface MeasurementRow {
  id: string
  observationDate: string
  method: RecordedMeasurementMethod
  unit: MeasurementUnit
  value: number
  source: MeasurementSource
  measuredByUserId: string | null
  measuredByName: string | null
  measuredByRole: string | null
  organisationName: string | null
  place: string | null
  recordedAt: Date
  supersededBy: string | null
  correctedFrom: string | null
  correctionReason: string | null
}

export interface NoteRow {
  id: string
  text: string
  createdAt: Date
  authorName: string
  authorIsParent: boolean
}

export interface CarerRow {
  personId: string
  givenName: string
  familyName: string
  relationship: string
  parentalResponsibility: boolean
}

export interface RedBookRows {
  child: ChildRow
  birth: BirthDetailsRow | null
  measurements: MeasurementRow[]
  notes: NoteRow[]
  carers: CarerRow[]
}

/** The child (a `child` member of the family), or undefined. */
export async function findChildInFamily(db: DbOrTx, familyId: string, childId: string): Promise<ChildRow | undefined> {
  const row = await db
    .selectFrom('people as p')
    .innerJoin('family_members as m', 'm.person_id', 'p.id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.sex', 'p.nhs_number', 'p.la_code'])
    .where('m.family_id', '=', familyId)
    .where('m.person_id', '=', childId)
    .where('m.relationship', '=', 'child')
    .executeTakeFirst()
  return row
    ? {
        id: row.id,
        givenName: row.given_name,
        familyName: row.family_name,
        dateOfBirth: row.date_of_birth,
        sex: row.sex,
        nhsNumber: row.nhs_number,
        laCode: row.la_code,
      }
    : undefined
}

export async function findBirthDetails(db: DbOrTx, childId: string): Promise<BirthDetailsRow | null> {
  const row = await db.selectFrom('child_birth_details').selectAll().where('person_id', '=', childId).executeTakeFirst()
  return row
    ? {
        birthDate: row.birth_date,
        birthTime: row.birth_time,
        gestationWeeks: row.gestation_weeks,
        gestationDays: row.gestation_days,
        birthWeightGrams: row.birth_weight_grams,
        birthOrder: row.birth_order,
      }
    : null
}

/** Every measurement of the child, superseded ones included (the correction history), oldest first. */
export async function listMeasurements(db: DbOrTx, childId: string): Promise<MeasurementRow[]> {
  const rows = await db
    .selectFrom('growth_measurements as g')
    .leftJoin('users as u', 'u.id', 'g.measured_by_user_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'g.id',
      'g.observation_date',
      'g.measurement_method',
      'g.unit',
      'g.value',
      'g.source',
      'g.measured_by_user_id',
      'u.display_name',
      'g.measured_by_role',
      'o.name as organisation_name',
      'g.place',
      'g.recorded_at',
      'g.superseded_by',
      'g.corrected_from',
      'g.correction_reason',
    ])
    .where('g.person_id', '=', childId)
    .orderBy('g.observation_date')
    .orderBy('g.recorded_at')
    .orderBy('g.id')
    .execute()
  return rows.map(row => ({
    id: row.id,
    observationDate: row.observation_date,
    method: row.measurement_method,
    unit: row.unit,
    value: row.value,
    source: row.source,
    measuredByUserId: row.measured_by_user_id,
    measuredByName: row.display_name,
    measuredByRole: row.measured_by_role,
    organisationName: row.organisation_name,
    place: row.place,
    recordedAt: row.recorded_at,
    supersededBy: row.superseded_by,
    correctedFrom: row.corrected_from,
    correctionReason: row.correction_reason,
  }))
}

export async function listNotes(db: DbOrTx, childId: string): Promise<NoteRow[]> {
  const rows = await db
    .selectFrom('red_book_notes as n')
    .innerJoin('users as u', 'u.id', 'n.author_user_id')
    .select(['n.id', 'n.text', 'n.created_at', 'u.display_name', 'u.kind'])
    .where('n.person_id', '=', childId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id')
    .execute()
  return rows.map(row => ({
    id: row.id,
    text: row.text,
    createdAt: row.created_at,
    authorName: row.display_name,
    authorIsParent: row.kind === 'parent',
  }))
}

/** The adults of the household (parents, carers and others), with parental responsibility first. */
export async function listCarers(db: DbOrTx, familyId: string): Promise<CarerRow[]> {
  const rows = await db
    .selectFrom('family_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'm.relationship', 'm.parental_responsibility'])
    .where('m.family_id', '=', familyId)
    .where('m.relationship', 'not in', ['child', 'sibling'])
    .orderBy('m.parental_responsibility', 'desc')
    .orderBy('p.given_name')
    .execute()
  return rows.map(row => ({
    personId: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    relationship: row.relationship,
    parentalResponsibility: row.parental_responsibility,
  }))
}

/** Everything the red book page shows, read in the access transaction. Undefined if the child is not in the family. */
export async function loadRedBook(db: DbOrTx, familyId: string, childId: string): Promise<RedBookRows | undefined> {
  const child = await findChildInFamily(db, familyId, childId)
  if (!child) {
    return undefined
  }
  return {
    child,
    birth: await findBirthDetails(db, childId),
    measurements: await listMeasurements(db, childId),
    notes: await listNotes(db, childId),
    carers: await listCarers(db, familyId),
  }
}

export interface ChildSummaryRow {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
}

export async function listChildrenOfFamily(db: DbOrTx, familyId: string): Promise<ChildSummaryRow[]> {
  const rows = await db
    .selectFrom('family_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth'])
    .where('m.family_id', '=', familyId)
    .where('m.relationship', '=', 'child')
    .orderBy(sql`p.date_of_birth DESC NULLS LAST`)
    .orderBy('p.given_name')
    .execute()
  return rows.map(row => ({
    id: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
  }))
}

export interface NewMeasurement {
  id: string
  personId: string
  observationDate: string
  method: RecordedMeasurementMethod
  unit: MeasurementUnit
  value: number
  measuredByUserId: string
  measuredByRole: string | null
  source: MeasurementSource
  place: string | null
  laCode: string
  correctedFrom?: string
  correctionReason?: string
}

export async function insertMeasurement(db: DbOrTx, measurement: NewMeasurement): Promise<void> {
  await db
    .insertInto('growth_measurements')
    .values({
      id: measurement.id,
      person_id: measurement.personId,
      observation_date: measurement.observationDate,
      measurement_method: measurement.method,
      unit: measurement.unit,
      value: measurement.value.toFixed(3),
      measured_by_user_id: measurement.measuredByUserId,
      measured_by_role: measurement.measuredByRole,
      source: measurement.source,
      place: measurement.place,
      corrected_from: measurement.correctedFrom ?? null,
      correction_reason: measurement.correctionReason ?? null,
      la_code: measurement.laCode,
    })
    .execute()
}

/** A measurement of this child (current or superseded), locked for a correction. */
export async function findMeasurementForUpdate(
  db: DbOrTx,
  childId: string,
  measurementId: string,
): Promise<MeasurementRow | undefined> {
  const row = await db
    .selectFrom('growth_measurements')
    .select('id')
    .where('id', '=', measurementId)
    .where('person_id', '=', childId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) {
    return undefined
  }
  return (await listMeasurements(db, childId)).find(measurement => measurement.id === row.id)
}

/**
 * Records a correction: the new row (corrected_from the old one, with the reason), then the old row marked
 * superseded_by it. Returns false, changing nothing, when the old row has already been superseded.
 */
export async function insertCorrection(
  db: DbOrTx,
  original: { id: string },
  correction: NewMeasurement,
): Promise<boolean> {
  const stillCurrent = await db
    .selectFrom('growth_measurements')
    .select('id')
    .where('id', '=', original.id)
    .where('superseded_by', 'is', null)
    .executeTakeFirst()
  if (!stillCurrent) {
    return false
  }
  await insertMeasurement(db, { ...correction, correctedFrom: original.id })
  const updated = await db
    .updateTable('growth_measurements')
    .set({ superseded_by: correction.id })
    .where('id', '=', original.id)
    .where('superseded_by', 'is', null)
    .executeTakeFirst()
  return updated.numUpdatedRows === 1n
}

export async function insertNote(
  db: DbOrTx,
  note: { id: string; personId: string; authorUserId: string; text: string; laCode: string },
): Promise<void> {
  await db
    .insertInto('red_book_notes')
    .values({
      id: note.id,
      person_id: note.personId,
      author_user_id: note.authorUserId,
      text: note.text,
      la_code: note.laCode,
    })
    .execute()
}

// ---- demo data ----

export interface CaseloadChildRow {
  personId: string
  familyId: string
  dateOfBirth: string
  sex: 'female' | 'male' | null
  /** A member of the household has a linked parent account (the demo parent's family). */
  parentLinked: boolean
  hasBirthDetails: boolean
}

/** Children (with a date of birth) of the families the user holds an active care relationship with. */
export async function listCaseloadChildren(db: DbOrTx, userId: string): Promise<CaseloadChildRow[]> {
  const rows = await db
    .selectFrom('care_relationships as cr')
    .innerJoin('family_members as m', 'm.family_id', 'cr.family_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select([
      'p.id',
      'm.family_id',
      'p.date_of_birth',
      'p.sex',
      sql<boolean>`EXISTS (SELECT 1 FROM family_members a JOIN users u ON u.person_id = a.person_id
        WHERE a.family_id = m.family_id AND u.kind = 'parent')`.as('parent_linked'),
      sql<boolean>`EXISTS (SELECT 1 FROM child_birth_details b WHERE b.person_id = p.id)`.as('has_birth_details'),
    ])
    .where('cr.holder_user_id', '=', userId)
    .where(
      sql<boolean>`cr.starts_at <= now() AND cr.ended_at IS NULL AND (cr.expires_at IS NULL OR cr.expires_at > now())`,
    )
    .where('m.relationship', '=', 'child')
    .where('p.date_of_birth', 'is not', null)
    .distinctOn('p.id')
    .orderBy('p.id')
    .execute()
  return rows.map(row => ({
    personId: row.id,
    familyId: row.family_id,
    dateOfBirth: row.date_of_birth ?? '',
    sex: row.sex,
    parentLinked: row.parent_linked,
    hasBirthDetails: row.has_birth_details,
  }))
}

export interface BirthDetailsColumns {
  personId: string[]
  birthDate: string[]
  birthTime: string[]
  gestationWeeks: number[]
  gestationDays: number[]
  birthWeightGrams: number[]
}

/** Birth details in one statement; children that already have them are left alone. */
export async function insertBirthDetailsBatch(
  db: DbOrTx,
  laCode: string,
  columns: BirthDetailsColumns,
): Promise<number> {
  if (columns.personId.length === 0) {
    return 0
  }
  const result = await sql`
    INSERT INTO child_birth_details (person_id, birth_date, birth_time, gestation_weeks, gestation_days, birth_weight_grams, la_code)
    SELECT person_id, birth_date, birth_time, gestation_weeks, gestation_days, birth_weight_grams, ${laCode}
    FROM unnest(${columns.personId}::uuid[], ${columns.birthDate}::date[], ${columns.birthTime}::time[],
      ${columns.gestationWeeks}::smallint[], ${columns.gestationDays}::smallint[], ${columns.birthWeightGrams}::int[])
      AS t (person_id, birth_date, birth_time, gestation_weeks, gestation_days, birth_weight_grams)
    ON CONFLICT (person_id) DO NOTHING`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

export interface MeasurementColumns {
  personId: string[]
  observationDate: string[]
  method: RecordedMeasurementMethod[]
  unit: MeasurementUnit[]
  value: string[]
  place: string[]
}

/** Measurements taken by one practitioner, in one statement. */
export async function insertMeasurementsBatch(
  db: DbOrTx,
  laCode: string,
  measuredBy: { userId: string | null; role: string | null },
  columns: MeasurementColumns,
): Promise<number> {
  if (columns.personId.length === 0) {
    return 0
  }
  const result = await sql`
    INSERT INTO growth_measurements (person_id, observation_date, measurement_method, unit, value, measured_by_user_id,
      measured_by_role, source, place, recorded_at, la_code)
    SELECT person_id, observation_date, measurement_method, unit, value, ${measuredBy.userId}::uuid, ${measuredBy.role},
      'practitioner', place, observation_date + time '12:00', ${laCode}
    FROM unnest(${columns.personId}::uuid[], ${columns.observationDate}::date[], ${columns.method}::text[],
      ${columns.unit}::text[], ${columns.value}::numeric[], ${columns.place}::text[])
      AS t (person_id, observation_date, measurement_method, unit, value, place)`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

export async function findUserProfession(db: DbOrTx, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select(['profession', 'role_code'])
    .where('id', '=', userId)
    .executeTakeFirst()
  return row ? (row.profession ?? row.role_code) : null
}

// ---- birth details ----

/** Whether another person already holds this NHS number. */
export async function nhsNumberUsedByAnother(db: DbOrTx, nhsNumber: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('nhs_number', '=', nhsNumber)
    .where('id', '<>', personId)
    .executeTakeFirst()
  return row !== undefined
}

export interface BirthDetailsChange {
  personId: string
  birthDate: string
  /** 'HH:MM' or null */
  birthTime: string | null
  sex: 'female' | 'male'
  gestationWeeks: number
  gestationDays: number
  birthWeightGrams: number
  birthOrder: number
  nhsNumber: string
  laCode: string
  recordedBy: string
}

/** Records the birth details (creating or replacing the row) and the person's date of birth, sex and NHS number. */
export async function saveBirthDetails(db: DbOrTx, change: BirthDetailsChange): Promise<void> {
  await db
    .updateTable('people')
    .set({ date_of_birth: change.birthDate, sex: change.sex, nhs_number: change.nhsNumber })
    .where('id', '=', change.personId)
    .execute()
  const details = {
    birth_date: change.birthDate,
    birth_time: change.birthTime,
    gestation_weeks: change.gestationWeeks,
    gestation_days: change.gestationDays,
    birth_weight_grams: change.birthWeightGrams,
    birth_order: change.birthOrder,
    recorded_by: change.recordedBy,
  }
  await db
    .insertInto('child_birth_details')
    .values({ person_id: change.personId, la_code: change.laCode, ...details })
    .onConflict(oc => oc.column('person_id').doUpdateSet(details))
    .execute()
}
