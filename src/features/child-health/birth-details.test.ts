import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aChild, aMeasurement, birthRecordOf, daysAgo, linkParentAccount } from '../../../test/builders/children.js'
import { aCareRelationship, aTestNhsNumber } from '../../../test/builders/families.js'
import { aUser, type TestUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'

let database: DatabaseHandle
let app: App

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

async function auditRows(userId: string, action?: string) {
  let query = database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'reason', 'subject_type', 'subject_id', 'purpose', 'details'])
    .where('user_id', '=', userId)
    .orderBy('id')
  if (action) {
    query = query.where('action', '=', action)
  }
  return query.execute()
}

async function practitionerFor(familyId: string): Promise<{ user: TestUser; browser: Browser }> {
  const user = await aUser(database.db, { role: 'practitioner', profession: 'health_visitor' })
  await aCareRelationship(database.db, { familyId, userId: user.id })
  return { user, browser: await signIn(app.app, user) }
}

function errorSummaryOf(body: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)
  return match ? match[0] : ''
}

function dateOfBirthFields(iso: string): Record<string, string> {
  const [year, month, day] = iso.split('-')
  return {
    'dateOfBirth-day': String(Number(day)),
    'dateOfBirth-month': String(Number(month)),
    'dateOfBirth-year': year ?? '',
  }
}

function validForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...dateOfBirthFields(daysAgo(30)),
    'birthTime-hours': '14',
    'birthTime-minutes': '05',
    sex: 'male',
    'gestation-weeks': '34',
    'gestation-days': '3',
    birthWeight: '2150',
    birthOrder: '1',
    nhsNumber: aTestNhsNumber(),
    ...overrides,
  }
}

