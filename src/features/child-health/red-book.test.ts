import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aChild, aMeasurement, daysAgo, linkParentAccount, measurementsOf } from '../../../test/builders/children.js'
import { aCareRelationship } from '../../../test/builders/families.js'
import { aUser, type TestUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { calculateMeasurement, measurementRequestSchema } from './growth/index.js'

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

/** A practitioner with an allocated-worker relationship with the child's family, signed in. */
async function practitionerFor(familyId: string): Promise<{ user: TestUser; browser: Browser }> {
  const user = await aUser(database.db, { role: 'practitioner', profession: 'health_visitor' })
  await aCareRelationship(database.db, { familyId, userId: user.id })
  return { user, browser: await signIn(app.app, user) }
}

/** The day, month and year boxes of a date. */
function dateFields(iso: string): Record<string, string> {
  const [year, month, day] = iso.split('-')
  return {
    'observationDate-day': String(Number(day)),
    'observationDate-month': String(Number(month)),
    'observationDate-year': year ?? '',
  }
}

/** An SDS as the page writes it: 2 decimal places, a true minus sign. */
function shownSds(sds: number): string {
  return `${sds < 0 ? '\u2212' : '+'}${Math.abs(sds).toFixed(2)}`
}

function errorSummaryOf(body: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)
  return match ? match[0] : ''
}

