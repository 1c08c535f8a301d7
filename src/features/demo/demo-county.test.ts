import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle, Db } from '../../db/database.js'
import { insecureDefaults } from '../../config.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { isValidNhsNumber } from './demo-county-identifiers.js'
import { countyCalendar, demoParentHousehold } from './demo-county-population.js'
import { seedDemo, type DemoSeedSummary } from './demo-seed.js'

const laCode = 'E10000099'

async function seed(db: Db, scale: number, seedNumber: number): Promise<DemoSeedSummary> {
  return seedDemo(db, {
    scale,
    seed: seedNumber,
    laCode,
    authorityName: 'Northmoor County Council',
    dataEncryptionKey: insecureDefaults.dataEncryptionKey,
  })
}

/** What two seedings must agree on: the counts, the first child, and a digest of every person. */
async function fingerprint(scale: number, seedNumber: number) {
  const database = await createTestDb()
  try {
    const summary = await seed(database.db, scale, seedNumber)
    const firstChild = await database.db
      .selectFrom('people')
      .select(['given_name', 'family_name', 'nhs_number', 'date_of_birth'])
      .where('nhs_number', 'is not', null)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
    const digest = await sql<{ digest: string }>`
      SELECT md5(string_agg(concat_ws('|', id, given_name, family_name, date_of_birth, sex, nhs_number, ethnicity,
        free_school_meals, send), ',' ORDER BY id)) AS digest
      FROM people
    `.execute(database.db)
    const counts = { ...summary, seconds: 0 }
    return { counts, firstChild, digest: digest.rows[0]?.digest }
  } finally {
    await database.close()
  }
}

describe('demo county determinism', () => {
  it('gives the same county for the same seed and a different one for another seed', async () => {
    const a = await fingerprint(0.05, 1)
    const b = await fingerprint(0.05, 1)
    const c = await fingerprint(0.05, 2)
    expect(a.counts.districts).toBe(5)
    expect(a.counts.children).toBeGreaterThan(1_500)
    expect(b).toEqual(a)
    expect(c.digest).not.toBe(a.digest)
    expect(c.firstChild).not.toEqual(a.firstChild)
  })
})