describe('recording birth details', () => {
  it('records new birth details and the person record in one change, audited by field name, then shows them', async () => {
    const dateOfBirth = daysAgo(30)
    const child = await aChild(database.db, { givenName: 'Tomos', dateOfBirth, birthDetails: false, nhsNumber: null })
    const { user, browser } = await practitionerFor(child.familyId)

    const before = await browser.get(`/children/${child.id}`)
    expect(before.body).toContain('Birth details have not been recorded')
    expect(before.body).toContain(`href="/children/${child.id}/birth-details">Record birth details</a>`)

    const form = await browser.get(`/children/${child.id}/birth-details`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('Record birth details')
    expect(form.body).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">')
    const [year, month, day] = dateOfBirth.split('-')
    expect(form.body).toContain(`name="dateOfBirth-day" type="text" value="${String(Number(day))}"`)
    expect(form.body).toContain(`name="dateOfBirth-month" type="text" value="${String(Number(month))}"`)
    expect(form.body).toContain(`name="dateOfBirth-year" type="text" value="${year ?? ''}"`)

    const nhsNumber = aTestNhsNumber()
    const saved = await browser.post(
      `/children/${child.id}/birth-details`,
      validForm({
        ...dateOfBirthFields(dateOfBirth),
        nhsNumber: `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`,
      }),
    )
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`/children/${child.id}?saved=birth-details`)

    const { person, birth } = await birthRecordOf(database.db, child.id)
    expect(person).toEqual({ date_of_birth: dateOfBirth, sex: 'male', nhs_number: nhsNumber })
    expect(birth).toEqual(
      expect.objectContaining({
        birth_date: dateOfBirth,
        birth_time: '14:05:00',
        gestation_weeks: 34,
        gestation_days: 3,
        birth_weight_grams: 2150,
        birth_order: 1,
        recorded_by: user.id,
      }),
    )
    const events = await auditRows(user.id, 'child-birth-details.update')
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'allowed',
        subject_type: 'person',
        subject_id: child.id,
        details: expect.objectContaining({
          fields: [
            'birthTime',
            'sex',
            'gestationWeeks',
            'gestationDays',
            'birthWeightGrams',
            'birthOrder',
            'nhsNumber',
          ],
        }) as unknown,
      }),
    ])
    expect(JSON.stringify(events)).not.toContain(nhsNumber)
    expect(JSON.stringify(events)).not.toContain('2150')

    const page = await browser.get(`/children/${child.id}?saved=birth-details`)
    expect(page.body).toContain('The birth details have been saved.')
    expect(page.body).toContain('34+3 weeks')
    expect(page.body).toContain(`href="/children/${child.id}/birth-details">Change birth details</a>`)
    expect(page.body).not.toContain('Birth details have not been recorded')

    const change = await browser.get(`/children/${child.id}/birth-details`)
    expect(change.body).toContain('Change birth details')
    expect(change.body).toContain('value="2150"')

    const again = await browser.post(`/children/${child.id}/birth-details`, {
      ...validForm({ ...dateOfBirthFields(dateOfBirth), nhsNumber }),
      'gestation-weeks': '35',
    })
    expect(again.statusCode).toBe(303)
    expect((await birthRecordOf(database.db, child.id)).birth?.gestation_weeks).toBe(35)
    const last = (await auditRows(user.id, 'child-birth-details.update')).at(-1)
    expect(last?.details).toEqual(expect.objectContaining({ fields: ['gestationWeeks'], created: false }))
  })

  it('refuses each bad input with its message, keeps what was typed and saves nothing', async () => {
    const dateOfBirth = daysAgo(60)
    const child = await aChild(database.db, { dateOfBirth, birthDetails: false })
    const other = await aChild(database.db)
    const otherNhs = (await birthRecordOf(database.db, other.id)).person.nhs_number ?? ''
    const { user, browser } = await practitionerFor(child.familyId)
    const original = await birthRecordOf(database.db, child.id)

    const cases: [Record<string, string>, string, string][] = [
      [dateOfBirthFields(daysAgo(-2)), 'Date of birth must be today or in the past', '#dateOfBirth-day'],
      [{ 'gestation-weeks': '21' }, 'Weeks of gestation must be a whole number from 22 to 44', '#gestation-weeks'],
      [{ 'gestation-weeks': '45' }, 'Weeks of gestation must be a whole number from 22 to 44', '#gestation-weeks'],
      [{ 'gestation-days': '7' }, 'Days of gestation must be a whole number from 0 to 6', '#gestation-days'],
      [
        { birthWeight: '100' },
        'Birth weight must be between 300 grams and 7,000 grams. Enter it in grams, for example 3250 for 3.25 kg',
        '#birthWeight',
      ],
      [{ nhsNumber: '9434765918' }, 'Enter a valid NHS number', '#nhsNumber'],
      [{ nhsNumber: '0000000000' }, 'Enter a valid NHS number', '#nhsNumber'],
      [
        { nhsNumber: otherNhs },
        'This NHS number is already recorded for someone else. Check it with the child health records team',
        '#nhsNumber',
      ],
      [
        { 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '2025' },
        'Date of birth must be a real date',
        '#dateOfBirth-day',
      ],
      [{ 'dateOfBirth-day': 'x' }, 'Date of birth must be a real date', '#dateOfBirth-day'],
      [{ sex: '' }, 'Select the child’s sex', '#sex'],
      [{ birthOrder: '9' }, 'Birth order must be a number from 1 to 8. Enter 1 for a single birth', '#birthOrder'],
      [{ 'birthTime-minutes': '' }, 'Time of birth must include the minutes', '#birthTime-minutes'],
    ]
    for (const [overrides, message, href] of cases) {
      const body = validForm({ ...dateOfBirthFields(dateOfBirth), ...overrides })
      const response = await browser.post(`/children/${child.id}/birth-details`, body)
      expect(response.statusCode, message).toBe(400)
      const summary = errorSummaryOf(response.body)
      expect(summary, message).toContain(message)
      expect(summary, message).toContain(`href="${href}"`)
      expect(response.body).toContain(`value="${body.birthWeight ?? ''}"`)
      expect(await birthRecordOf(database.db, child.id)).toEqual(original)
    }
    const denied = await auditRows(user.id, 'child-birth-details.update')
    expect(denied).toHaveLength(cases.length)
    expect(denied.every(row => row.outcome === 'denied' && row.reason === 'invalid birth details')).toBe(true)
  })

  it('refuses a date of birth after an existing measurement', async () => {
    const child = await aChild(database.db, { dateOfBirth: daysAgo(60) })
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(50), method: 'weight', value: 4 })
    const { browser } = await practitionerFor(child.familyId)
    const before = await birthRecordOf(database.db, child.id)

    const response = await browser.post(
      `/children/${child.id}/birth-details`,
      validForm({ ...dateOfBirthFields(daysAgo(40)), nhsNumber: before.person.nhs_number ?? '' }),
    )

    expect(response.statusCode).toBe(400)
    expect(errorSummaryOf(response.body)).toContain('Date of birth must be on or before the first measurement')
    expect(await birthRecordOf(database.db, child.id)).toEqual(before)
  })

  it('refuses a practitioner without a relationship with 403, audited, and saves nothing', async () => {
    const child = await aChild(database.db, { birthDetails: false })
    const stranger = await aUser(database.db, { role: 'practitioner' })
    const browser = await signIn(app.app, stranger)
    const before = await birthRecordOf(database.db, child.id)

    const form = await browser.get(`/children/${child.id}/birth-details`)
    const post = await browser.post(`/children/${child.id}/birth-details`, validForm(), { csrfFrom: '/home' })

    expect(form.statusCode).toBe(403)
    expect(form.body).not.toContain(child.givenName)
    expect(post.statusCode).toBe(403)
    expect(await birthRecordOf(database.db, child.id)).toEqual(before)
    const denied = (await auditRows(stranger.id)).filter(row => row.outcome === 'denied')
    expect(denied.map(row => [row.action, row.reason, row.subject_id])).toEqual([
      ['family-record.read', 'no active care relationship', child.familyId],
      ['family-record.update', 'no active care relationship', child.familyId],
    ])
  })

  it('does not let a parent reach the form or save', async () => {
    const child = await aChild(database.db, { birthDetails: false })
    const user = await aUser(database.db, { role: 'parent' })
    await linkParentAccount(database.db, user.id, child.parentId)
    const browser = await signIn(app.app, user)
    const before = await birthRecordOf(database.db, child.id)

    const form = await browser.get(`/children/${child.id}/birth-details`)
    const post = await browser.post(`/children/${child.id}/birth-details`, validForm(), {
      csrfFrom: '/my-family/children',
    })
    const own = await browser.get(`/my-family/children/${child.id}`)

    expect(form.statusCode).toBe(403)
    expect(form.body).not.toContain('Save birth details')
    expect(post.statusCode).toBe(403)
    expect(await birthRecordOf(database.db, child.id)).toEqual(before)
    expect(own.statusCode).toBe(200)
    expect(own.body).not.toContain('birth-details')
  })
})
