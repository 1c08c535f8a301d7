import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { aChild, daysAgo, linkParentAccount } from '../../../test/builders/children.js'
import { aCareRelationship } from '../../../test/builders/families.js'
import { aUser } from '../../../test/builders/users.js'
import { testConfig } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { calculateGrowth, reportedSds } from './child-growth.js'
import { seedDemoRedBooks } from './demo-red-books.js'

let database: DatabaseHandle
let healthVisitorId: string
let babyId: string
let toddlerId: string
const caseloadChildren: string[] = []
let otherChildId: string

beforeAll(async () => {
  database = await createTestDb()
  const db = database.db
  healthVisitorId = (await aUser(db, { role: 'practitioner' })).id
  // Twenty households on the caseload, children aged from 3 days to nearly 5 years; one without a recorded sex.
  for (let index = 0; index < 20; index++) {
    const child = await aChild(db, {
      dateOfBirth: daysAgo(3 + index * 90),
      sex: index === 7 ? null : index % 2 === 0 ? 'female' : 'male',
      birthDetails: false,
    })
    await aCareRelationship(db, { familyId: child.familyId, userId: healthVisitorId, kind: 'caseload' })
    caseloadChildren.push(child.id)
  }
  // The demo parent's household: a baby of 243 days and a toddler, the mother's account linked.
  const baby = await aChild(db, { givenName: 'Anaya', dateOfBirth: daysAgo(243), birthDetails: false })
  const toddlerRow = await db
    .insertInto('people')
    .values({
      la_code: testConfig.authority.code,
      given_name: 'Kabir',
      family_name: baby.familyName,
      date_of_birth: daysAgo(1005),
      sex: 'male',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('family_members')
    .values({
      family_id: baby.familyId,
      person_id: toddlerRow.id,
      relationship: 'child',
      parental_responsibility: false,
    })
    .execute()
  await aCareRelationship(db, { familyId: baby.familyId, userId: healthVisitorId, kind: 'caseload' })
  const parent = await aUser(db, { role: 'parent' })
  await linkParentAccount(db, parent.id, baby.parentId)
  babyId = baby.id
  toddlerId = toddlerRow.id
  // A family the health visitor does not work with.
  otherChildId = (await aChild(db, { birthDetails: false })).id
})
afterAll(async () => {
  await database.close()
})

describe('demo red books', () => {
  it('gives every caseload child birth details and most of them a plausible series of measurements, quickly', async () => {
    const started = performance.now()
    const summary = await seedDemoRedBooks(database.db, {
      seed: 7,
      laCode: testConfig.authority.code,
      healthVisitorUserId: healthVisitorId,
    })
    expect(performance.now() - started).toBeLessThan(10_000)

    const births = await database.db.selectFrom('child_birth_details').selectAll().execute()
    const withBirth = new Set(births.map(row => row.person_id))
    for (const id of [...caseloadChildren, babyId, toddlerId]) {
      expect(withBirth.has(id), id).toBe(true)
    }
    expect(withBirth.has(otherChildId)).toBe(false)
    expect(summary.birthDetails).toBe(22)
    for (const birth of births) {
      expect(birth.gestation_weeks).toBeGreaterThanOrEqual(22)
      expect(birth.gestation_weeks).toBeLessThanOrEqual(44)
      expect(birth.birth_weight_grams).toBeGreaterThan(400)
      expect(birth.birth_weight_grams).toBeLessThan(6000)
    }

    const rows = await database.db
      .selectFrom('growth_measurements as g')
      .innerJoin('people as p', 'p.id', 'g.person_id')
      .innerJoin('child_birth_details as b', 'b.person_id', 'g.person_id')
      .select([
        'g.person_id',
        'g.observation_date',
        'g.measurement_method',
        'g.value',
        'g.measured_by_user_id',
        'g.source',
        'p.sex',
        'b.birth_date',
        'b.gestation_weeks',
        'b.gestation_days',
      ])
      .execute()
    expect(rows.length).toBe(summary.measurements)
    const perChild = new Map<string, number>()
    for (const row of rows) {
      perChild.set(row.person_id, (perChild.get(row.person_id) ?? 0) + 1)
      expect(row.measured_by_user_id).toBe(healthVisitorId)
      expect(row.source).toBe('practitioner')
      expect(row.observation_date > row.birth_date).toBe(true)
      expect(row.observation_date < daysAgo(-1)).toBe(true)
      if (row.sex) {
        const sds = reportedSds(
          calculateGrowth(
            {
              birthDate: row.birth_date,
              sex: row.sex,
              gestationWeeks: row.gestation_weeks,
              gestationDays: row.gestation_days,
              gestationRecorded: true,
            },
            row.measurement_method,
            row.observation_date,
            row.value,
          ),
        )
        expect(
          Math.abs(sds ?? 0),
          `${row.measurement_method} ${String(row.value)} on ${row.observation_date}`,
        ).toBeLessThan(4)
      }
    }
    // The 3-day-old cannot have 5 measurements yet; every other child has 5 to 15.
    expect(summary.measuredChildren).toBe(21)
    expect(perChild.size).toBe(21)
    for (const count of perChild.values()) {
      expect(count).toBeGreaterThanOrEqual(5)
      expect(count).toBeLessThanOrEqual(15)
    }
  })

  it('makes the demo parent’s baby preterm (32+3, 1,740 g), weighed often over her first 8 months', async () => {
    const birth = await database.db
      .selectFrom('child_birth_details')
      .selectAll()
      .where('person_id', '=', babyId)
      .executeTakeFirstOrThrow()
    expect(birth).toMatchObject({ gestation_weeks: 32, gestation_days: 3, birth_weight_grams: 1740 })
    const toddler = await database.db
      .selectFrom('child_birth_details')
      .selectAll()
      .where('person_id', '=', toddlerId)
      .executeTakeFirstOrThrow()
    expect(toddler).toMatchObject({ gestation_weeks: 39, gestation_days: 5, birth_weight_grams: 3420 })
    const weights = await database.db
      .selectFrom('growth_measurements')
      .select(['observation_date', 'value'])
      .where('person_id', '=', babyId)
      .where('measurement_method', '=', 'weight')
      .orderBy('observation_date')
      .execute()
    expect(weights.length).toBeGreaterThanOrEqual(10)
    expect(weights[0]!.value).toBeLessThan(1.8)
    expect(weights.at(-1)!.value).toBeGreaterThan(5)
    expect(weights.at(-1)!.observation_date > daysAgo(60)).toBe(true)
  })

  it('adds nothing the second time', async () => {
    const before = await database.db
      .selectFrom('growth_measurements')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const summary = await seedDemoRedBooks(database.db, {
      seed: 7,
      laCode: testConfig.authority.code,
      healthVisitorUserId: healthVisitorId,
    })
    expect(summary).toEqual({ birthDetails: 0, measuredChildren: 0, measurements: 0 })
    const after = await database.db
      .selectFrom('growth_measurements')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })
})