describe('the practitioner’s red book', () => {
  it('shows the child, birth details and parents to a practitioner with a relationship, and audits the read', async () => {
    const child = await aChild(database.db, {
      givenName: 'Amara',
      dateOfBirth: daysAgo(90),
      nhsNumber: '9434765919',
      gestationWeeks: 38,
      gestationDays: 2,
      birthWeightGrams: 3120,
      adults: [{ givenName: 'Joy', relationship: 'mother', parentalResponsibility: true }],
    })
    const { user, browser } = await practitionerFor(child.familyId)

    const response = await browser.get(`/children/${child.id}`)

    expect(response.statusCode).toBe(200)
    expect(response.body).toContain(`Amara ${child.familyName}`)
    expect(response.body).toContain('943 476 5919')
    expect(response.body).toContain('38 weeks and 2 days (born 1 week and 5 days before the due date)')
    expect(response.body).toContain('3.12 kg (3,120 g)')
    expect(response.body).toContain(`Joy ${child.familyName} (Mother, parental responsibility)`)
    expect(response.body).toContain('Add a measurement')
    expect(response.body.match(/<h1/g)).toHaveLength(1)
    expect(await auditRows(user.id, 'family-record.read')).toEqual([
      expect.objectContaining({
        outcome: 'allowed',
        subject_type: 'family',
        subject_id: child.familyId,
        purpose: 'direct_support',
        details: expect.objectContaining({
          childId: child.id,
          page: 'red-book',
          basis: 'care_relationship',
        }) as unknown,
      }),
    ])
  })

  it('flags an NHS number that fails the modulus 11 check', async () => {
    const child = await aChild(database.db, { nhsNumber: '9434765918' })
    const { browser } = await practitionerFor(child.familyId)
    const response = await browser.get(`/children/${child.id}`)
    expect(response.body).toContain(
      '943 476 5918: this is not a valid NHS number. Check it with the child health records team',
    )
  })

  it('records a weight in one transaction with its audit event, and shows it with the engine’s SDS', async () => {
    const child = await aChild(database.db, { dateOfBirth: daysAgo(70), sex: 'male', birthWeightGrams: 3500 })
    const { user, browser } = await practitionerFor(child.familyId)
    const observed = daysAgo(10)

    const saved = await browser.post(`/children/${child.id}/measurements/new`, {
      ...dateFields(observed),
      measurementMethod: 'weight',
      value: '4850',
      unit: 'g',
      place: 'Riverside family hub',
    })

    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`/children/${child.id}?saved=measurement#measurements`)
    const rows = await measurementsOf(database.db, child.id)
    expect(rows).toEqual([
      expect.objectContaining({
        observation_date: observed,
        measurement_method: 'weight',
        unit: 'kg',
        value: 4.85,
        measured_by_user_id: user.id,
        measured_by_role: 'health_visitor',
        source: 'practitioner',
        place: 'Riverside family hub',
        superseded_by: null,
      }),
    ])
    expect(await auditRows(user.id, 'growth-measurement.create')).toEqual([
      expect.objectContaining({
        outcome: 'allowed',
        subject_id: child.familyId,
        details: expect.objectContaining({
          childId: child.id,
          measurementId: rows[0]!.id,
          permission: 'family-record.update',
        }) as unknown,
      }),
    ])

    const page = await browser.get(`/children/${child.id}?saved=measurement`)
    const expected = calculateMeasurement(
      measurementRequestSchema.parse({
        birth_date: child.dateOfBirth,
        observation_date: observed,
        observation_value: 4.85,
        sex: 'male',
        measurement_method: 'weight',
        gestation_weeks: 40,
        gestation_days: 0,
      }),
    ).measurement_calculated_values
    expect(page.body).toContain('The measurement has been saved.')
    expect(page.body).toContain('4.85 kg')
    expect(page.body).toContain(shownSds(expected.corrected_sds!))
    expect(page.body).toContain(expected.corrected_centile_band!)
    expect(page.body).toContain('Test practitioner, Health visitor')
    expect(page.body).toContain('Riverside family hub')
  })

  it('refuses a practitioner without a relationship with 403, saves nothing and audits both refusals', async () => {
    const child = await aChild(database.db)
    const stranger = await aUser(database.db, { role: 'practitioner' })
    const browser = await signIn(app.app, stranger)

    const page = await browser.get(`/children/${child.id}`)
    const form = await browser.get(`/children/${child.id}/measurements/new`)
    const post = await browser.post(
      `/children/${child.id}/measurements/new`,
      { ...dateFields(daysAgo(3)), measurementMethod: 'weight', value: '5', unit: 'kg' },
      { csrfFrom: '/home' },
    )

    expect(page.statusCode).toBe(403)
    expect(page.body).toContain('You do not have a care relationship with this family')
    expect(page.body).not.toContain(child.givenName)
    expect(form.statusCode).toBe(403)
    expect(post.statusCode).toBe(403)
    expect(await measurementsOf(database.db, child.id)).toEqual([])
    const denied = (await auditRows(stranger.id)).filter(row => row.outcome === 'denied')
    expect(denied.map(row => [row.action, row.reason, row.subject_id])).toEqual([
      ['family-record.read', 'no active care relationship', child.familyId],
      ['family-record.read', 'no active care relationship', child.familyId],
      ['growth-measurement.create', 'no active care relationship', child.familyId],
    ])
  })

  it('answers 404 for an unknown or malformed child id, and for an adult’s id, auditing each', async () => {
    const child = await aChild(database.db)
    const { user, browser } = await practitionerFor(child.familyId)

    const unknown = await browser.get('/children/6f1c0b52-3a44-4b7e-9d8e-0c1d2e3f4a5b')
    const malformed = await browser.get("/children/1'%20OR%201=1")
    const adult = await browser.get(`/children/${child.parentId}`)

    expect([unknown.statusCode, malformed.statusCode, adult.statusCode]).toEqual([404, 404, 404])
    const denied = (await auditRows(user.id)).filter(row => row.outcome === 'denied')
    expect(denied.map(row => row.reason)).toEqual(['unknown child', 'malformed child id', 'unknown child'])
  })

  it.each([
    [
      'a date before birth',
      (born: string) => ({ ...dateFields(daysAgo(200)), measurementMethod: 'weight', value: '4.2', unit: 'kg', born }),
      'Date measured must be on or after',
      '#observationDate-day',
    ],
    [
      'a date in the future',
      () => ({ ...dateFields(daysAgo(-3)), measurementMethod: 'weight', value: '4.2', unit: 'kg' }),
      'Date measured must be today or in the past',
      '#observationDate-day',
    ],
    [
      'an impossible value for the age',
      () => ({ ...dateFields(daysAgo(5)), measurementMethod: 'weight', value: '45', unit: 'kg' }),
      'A weight of 45.00 kg is not possible for a girl of',
      '#value',
    ],
    [
      'a value outside the hard limits (grams typed as kilograms)',
      () => ({ ...dateFields(daysAgo(5)), measurementMethod: 'weight', value: '5200', unit: 'kg' }),
      'Weight must be between 0.2 kg and 250 kg. If you weighed in grams, select grams',
      '#value',
    ],
    [
      'a malformed date',
      () => ({
        'observationDate-day': '31',
        'observationDate-month': '2',
        'observationDate-year': '2025',
        measurementMethod: 'weight',
        value: '4.2',
        unit: 'kg',
      }),
      'Date measured must be a real date',
      '#observationDate-day',
    ],
    [
      'a date with letters in it',
      () => ({
        'observationDate-day': '3',
        'observationDate-month': 'March',
        'observationDate-year': '2025',
        measurementMethod: 'weight',
        value: '4.2',
        unit: 'kg',
      }),
      'Date measured must be a real date',
      '#observationDate-month',
    ],
    [
      'a date without a year',
      () => ({
        'observationDate-day': '3',
        'observationDate-month': '3',
        'observationDate-year': '',
        measurementMethod: 'weight',
        value: '4.2',
        unit: 'kg',
      }),
      'Date measured must include a year',
      '#observationDate-year',
    ],
    [
      'an unknown measurement type',
      () => ({ ...dateFields(daysAgo(5)), measurementMethod: 'bmi', value: '15', unit: 'kg' }),
      'Select what was measured',
      '#measurementMethod',
    ],
    [
      'a weight in centimetres',
      () => ({ ...dateFields(daysAgo(5)), measurementMethod: 'weight', value: '4.2', unit: 'cm' }),
      'A weight must be in kilograms or grams',
      '#unit',
    ],
    [
      'a length in kilograms',
      () => ({ ...dateFields(daysAgo(5)), measurementMethod: 'height', value: '60', unit: 'kg' }),
      'A length or height must be in centimetres or millimetres',
      '#unit',
    ],
    [
      'a value that is not a number',
      () => ({ ...dateFields(daysAgo(5)), measurementMethod: 'height', value: '60cm', unit: 'cm' }),
      'Length or height must be a number, like 62.4',
      '#value',
    ],
  ] as const)(
    'refuses %s with a precise error, keeps what was typed and saves nothing',
    async (_label, form, message, href) => {
      const child = await aChild(database.db, { dateOfBirth: daysAgo(100) })
      const { user, browser } = await practitionerFor(child.familyId)
      const body: Record<string, string> = { ...form(child.dateOfBirth) }
      delete body.born

      const response = await browser.post(`/children/${child.id}/measurements/new`, body)

      expect(response.statusCode).toBe(400)
      const summary = errorSummaryOf(response.body)
      expect(summary).toContain(message)
      expect(summary).toContain(`href="${href}"`)
      expect(response.body).toContain('<title>Error: Add a measurement')
      expect(response.body).toContain(`value="${body.value ?? ''}"`)
      expect(response.body).toContain(`value="${body['observationDate-day'] ?? ''}"`)
      expect(await measurementsOf(database.db, child.id)).toEqual([])
      expect(await auditRows(user.id, 'growth-measurement.create')).toEqual([
        expect.objectContaining({ outcome: 'denied', reason: 'invalid measurement', subject_id: child.familyId }),
      ])
    },
  )

  it('asks to check an implausible value, saves nothing until confirmed, then saves it', async () => {
    const child = await aChild(database.db, { dateOfBirth: daysAgo(100), sex: 'female' })
    const { user, browser } = await practitionerFor(child.familyId)
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(40), method: 'weight', value: 4.6 })
    const form = { ...dateFields(daysAgo(2)), measurementMethod: 'weight', value: '9.9', unit: 'kg', place: 'Home' }

    const warning = await browser.post(`/children/${child.id}/measurements/new`, form)

    expect(warning.statusCode).toBe(200)
    expect(warning.body).toContain('Check this measurement')
    expect(warning.body).toContain('This weight is well outside the normal range for a girl of this age')
    expect(warning.body).toContain('This is a big change from the last weight, 4.60 kg on')
    expect(warning.body).toContain('Yes, save it')
    expect(warning.body).toContain('name="value" value="9.9"')
    expect(await measurementsOf(database.db, child.id)).toHaveLength(1)

    const change = await browser.post(
      `/children/${child.id}/measurements/new`,
      { ...form, confirmed: 'change' },
      { csrfFrom: `/children/${child.id}` },
    )
    expect(change.statusCode).toBe(200)
    expect(change.body).toContain('Save measurement')
    expect(change.body).toContain('value="9.9"')
    expect(change.body).not.toContain('govuk-error-summary')

    const confirmed = await browser.post(
      `/children/${child.id}/measurements/new`,
      { ...form, confirmed: 'yes' },
      { csrfFrom: `/children/${child.id}` },
    )
    expect(confirmed.statusCode).toBe(303)
    const rows = await measurementsOf(database.db, child.id)
    expect(rows.map(row => row.value)).toEqual([4.6, 9.9])
    expect((await auditRows(user.id, 'growth-measurement.create')).map(row => [row.outcome, row.reason])).toEqual([
      ['denied', 'measurement to be confirmed'],
      ['allowed', null],
    ])
  })

  it('keeps the history of a correction: the old row stays, marked superseded, and the page shows both', async () => {
    const child = await aChild(database.db, { dateOfBirth: daysAgo(100) })
    const { user, browser } = await practitionerFor(child.familyId)
    const originalId = await aMeasurement(database.db, {
      childId: child.id,
      observationDate: daysAgo(20),
      method: 'weight',
      value: 6.8,
    })

    const form = await browser.get(`/children/${child.id}/measurements/${originalId}/correct`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('6.80 kg')
    expect(form.body).toContain('govuk-input__suffix')

    const invalid = await browser.post(`/children/${child.id}/measurements/${originalId}/correct`, {
      value: '6.8',
      reason: '',
    })
    expect(invalid.statusCode).toBe(400)
    expect(errorSummaryOf(invalid.body)).toContain('Enter a different weight from the one recorded')
    expect(errorSummaryOf(invalid.body)).toContain('Enter why the value is being corrected')

    const corrected = await browser.post(`/children/${child.id}/measurements/${originalId}/correct`, {
      value: '5.8',
      reason: 'Typed 6.8 instead of 5.8',
    })
    expect(corrected.statusCode).toBe(303)
    const rows = await measurementsOf(database.db, child.id)
    expect(rows).toHaveLength(2)
    const [original, correction] = rows
    expect(original).toMatchObject({ id: originalId, value: 6.8, superseded_by: correction!.id, corrected_from: null })
    expect(correction).toMatchObject({
      value: 5.8,
      corrected_from: originalId,
      correction_reason: 'Typed 6.8 instead of 5.8',
      superseded_by: null,
    })
    expect(await auditRows(user.id, 'growth-measurement.correct')).toEqual([
      expect.objectContaining({ outcome: 'denied', reason: 'invalid correction' }),
      expect.objectContaining({
        outcome: 'allowed',
        details: expect.objectContaining({
          childId: child.id,
          measurementId: originalId,
          correctionId: correction!.id,
        }) as unknown,
      }),
    ])

    const page = await browser.get(`/children/${child.id}?saved=correction`)
    expect(page.body).toContain('The correction has been saved')
    expect(page.body).toContain('5.80 kg')
    expect(page.body).toContain('Corrected from 6.80 kg on')
    expect(page.body).toContain('Reason: Typed 6.8 instead of 5.8')

    const again = await browser.post(`/children/${child.id}/measurements/${originalId}/correct`, {
      value: '5.9',
      reason: 'Again',
    })
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('This measurement has already been corrected')
    expect(await measurementsOf(database.db, child.id)).toHaveLength(2)

    // The database refuses to rewrite history, whoever asks.
    await expect(
      sql`UPDATE growth_measurements SET value = 1 WHERE id = ${originalId}`.execute(database.db),
    ).rejects.toThrow(/keeps its history/)
  })

  it('draws the charts as SVG: centile lines, the plotted points, title and description, no <style>, no NaN', async () => {
    const child = await aChild(database.db, {
      dateOfBirth: daysAgo(150),
      sex: 'female',
      gestationWeeks: 32,
      gestationDays: 3,
      birthWeightGrams: 1740,
    })
    const { browser } = await practitionerFor(child.familyId)
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(120), method: 'weight', value: 2.3 })
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(60), method: 'weight', value: 3.9 })
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(60), method: 'height', value: 54.5 })
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(60), method: 'ofc', value: 37.2 })

    const response = await browser.get(`/children/${child.id}`)

    expect(response.statusCode).toBe(200)
    const svgs = response.body.match(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*?<\/svg>/g) ?? []
    expect(svgs).toHaveLength(3)
    const weight = svgs[0]!
    expect(weight).toContain('role="img"')
    expect(weight).toMatch(/<title id="chart-weight-title">Weight chart for Child\w+ \w+, 0 to 1 year<\/title>/)
    expect(weight).toContain('<desc id="chart-weight-desc">UK-WHO weight chart for girls')
    for (const centile of [0.4, 2, 9, 25, 50, 75, 91, 98, 99.6]) {
      expect(weight).toContain(`data-centile="${String(centile)}"`)
    }
    // RCPCH's default for these points (their mean corrected age is under 2 weeks): corrected age only, as crosses.
    expect(weight.match(/data-point="corrected"/g)).toHaveLength(3)
    expect(weight).not.toContain('data-point="chronological"')
    expect(weight).toContain('>Term</text>')
    expect(weight).toContain('32 wk')
    for (const svg of svgs) {
      expect(svg).not.toContain('<style')
      expect(svg).not.toContain('NaN')
      expect(svg).not.toContain('style=')
    }
    expect(response.body).toContain('Correction for gestational age has been made.')
    expect(response.body).toContain('Corrected: ')
    expect(response.body).toContain('1,740 g')

    const older = await browser.get(`/children/${child.id}?range=2-18`)
    expect(older.body).toContain('Growth charts, 2 to 18 years')
    expect(older.body).toContain('No weight measurements in this age range.')
    expect(older.body).not.toContain('NaN')

    // Both ages: birth weight and two weights, each as a dot at actual age and a cross at corrected age, joined.
    const both = await browser.get(`/children/${child.id}?range=0-1&ages=both`)
    const bothWeight = (both.body.match(/<svg xmlns[\s\S]*?<\/svg>/) ?? [''])[0]
    expect(bothWeight.match(/data-point="chronological"/g)).toHaveLength(3)
    expect(bothWeight.match(/data-point="corrected"/g)).toHaveLength(3)
    expect(bothWeight.match(/data-join="yes"/g)).toHaveLength(3)
    expect(both.body).toContain('<strong>Actual and corrected age (shown)</strong>')

    const chronological = await browser.get(`/children/${child.id}?range=0-1&ages=chronological`)
    const chronologicalWeight = (chronological.body.match(/<svg xmlns[\s\S]*?<\/svg>/) ?? [''])[0]
    expect(chronologicalWeight).not.toContain('data-point="corrected"')
    expect(chronologicalWeight.match(/data-point="chronological"/g)).toHaveLength(3)

    const print = await browser.get(`/children/${child.id}?range=0-1&print=1`)
    expect(print.statusCode).toBe(200)
    expect(print.body).toContain('Growth charts for')
    expect(print.body).not.toContain('Add a measurement')
    expect(print.body.match(/<svg xmlns/g)).toHaveLength(3)
  })

  it('shows a BMI chart from 2 years when a weight and a height share a date', async () => {
    const child = await aChild(database.db, { dateOfBirth: daysAgo(365 * 3), sex: 'male' })
    const { browser } = await practitionerFor(child.familyId)
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(30), method: 'weight', value: 14.2 })
    await aMeasurement(database.db, { childId: child.id, observationDate: daysAgo(30), method: 'height', value: 95.1 })

    const response = await browser.get(`/children/${child.id}`)

    expect(response.body).toContain('Growth charts, 0 to 4 years')
    expect(response.body).toContain('<title id="chart-bmi-title">Body mass index (BMI) chart')
    expect(response.body).toContain('15.7 kg/m²')
    expect(response.body).not.toContain('NaN')
  })
})

