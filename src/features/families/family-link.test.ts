import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aCareRelationship, aFamily } from '../../../test/builders/families.js'
import { aUser, anOrganisation } from '../../../test/builders/users.js'
import { createTestApp, signIn, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { hashLinkCode, linkCodeAlphabet } from './family.js'

let database: DatabaseHandle
let app: App

beforeAll(async () => {
  database = await createTestDb()
})
afterAll(async () => {
  await database.close()
})
// A fresh app per test: POST /parent/link allows 10 attempts a minute from one address, and every test posts there.
beforeEach(async () => {
  app = await createTestApp(database.db)
})
afterEach(async () => {
  await app.app.close()
})

async function auditRows(userId: string) {
  return database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'reason', 'subject_id', 'purpose', 'details'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()
}

/** The code shown once on the confirmation page ("ACDE-FG34"). */
function codeOn(html: string): string {
  const match = new RegExp(`<strong>([${linkCodeAlphabet}]{4}-[${linkCodeAlphabet}]{4})</strong>`).exec(html)
  if (!match?.[1]) {
    throw new Error('No code on the page')
  }
  return match[1]
}

async function issueCode(browser: Browser, familyId: string, personId: string): Promise<string> {
  const response = await browser.post(`/families/${familyId}/link-code`, { personId })
  expect(response.statusCode).toBe(200)
  return codeOn(response.body)
}

describe('linking a parent’s account with a code', () => {
  it('works end to end: the practitioner issues a code, the parent links, and sees their family and who looked', async () => {
    const organisationId = await anOrganisation(database.db, { name: 'Testshire Health Visiting' })
    const practitioner = await aUser(database.db, { organisationId })
    const family = await aFamily(database.db, {
      children: [{ givenName: 'Isla', dateOfBirth: '2025-01-05', nhsNumber: '4010232137' }],
      adults: [
        { givenName: 'Priya', relationship: 'mother', parentalResponsibility: true },
        { givenName: 'Uncle', relationship: 'other', parentalResponsibility: false },
      ],
    })
    const [mother, uncle] = family.adults
    await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const staff = await signIn(app.app, practitioner)

    const record = await staff.get(`/families/${family.id}`)
    expect(record.body).toContain(`href="/families/${family.id}/link-code"`)
    const choose = await staff.get(`/families/${family.id}/link-code`)
    expect(choose.statusCode).toBe(200)
    expect(choose.body).toContain(`value="${mother!.id}"`)
    expect(choose.body).not.toContain(uncle!.id)
    expect(choose.body).toContain('<legend')

    const created = await staff.post(`/families/${family.id}/link-code`, { personId: mother!.id })
    expect(created.statusCode).toBe(200)
    const code = codeOn(created.body)
    expect(created.body).toContain(`Code for Priya ${mother!.familyName}`)

    const stored = await database.db
      .selectFrom('family_link_codes')
      .selectAll()
      .where('family_id', '=', family.id)
      .execute()
    expect(stored).toHaveLength(1)
    expect(stored[0]!.code_hash).toBe(hashLinkCode(code))
    expect(stored[0]!.code_hash).not.toContain(code.replace('-', ''))
    const days = (stored[0]!.expires_at.getTime() - Date.now()) / (24 * 60 * 60 * 1000)
    expect(days).toBeGreaterThan(13.9)
    expect(days).toBeLessThanOrEqual(14)
    expect(await auditRows(practitioner.id)).toContainEqual(
      expect.objectContaining({
        action: 'family-link-code.create',
        outcome: 'allowed',
        subject_id: family.id,
        purpose: 'account_linking',
        details: expect.objectContaining({ personId: mother!.id, basis: 'care_relationship' }) as unknown,
      }),
    )

    const parentUser = await aUser(database.db, { role: 'parent' })
    const parent = await signIn(app.app, parentUser)
    const before = await parent.get('/my-family')
    expect(before.statusCode).toBe(200)
    expect(before.body).toContain('not linked to your family’s record yet')
    expect(before.body).not.toContain('Isla')

    const linked = await parent.post('/parent/link', { code: code.toLowerCase().replace('-', ' ') })
    expect(linked.statusCode).toBe(303)
    expect(linked.headers.location).toBe('/my-family?linked=yes')
    const user = await database.db
      .selectFrom('users')
      .select('person_id')
      .where('id', '=', parentUser.id)
      .executeTakeFirstOrThrow()
    expect(user.person_id).toBe(mother!.id)

    const mine = await parent.get('/my-family?linked=yes')
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('Your account is now linked to your family')
    expect(mine.body).toContain(`Isla ${family.children[0]!.familyName}`)
    expect(mine.body).toContain('401 023 2137')
    expect(mine.body).toContain('Who has looked at your family’s record')
    expect(mine.body).toContain('Testshire Health Visiting')
    expect(mine.body).toContain('Practitioner')
    expect(mine.body).toContain('Looked at your family’s record')
    expect(mine.body).toContain('Gave a parent or carer a code to link their account')
    expect(mine.body).not.toContain('Test practitioner')
    expect(mine.body.match(/<h1/g)).toHaveLength(1)

    const parentEvents = await auditRows(parentUser.id)
    expect(parentEvents.map(row => [row.action, row.outcome, row.subject_id])).toEqual([
      ['auth.sign-in', 'allowed', null],
      ['family-link-code.redeem', 'allowed', family.id],
      ['own-family.read', 'allowed', family.id],
    ])

    const again = await parent.get('/parent/link')
    expect(again.body).toContain('Your account is already linked to your family')
  })

  it('refuses a used code, keeps what was typed, and audits the refusal', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const code = await issueCode(await signIn(app.app, practitioner), family.id, family.adults[0]!.id)
    const first = await aUser(database.db, { role: 'parent' })
    const second = await aUser(database.db, { role: 'parent' })
    expect((await (await signIn(app.app, first)).post('/parent/link', { code })).statusCode).toBe(303)

    const secondParent = await signIn(app.app, second)
    const reused = await secondParent.post('/parent/link', { code })

    expect(reused.statusCode).toBe(400)
    expect(reused.body).toContain('govuk-error-summary')
    expect(reused.body).toContain('This code has already been used')
    expect(reused.body).toContain(`value="${code}"`)
    expect(await auditRows(second.id)).toContainEqual(
      expect.objectContaining({
        action: 'family-link-code.redeem',
        outcome: 'denied',
        reason: 'used code',
        subject_id: family.id,
      }),
    )
    const user = await database.db
      .selectFrom('users')
      .select('person_id')
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow()
    expect(user.person_id).toBeNull()
    expect((await secondParent.get('/my-family')).body).not.toContain(family.children[0]!.givenName)
  })

  it('refuses an expired code and a wrong code', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const code = await issueCode(await signIn(app.app, practitioner), family.id, family.adults[0]!.id)
    await database.db
      .updateTable('family_link_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('code_hash', '=', hashLinkCode(code))
      .execute()
    const parentUser = await aUser(database.db, { role: 'parent' })
    const parent = await signIn(app.app, parentUser)

    const expired = await parent.post('/parent/link', { code })
    const wrong = await parent.post('/parent/link', { code: 'ACDE-FG34' })
    const malformed = await parent.post('/parent/link', { code: 'abc' })

    expect(expired.statusCode).toBe(400)
    expect(expired.body).toContain('This code has expired')
    expect(wrong.statusCode).toBe(400)
    expect(wrong.body).toContain('The code is not correct')
    expect(wrong.body).toContain('value="ACDE-FG34"')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.body).toContain('The code is 8 letters and numbers')
    expect(malformed.body).toContain('value="abc"')
    expect(
      (await auditRows(parentUser.id))
        .filter(row => row.action === 'family-link-code.redeem')
        .map(row => [row.outcome, row.reason]),
    ).toEqual([
      ['denied', 'expired code'],
      ['denied', 'unknown code'],
      ['denied', 'malformed code'],
    ])
  })

  it('cancels an earlier code when a new one is issued for the same person', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const staff = await signIn(app.app, practitioner)
    const oldCode = await issueCode(staff, family.id, family.adults[0]!.id)
    const newCode = await issueCode(staff, family.id, family.adults[0]!.id)
    const parent = await signIn(app.app, await aUser(database.db, { role: 'parent' }))

    expect((await parent.post('/parent/link', { code: oldCode })).body).toContain('This code has expired')
    expect((await parent.post('/parent/link', { code: newCode })).statusCode).toBe(303)
  })

  it('refuses a code to a practitioner without a relationship, and for an adult without parental responsibility', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db, {
      adults: [
        { relationship: 'mother', parentalResponsibility: true },
        { relationship: 'grandparent', parentalResponsibility: false },
      ],
    })
    const other = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const staff = await signIn(app.app, practitioner)

    const noRelationship = await staff.post(
      `/families/${other.id}/link-code`,
      { personId: other.adults[0]!.id },
      { csrfFrom: `/families/${family.id}/link-code` },
    )
    const noChoice = await staff.post(`/families/${family.id}/link-code`, {})
    const notEligible = await staff.post(`/families/${family.id}/link-code`, { personId: family.adults[1]!.id })

    expect(noRelationship.statusCode).toBe(403)
    expect(noChoice.statusCode).toBe(400)
    expect(noChoice.body).toContain('Select who the code is for')
    expect(notEligible.statusCode).toBe(400)
    expect(notEligible.body).toContain('Select who the code is for')
    const codes = await database.db
      .selectFrom('family_link_codes')
      .select('id')
      .where('family_id', 'in', [family.id, other.id])
      .execute()
    expect(codes).toEqual([])
    const events = (await auditRows(practitioner.id)).filter(row => row.action === 'family-link-code.create')
    expect(events).toEqual([
      expect.objectContaining({ outcome: 'denied', subject_id: other.id, reason: 'no active care relationship' }),
    ])
  })

  it('tells a parent who is already linked, and does not link them twice', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db, {
      adults: [
        { relationship: 'mother', parentalResponsibility: true },
        { relationship: 'father', parentalResponsibility: true },
      ],
    })
    await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const staff = await signIn(app.app, practitioner)
    const first = await issueCode(staff, family.id, family.adults[0]!.id)
    const second = await issueCode(staff, family.id, family.adults[1]!.id)
    const parentUser = await aUser(database.db, { role: 'parent' })
    const parent = await signIn(app.app, parentUser)
    expect((await parent.post('/parent/link', { code: first })).statusCode).toBe(303)

    const twice = await parent.post('/parent/link', { code: second }, { csrfFrom: '/my-family' })

    expect(twice.statusCode).toBe(409)
    expect(twice.body).toContain('Your account is already linked to your family')
    const user = await database.db
      .selectFrom('users')
      .select('person_id')
      .where('id', '=', parentUser.id)
      .executeTakeFirstOrThrow()
    expect(user.person_id).toBe(family.adults[0]!.id)
    const choose = await staff.get(`/families/${family.id}/link-code`)
    expect(choose.body).toContain('Already has an account linked to this family')
    const duplicate = await staff.post(`/families/${family.id}/link-code`, { personId: family.adults[0]!.id })
    expect(duplicate.statusCode).toBe(400)
    expect(duplicate.body).toContain('already has an account linked to this family')
    const unused = await database.db
      .selectFrom('family_link_codes')
      .select('used_at')
      .where('code_hash', '=', hashLinkCode(second))
      .executeTakeFirstOrThrow()
    expect(unused.used_at).toBeNull()
  })

  it('does not show parents the names of staff, or access recorded for safeguarding', async () => {
    const parentUser = await aUser(database.db, { role: 'parent' })
    const family = await aFamily(database.db)
    await database.db
      .updateTable('users')
      .set({ person_id: family.adults[0]!.id })
      .where('id', '=', parentUser.id)
      .execute()
    const socialWorker = await aUser(database.db, { profession: 'social_worker' })
    await database.db
      .insertInto('audit_events')
      .values([
        {
          user_id: socialWorker.id,
          role_code: 'practitioner',
          action: 'family-record.read',
          outcome: 'allowed',
          subject_type: 'family',
          subject_id: family.id,
          purpose: 'safeguarding',
        },
        {
          user_id: socialWorker.id,
          role_code: 'practitioner',
          action: 'family-record.read',
          outcome: 'denied',
          subject_type: 'family',
          subject_id: family.id,
          purpose: 'direct_support',
        },
      ])
      .execute()
    const parent = await signIn(app.app, parentUser)

    const mine = await parent.get('/my-family')

    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('No one has looked at your family’s record yet')
  })

  it('limits attempts to link a code to 10 a minute', async () => {
    const parent = await signIn(app.app, await aUser(database.db, { role: 'parent' }))
    const statuses: number[] = []
    for (let attempt = 0; attempt < 11; attempt++) {
      statuses.push((await parent.post('/parent/link', { code: 'ACDE-FG34' })).statusCode)
    }
    expect(statuses.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 400))
    expect(statuses[10]).toBe(429)
  })
})
