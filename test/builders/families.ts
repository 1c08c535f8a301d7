import crypto from 'node:crypto'
import type { DbOrTx } from '../../src/db/database.js'
import { testConfig } from '../helpers/test-app.js'

export interface TestPerson {
  givenName?: string
  familyName?: string
  dateOfBirth?: string | null
  nhsNumber?: string | null
  relationship?: string
  parentalResponsibility?: boolean
}

export interface TestFamily {
  id: string
  postcode: string | null
  children: { id: string; givenName: string; familyName: string; nhsNumber: string | null }[]
  adults: { id: string; givenName: string; familyName: string }[]
}

/** A valid NHS number from the 999 range, which is never issued (security.md §5). */
export function aTestNhsNumber(): string {
  for (;;) {
    const digits = `999${String(crypto.randomInt(0, 1_000_000)).padStart(6, '0')}`
    let sum = 0
    for (let index = 0; index < 9; index++) {
      sum += Number(digits[index]) * (10 - index)
    }
    let check = 11 - (sum % 11)
    if (check === 11) {
      check = 0
    }
    if (check !== 10) {
      return `${digits}${String(check)}`
    }
  }
}

function randomName(prefix: string): string {
  return `${prefix}${crypto.randomBytes(3).toString('hex')}`
}

async function aPerson(db: DbOrTx, person: TestPerson, defaults: { familyName: string; child: boolean }) {
  const givenName = person.givenName ?? randomName(defaults.child ? 'Child' : 'Adult')
  const familyName = person.familyName ?? defaults.familyName
  const nhsNumber = person.nhsNumber === undefined ? (defaults.child ? aTestNhsNumber() : null) : person.nhsNumber
  const row = await db
    .insertInto('people')
    .values({
      la_code: testConfig.authority.code,
      given_name: givenName,
      family_name: familyName,
      date_of_birth:
        person.dateOfBirth === undefined ? (defaults.child ? '2024-03-15' : '1992-06-01') : person.dateOfBirth,
      nhs_number: nhsNumber,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, givenName, familyName, nhsNumber }
}

/**
 * A household: by default one child and one mother with parental responsibility. Names are random so that tests
 * can look for them (or their absence) in pages.
 */
export async function aFamily(
  db: DbOrTx,
  options: {
    children?: TestPerson[]
    adults?: TestPerson[]
    postcode?: string | null
    addressLine?: string | null
  } = {},
): Promise<TestFamily> {
  const familyName = randomName('Surname')
  const postcode = options.postcode === undefined ? 'ZX3 9QT' : options.postcode
  const family = await db
    .insertInto('families')
    .values({
      la_code: testConfig.authority.code,
      postcode,
      address_line: options.addressLine ?? '1 Test Street, Testtown',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const result: TestFamily = { id: family.id, postcode, children: [], adults: [] }
  for (const child of options.children ?? [{}]) {
    const person = await aPerson(db, child, { familyName, child: true })
    await db
      .insertInto('family_members')
      .values({ family_id: family.id, person_id: person.id, relationship: 'child', parental_responsibility: false })
      .execute()
    result.children.push(person)
  }
  for (const adult of options.adults ?? [{ relationship: 'mother', parentalResponsibility: true }]) {
    const person = await aPerson(db, adult, { familyName, child: false })
    await db
      .insertInto('family_members')
      .values({
        family_id: family.id,
        person_id: person.id,
        relationship: adult.relationship ?? 'parent',
        parental_responsibility: adult.parentalResponsibility ?? true,
      })
      .execute()
    result.adults.push(person)
  }
  return result
}

/** A care relationship between a family and a user or a team; active from an hour ago, with no end, by default. */
export async function aCareRelationship(
  db: DbOrTx,
  options: {
    familyId: string
    userId?: string
    teamId?: string
    kind?: string
    startsAt?: Date
    expiresAt?: Date | null
    endedAt?: Date | null
  },
): Promise<string> {
  const row = await db
    .insertInto('care_relationships')
    .values({
      family_id: options.familyId,
      holder_user_id: options.userId ?? null,
      holder_team_id: options.teamId ?? null,
      kind: options.kind ?? 'allocated_worker',
      basis: 'test',
      starts_at: options.startsAt ?? new Date(Date.now() - 60 * 60 * 1000),
      expires_at: options.expiresAt ?? null,
      ended_at: options.endedAt ?? null,
      la_code: testConfig.authority.code,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function aTeam(db: DbOrTx, organisationId: string): Promise<string> {
  const row = await db
    .insertInto('teams')
    .values({ organisation_id: organisationId, name: randomName('Team ') })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function putInTeam(db: DbOrTx, userId: string, teamId: string): Promise<void> {
  await db.updateTable('users').set({ team_id: teamId }).where('id', '=', userId).execute()
}