describe('demo county at scale 0.2', () => {
  let database: DatabaseHandle
  let db: Db
  let summary: DemoSeedSummary
  const calendar = countyCalendar(new Date())

  beforeAll(async () => {
    database = await createTestDb()
    db = database.db
    summary = await seed(db, 0.2, 1)
  })
  afterAll(async () => {
    await database.close()
  })

  it('reports what it inserted', async () => {
    const count = async (
      table: 'districts' | 'small_areas' | 'postcodes' | 'families' | 'eyfsp_results' | 'care_relationships',
    ) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n)
    expect(summary.districts).toBe(await count('districts'))
    expect(summary.smallAreas).toBe(await count('small_areas'))
    expect(summary.postcodes).toBe(await count('postcodes'))
    expect(summary.families).toBe(await count('families'))
    expect(summary.eyfspResults).toBe(await count('eyfsp_results'))
    expect(summary.careRelationships).toBe(await count('care_relationships'))
    expect(summary.smallAreas).toBe(70)
    // ~38,000 children at scale 1.
    expect(summary.children).toBeGreaterThan(7_200)
    expect(summary.children).toBeLessThan(8_200)
    expect(summary.adults).toBeGreaterThan(summary.families)
    expect(summary.adults).toBeLessThan(2 * summary.families)
  })

  it('gives every child a valid, unique, fictional NHS number', async () => {
    const rows = await db
      .selectFrom('people')
      .innerJoin('family_members', 'family_members.person_id', 'people.id')
      .select('people.nhs_number')
      .where('family_members.relationship', '=', 'child')
      .execute()
    expect(rows.length).toBe(summary.children)
    const numbers = rows.map(row => row.nhs_number ?? '')
    expect(numbers.every(isValidNhsNumber)).toBe(true)
    expect(numbers.every(value => value.startsWith('999'))).toBe(true)
    expect(new Set(numbers).size).toBe(numbers.length)
  })

  it('uses well-formed postcodes that resolve to existing small areas, and households live in them', async () => {
    const postcodes = await db.selectFrom('postcodes').select(['postcode', 'lsoa_code', 'la_code']).execute()
    expect(postcodes.length).toBe(summary.postcodes)
    for (const row of postcodes) {
      expect(row.postcode).toMatch(/^NM[0-9][A-Z0-9]? [0-9][A-Z]{2}$/)
      expect(row.la_code).toBe(laCode)
    }
    const orphans = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM postcodes p LEFT JOIN small_areas s ON s.code = p.lsoa_code WHERE s.code IS NULL
    `.execute(db)
    expect(orphans.rows[0]?.n).toBe(0)
    const misplaced = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM families f LEFT JOIN postcodes p ON p.postcode = f.postcode
      WHERE p.postcode IS NULL OR p.lsoa_code IS DISTINCT FROM f.small_area_code OR f.address_line IS NULL
    `.execute(db)
    expect(misplaced.rows[0]?.n).toBe(0)
  })

  it('puts every child in one household with at least one adult with parental responsibility', async () => {
    const result = await sql<{
      children: number
      without_carer: number
      in_two_families: number
      adults_without_pr: number
    }>`
      WITH children AS (SELECT family_id, person_id FROM family_members WHERE relationship = 'child')
      SELECT
        (SELECT count(*)::int FROM children) AS children,
        (SELECT count(*)::int FROM children c WHERE NOT EXISTS (
          SELECT 1 FROM family_members a WHERE a.family_id = c.family_id
            AND a.relationship IN ('mother', 'father', 'parent', 'carer') AND a.parental_responsibility)) AS without_carer,
        (SELECT count(*)::int FROM (SELECT person_id FROM children GROUP BY person_id HAVING count(*) > 1) t) AS in_two_families,
        (SELECT count(*)::int FROM family_members WHERE relationship <> 'child' AND NOT parental_responsibility) AS adults_without_pr
    `.execute(db)
    expect(result.rows[0]).toEqual({
      children: summary.children,
      without_carer: 0,
      in_two_families: 0,
      adults_without_pr: 0,
    })
    const sizes = await sql<{ adults: number; families: number }>`
      SELECT adults, count(*)::int AS families FROM (
        SELECT family_id, count(*) FILTER (WHERE relationship <> 'child')::int AS adults FROM family_members GROUP BY family_id
      ) t GROUP BY adults ORDER BY adults
    `.execute(db)
    expect(sizes.rows.map(row => row.adults)).toEqual([1, 2])
  })

  it('has children under five on today and a reception cohort with EYFSP results', async () => {
    const ages = await sql<{ under_five: number; reception: number; other: number; eyfsp: number; year: string }>`
      SELECT
        count(*) FILTER (WHERE p.date_of_birth > (current_date - interval '5 years'))::int AS under_five,
        count(*) FILTER (WHERE e.person_id IS NOT NULL)::int AS reception,
        count(*) FILTER (WHERE p.date_of_birth <= (current_date - interval '5 years') AND e.person_id IS NULL)::int AS other,
        (SELECT count(*)::int FROM eyfsp_results) AS eyfsp,
        (SELECT min(academic_year) FROM eyfsp_results) AS year
      FROM family_members m JOIN people p ON p.id = m.person_id LEFT JOIN eyfsp_results e ON e.person_id = p.id
      WHERE m.relationship = 'child'
    `.execute(db)
    const row = ages.rows[0]
    expect(row?.other).toBe(0)
    expect(row?.reception).toBe(row?.eyfsp)
    expect(row?.year).toBe(calendar.academicYear)
    // ~6,500 births a year at scale 1.
    expect(row?.reception).toBeGreaterThan(1_150)
    expect(row?.reception).toBeLessThan(1_500)
    expect(row?.under_five).toBeGreaterThan(5_900)
  })

  it('shows the GLD gaps by deprivation, free school meals, SEND and sex', async () => {
    const result = await sql<{ group_name: string; n: number; gld: number }>`
      SELECT g.group_name, count(*)::int AS n, avg(CASE WHEN e.good_level_of_development THEN 1.0 ELSE 0.0 END)::float8 AS gld
      FROM eyfsp_results e
      JOIN people p ON p.id = e.person_id
      JOIN family_members m ON m.person_id = p.id
      JOIN families f ON f.id = m.family_id
      JOIN small_areas s ON s.code = f.small_area_code
      CROSS JOIN LATERAL (VALUES
        ('all'),
        (CASE WHEN s.imd_decile <= 3 THEN 'deprived' WHEN s.imd_decile >= 8 THEN 'affluent' END),
        (CASE WHEN p.free_school_meals THEN 'fsm' ELSE 'not fsm' END),
        (CASE WHEN p.send THEN 'send' ELSE 'not send' END),
        (p.sex)
      ) AS g (group_name)
      WHERE g.group_name IS NOT NULL
      GROUP BY g.group_name
    `.execute(db)
    const gld = (name: string): number => result.rows.find(row => row.group_name === name)?.gld ?? Number.NaN
    const share = (name: string): number =>
      (result.rows.find(row => row.group_name === name)?.n ?? 0) /
      (result.rows.find(row => row.group_name === 'all')?.n ?? 1)
    expect(gld('all')).toBeGreaterThan(0.62)
    expect(gld('all')).toBeLessThan(0.72)
    expect(gld('affluent') - gld('deprived')).toBeGreaterThan(0.08)
    // Children on free school meals are about 1.4 times less likely to reach GLD; with SEND about 3.8 times.
    expect(gld('not fsm') / gld('fsm')).toBeGreaterThan(1.2)
    expect(gld('not fsm') / gld('fsm')).toBeLessThan(1.7)
    expect(gld('not send') / gld('send')).toBeGreaterThan(2.8)
    expect(gld('not send') / gld('send')).toBeLessThan(5.5)
    expect(gld('female') - gld('male')).toBeGreaterThan(0.07)
    expect(gld('female') - gld('male')).toBeLessThan(0.19)
    expect(share('fsm')).toBeGreaterThan(0.15)
    expect(share('fsm')).toBeLessThan(0.26)
    expect(share('send')).toBeGreaterThan(0.07)
    expect(share('send')).toBeLessThan(0.13)
  })

  it('records free school meals more often in deprived areas, SEND less often in babies, and diverse ethnicity', async () => {
    const result = await sql<{
      deprived_fsm: number
      affluent_fsm: number
      baby_send: number
      white: number
      groups: number
    }>`
      SELECT
        avg(CASE WHEN p.free_school_meals THEN 1.0 ELSE 0.0 END) FILTER (WHERE s.imd_decile <= 2)::float8 AS deprived_fsm,
        avg(CASE WHEN p.free_school_meals THEN 1.0 ELSE 0.0 END) FILTER (WHERE s.imd_decile >= 9)::float8 AS affluent_fsm,
        avg(CASE WHEN p.send THEN 1.0 ELSE 0.0 END) FILTER (WHERE p.date_of_birth > current_date - 365)::float8 AS baby_send,
        avg(CASE WHEN p.ethnicity = 'White' THEN 1.0 ELSE 0.0 END)::float8 AS white,
        count(DISTINCT p.ethnicity)::int AS groups
      FROM family_members m
      JOIN people p ON p.id = m.person_id
      JOIN families f ON f.id = m.family_id
      JOIN small_areas s ON s.code = f.small_area_code
      WHERE m.relationship = 'child'
    `.execute(db)
    const row = result.rows[0]
    expect(row?.deprived_fsm).toBeGreaterThan(2 * (row?.affluent_fsm ?? 1))
    expect(row?.baby_send).toBeLessThan(0.04)
    expect(row?.white).toBeGreaterThan(0.65)
    expect(row?.white).toBeLessThan(0.85)
    expect(row?.groups).toBe(6)
  })

  it('links the demo parent to her record in a household with a baby of about 8 months and a toddler', async () => {
    const parent = await db
      .selectFrom('users')
      .innerJoin('people', 'people.id', 'users.person_id')
      .innerJoin('family_members', 'family_members.person_id', 'people.id')
      .select(['people.given_name', 'people.family_name', 'family_members.family_id', 'family_members.relationship'])
      .where('users.email', '=', 'parent@northmoor.example')
      .executeTakeFirstOrThrow()
    expect(parent).toMatchObject({ given_name: 'Priya', family_name: 'Shah', relationship: 'mother' })
    const children = await db
      .selectFrom('family_members')
      .innerJoin('people', 'people.id', 'family_members.person_id')
      .select(['people.given_name', 'people.date_of_birth'])
      .where('family_members.family_id', '=', parent.family_id)
      .where('family_members.relationship', '=', 'child')
      .orderBy('people.date_of_birth', 'desc')
      .execute()
    expect(children.map(child => child.given_name)).toEqual([
      demoParentHousehold.baby.givenName,
      demoParentHousehold.toddler.givenName,
    ])
    const babyAgeDays = (Date.now() - Date.parse(children[0]?.date_of_birth ?? '')) / 86_400_000
    expect(babyAgeDays).toBeGreaterThan(225)
    expect(babyAgeDays).toBeLessThan(260)
    const visitor = await db
      .selectFrom('care_relationships')
      .innerJoin('users', 'users.id', 'care_relationships.holder_user_id')
      .select(['care_relationships.kind', 'care_relationships.basis'])
      .where('users.email', '=', 'health.visitor@northmoor.example')
      .where('care_relationships.family_id', '=', parent.family_id)
      .executeTakeFirst()
    expect(visitor).toEqual({ kind: 'caseload', basis: 'health visiting caseload' })
  })

  it('gives the demo staff and the North health visiting team their caseloads', async () => {
    const result = await sql<{ holder: string; families: number; distinct_families: number }>`
      SELECT coalesce(u.email, t.name) AS holder, count(*)::int AS families, count(DISTINCT r.family_id)::int AS distinct_families
      FROM care_relationships r
      LEFT JOIN users u ON u.id = r.holder_user_id
      LEFT JOIN teams t ON t.id = r.holder_team_id
      WHERE r.kind = 'caseload' AND r.ended_at IS NULL AND (r.expires_at IS NULL OR r.expires_at > now()) AND r.starts_at <= now()
      GROUP BY 1
    `.execute(db)
    expect([...result.rows].sort((a, b) => a.families - b.families || a.holder.localeCompare(b.holder))).toEqual([
      { holder: 'family.support@northmoor.example', families: 40, distinct_families: 40 },
      { holder: 'midwife@northmoor.example', families: 40, distinct_families: 40 },
      { holder: 'health.visitor@northmoor.example', families: 150, distinct_families: 150 },
      { holder: 'Health visiting – North', families: 2_000, distinct_families: 2_000 },
    ])
    // The health visitor's families are her team's, in the North (Kettlewick and Northmoor).
    const outside = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM care_relationships r
      JOIN users u ON u.id = r.holder_user_id AND u.email = 'health.visitor@northmoor.example'
      JOIN families f ON f.id = r.family_id
      JOIN small_areas s ON s.code = f.small_area_code
      JOIN districts d ON d.code = s.district_code
      WHERE d.name NOT IN ('Kettlewick', 'Northmoor')
        OR NOT EXISTS (SELECT 1 FROM care_relationships tr WHERE tr.family_id = r.family_id AND tr.holder_team_id IS NOT NULL)
    `.execute(db)
    expect(outside.rows[0]?.n).toBe(0)
  })
})