describe('the parent’s red book', () => {
  async function parentOf(personId: string): Promise<{ user: TestUser; browser: Browser }> {
    const user = await aUser(database.db, { role: 'parent' })
    await linkParentAccount(database.db, user.id, personId)
    return { user, browser: await signIn(app.app, user) }
  }

  it('shows the engine’s lay comments, explains centiles and lists the children', async () => {
    const child = await aChild(database.db, {
      givenName: 'Anaya',
      dateOfBirth: daysAgo(150),
      gestationWeeks: 32,
      gestationDays: 3,
      birthWeightGrams: 1740,
    })
    await aMeasurement(database.db, {
      childId: child.id,
      observationDate: daysAgo(60),
      method: 'weight',
      value: 3.9,
      userId: null,
    })
    const { user, browser } = await parentOf(child.parentId)

    const list = await browser.get('/my-family/children')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain(`href="/my-family/children/${child.id}"`)

    const response = await browser.get(`/my-family/children/${child.id}`)

    expect(response.statusCode).toBe(200)
    expect(response.body).toContain(
      'Because your child was born at 32+3 weeks gestation an adjustment has been made to take this into account.',
    )
    expect(response.body).not.toContain('Correction for gestational age has been made.')
    expect(response.body).toContain('What the centile lines mean')
    expect(response.body).toContain('3.90 kg')
    expect(response.body).not.toContain('Test practitioner')
    expect(response.body).not.toContain('>SDS<')
    expect(response.body).not.toContain('Add a measurement')
    expect(response.body).not.toContain('/correct')
    expect(response.body.match(/<svg xmlns/g)).toHaveLength(3)
    expect(await auditRows(user.id, 'own-family.read')).toContainEqual(
      expect.objectContaining({
        outcome: 'allowed',
        purpose: 'own_family',
        details: expect.objectContaining({ childId: child.id, basis: 'family_member' }) as unknown,
      }),
    )
  })

  it('lets a parent add a note, audited, which the practitioner then sees; refuses an empty one', async () => {
    const child = await aChild(database.db)
    const { user, browser } = await parentOf(child.parentId)

    const empty = await browser.post(`/my-family/children/${child.id}/notes`, { text: '   ' })
    expect(empty.statusCode).toBe(400)
    expect(errorSummaryOf(empty.body)).toContain('Enter your note')
    expect(errorSummaryOf(empty.body)).toContain('href="#text"')

    const tooLong = await browser.post(`/my-family/children/${child.id}/notes`, { text: 'x'.repeat(2001) })
    expect(tooLong.statusCode).toBe(400)
    expect(errorSummaryOf(tooLong.body)).toContain('Your note must be 2,000 characters or fewer')

    const added = await browser.post(`/my-family/children/${child.id}/notes`, {
      text: 'Feeding every 3 hours <b>now</b>.',
    })
    expect(added.statusCode).toBe(303)
    expect(added.headers.location).toBe(`/my-family/children/${child.id}?noted=yes#notes`)
    const notes = await database.db.selectFrom('red_book_notes').selectAll().where('person_id', '=', child.id).execute()
    expect(notes).toEqual([
      expect.objectContaining({ author_user_id: user.id, text: 'Feeding every 3 hours <b>now</b>.' }),
    ])
    expect((await auditRows(user.id, 'red-book-note.create')).map(row => [row.outcome, row.reason])).toEqual([
      ['denied', 'invalid note'],
      ['denied', 'invalid note'],
      ['allowed', null],
    ])

    const own = await browser.get(`/my-family/children/${child.id}?noted=yes`)
    expect(own.body).toContain('Your note has been added to the red book.')
    expect(own.body).toContain('Feeding every 3 hours &lt;b&gt;now&lt;/b&gt;.')

    const { browser: practitioner } = await practitionerFor(child.familyId)
    const page = await practitioner.get(`/children/${child.id}`)
    expect(page.body).toContain('Notes from parents and carers')
    expect(page.body).toContain('Feeding every 3 hours &lt;b&gt;now&lt;/b&gt;.')
    expect(page.body).toContain('Test parent (parent or carer)')
  })

  it('answers 404 to a parent of another family, for the page and for a note, and saves nothing', async () => {
    const child = await aChild(database.db)
    const other = await aChild(database.db)
    const { user, browser } = await parentOf(other.parentId)

    const page = await browser.get(`/my-family/children/${child.id}`)
    const note = await browser.post(
      `/my-family/children/${child.id}/notes`,
      { text: 'Hello' },
      { csrfFrom: '/my-family/children' },
    )

    expect(page.statusCode).toBe(404)
    expect(page.body).not.toContain(child.givenName)
    expect(note.statusCode).toBe(404)
    expect(
      await database.db.selectFrom('red_book_notes').selectAll().where('person_id', '=', child.id).execute(),
    ).toEqual([])
    const denied = (await auditRows(user.id)).filter(row => row.outcome === 'denied')
    expect(denied.map(row => [row.action, row.reason])).toEqual([
      ['own-family.read', 'not a member of this family'],
      ['red-book-note.create', 'not a member of this family'],
    ])
  })

  it('sends a parent whose account is not linked to link it first', async () => {
    const user = await aUser(database.db, { role: 'parent' })
    const browser = await signIn(app.app, user)
    const list = await browser.get('/my-family/children')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('Your account is not linked to your family yet')
  })
})
