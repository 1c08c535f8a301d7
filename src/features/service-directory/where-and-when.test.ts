/**
 * Where and when: managers add venues (existing or new, found by postcode), regular sessions, one-off events and
 * closures, change and remove them; forms keep what was typed; a voluntary organisation's change to a published
 * service waits for approval; other organisations are refused and the refusal is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aDirectoryOrganisation, aLocation, aNetwork, aPostcode, aService } from '../../../test/builders/services.js'
import { anOrganisation, aUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, testConfig, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { clearPostcodeCache } from './postcodes.js'
import { directoryIndexOptions } from './search-index.js'

let database: DatabaseHandle
directoryIndexOptions.checkEveryMs = 0
let app: App
let council: string
let charity: string
let councilDirectory: string
let charityDirectory: string
let browsers: { la: Browser; vcs: Browser; admin: Browser; otherLa: Browser }
const laCode = testConfig.authority.code

async function post(browser: Browser, url: string, values: Record<string, string | string[]>, csrfFrom = url) {
  return browser.post(url, values, { csrfFrom })
}

async function schedules(serviceId: string) {
  return database.db
    .selectFrom('directory_schedules')
    .selectAll()
    .where('service_id', '=', serviceId)
    .orderBy('kind')
    .orderBy('opens_at')
    .execute()
}

async function venuesOf(serviceId: string): Promise<string[]> {
  return (
    await database.db
      .selectFrom('directory_service_at_locations')
      .select('location_id')
      .where('service_id', '=', serviceId)
      .execute()
  ).map(row => row.location_id)
}

async function audit(subjectId: string) {
  return database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'reason', 'details'])
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute()
}

const session = (overrides: Record<string, string | string[]> = {}) => ({
  description: 'Baby group',
  days: ['MO', 'WE'],
  opensAt: '10:00',
  closesAt: '11:30am',
  termTimeOnly: 'yes',
  'validFrom-day': '',
  'validFrom-month': '',
  'validFrom-year': '',
  'validTo-day': '',
  'validTo-month': '',
  'validTo-year': '',
  ...overrides,
})

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  const db = database.db
  clearPostcodeCache()
  await aPostcode(db, 'NM1 1AA', 54.2, -2.1, laCode)
  await aPostcode(db, 'NM2 2BB', 54.25, -2.15, laCode)
  council = await anOrganisation(db, { name: 'Where County Council', kind: 'local_authority' })
  charity = await anOrganisation(db, { name: 'Where Family Charity', kind: 'voluntary_organisation' })
  const otherCouncil = await anOrganisation(db, { name: 'Other Borough Council', kind: 'local_authority' })
  councilDirectory = await aDirectoryOrganisation(db, { organisationId: council })
  charityDirectory = await aDirectoryOrganisation(db, { organisationId: charity })
  browsers = {
    la: await signIn(app.app, await aUser(db, { role: 'service_manager', organisationId: council })),
    vcs: await signIn(app.app, await aUser(db, { role: 'service_manager', organisationId: charity })),
    admin: await signIn(app.app, await aUser(db, { role: 'directory_admin', organisationId: council })),
    otherLa: await signIn(app.app, await aUser(db, { role: 'service_manager', organisationId: otherCouncil })),
  }
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

describe('a local authority service manager', () => {
  let id: string
  let base: string
  let venueId: string

  beforeAll(async () => {
    id = (await aService(database.db, { name: 'Stay and play', directoryOrganisationId: councilDirectory })).id
    base = `/directory/manage/services/${id}`
  })

  it('adds a new venue: an unknown postcode is an error on the field, and what they typed stays', async () => {
    const page = await browsers.la.get(`${base}/where-and-when`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('The service has no venues')
    const venue = {
      name: 'Ashby Community Centre',
      address1: '1 Mill Lane',
      address2: '',
      city: 'Ashby Moor',
      postcode: 'NM9 9ZZ',
      confidential: 'yes',
    }
    const unknown = await post(browsers.la, `${base}/venues/new`, venue)
    expect(unknown.statusCode).toBe(400)
    expect(unknown.body).toContain('govuk-error-summary')
    expect(unknown.body).toContain('href="#postcode"')
    expect(unknown.body).toContain('We cannot find the postcode NM9 9ZZ')
    expect(unknown.body).toContain('value="Ashby Community Centre"')
    expect(unknown.body).toMatch(/value="yes" checked/)
    const saved = await post(browsers.la, `${base}/venues/new`, { ...venue, postcode: 'nm1 1aa' })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`${base}/where-and-when?done=saved`)
    const [linked] = await venuesOf(id)
    venueId = linked ?? ''
    const row = await database.db
      .selectFrom('directory_locations')
      .selectAll()
      .where('id', '=', venueId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      name: 'Ashby Community Centre',
      postal_code: 'NM1 1AA',
      latitude: 54.2,
      longitude: -2.1,
      la_code: laCode,
      confidential: true,
      directory_organisation_id: councilDirectory,
    })
    const events = await audit(venueId)
    expect(events.map(event => [event.action, event.outcome])).toEqual([['directory-location.create', 'allowed']])
  })

  it('adds a regular session: no day and reversed times are errors, and what they typed stays', async () => {
    const url = `${base}/sessions/new?venue=${venueId}`
    expect((await browsers.la.get(url)).statusCode).toBe(200)
    const wrong = await post(browsers.la, url, session({ days: [], opensAt: '14:00', closesAt: '1pm' }))
    expect(wrong.statusCode).toBe(400)
    expect(wrong.body).toContain('Choose at least one day the session runs')
    expect(wrong.body).toContain('The finish time must be after the start time')
    expect(wrong.body).toContain('value="Baby group"')
    expect(wrong.body).toContain('value="14:00"')
    const badDate = await post(browsers.la, url, session({ 'validFrom-day': '31', 'validFrom-month': '2' }))
    expect(badDate.body).toContain('The date of the first session must include a year')
    expect(badDate.body).toContain('href="#validFrom-day"')
    const saved = await post(browsers.la, url, session())
    expect(saved.statusCode).toBe(303)
    const [row] = await schedules(id)
    expect(row).toMatchObject({
      kind: 'regular',
      freq: 'WEEKLY',
      byday: 'MO,WE',
      day_mask: 0b101,
      term_time_only: true,
      description: 'Baby group',
    })
    expect(row?.opens_at?.slice(0, 5)).toBe('10:00')
    expect(row?.closes_at?.slice(0, 5)).toBe('11:30')
    const publicPage = await app.app.inject({ method: 'GET', url: `/find-support/services/${id}` })
    expect(publicPage.body).toContain('Baby group: Mondays and Wednesdays, 10am to 11:30am, term time only')
    // A confidential venue: never the address (what families see instead is confidential-venues.test.ts's business).
    expect(publicPage.body).not.toContain('1 Mill Lane')
    expect(publicPage.body).not.toContain('NM1 1AA')
  })

  it('changes a session to Saturdays, keeping its id and a consistent day mask', async () => {
    const [before] = await schedules(id)
    const url = `${base}/sessions/${before?.id ?? ''}`
    const form = await browsers.la.get(url)
    expect(form.body).toMatch(/value="MO" checked/)
    expect(form.body).toContain('value="Baby group"')
    const saved = await post(browsers.la, url, session({ days: 'SA', termTimeOnly: [] }))
    expect(saved.statusCode).toBe(303)
    const [after] = await schedules(id)
    expect(after).toMatchObject({ id: before?.id, byday: 'SA', day_mask: 1 << 5, term_time_only: false })
  })

  it('adds a one-off event and a closure; a closure that ends before it starts is an error', async () => {
    const event = await post(browsers.la, `${base}/events/new?venue=${venueId}`, {
      description: 'Summer fun day',
      'dtstart-day': '1',
      'dtstart-month': '8',
      'dtstart-year': '2099',
      opensAt: '10am',
      closesAt: '3pm',
    })
    expect(event.statusCode).toBe(303)
    const closureUrl = `${base}/closures/new`
    const backwards = await post(browsers.la, closureUrl, {
      description: 'Christmas closure',
      'validFrom-day': '2',
      'validFrom-month': '1',
      'validFrom-year': '2099',
      'validTo-day': '21',
      'validTo-month': '12',
      'validTo-year': '2098',
    })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.body).toContain('The last day of the closure must be the same as or after the first day')
    expect(backwards.body).toContain('value="Christmas closure"')
    expect(backwards.body).toContain('value="2098"')
    const closure = await post(browsers.la, closureUrl, {
      description: 'Christmas closure',
      'validFrom-day': '21',
      'validFrom-month': '12',
      'validFrom-year': '2098',
      'validTo-day': '2',
      'validTo-month': '1',
      'validTo-year': '2099',
    })
    expect(closure.statusCode).toBe(303)
    const rows = await schedules(id)
    expect(rows.map(row => row.kind).sort()).toEqual(['closure', 'event', 'regular'])
    const eventRow = rows.find(row => row.kind === 'event')
    // 1 August 2099 is a Saturday.
    expect(eventRow).toMatchObject({ dtstart: '2099-08-01', day_mask: 1 << 5 })
    expect(eventRow?.service_at_location_id).not.toBeNull()
    expect(rows.find(row => row.kind === 'closure')).toMatchObject({
      valid_from: '2098-12-21',
      valid_to: '2099-01-02',
      service_at_location_id: null,
    })
    const overview = await browsers.la.get(`${base}/where-and-when`)
    expect(overview.body).toContain('Summer fun day: Saturday 1 August 2099, 10am to 3pm')
    expect(overview.body).toContain('Closed from 21 December 2098 to 2 January 2099 (Christmas closure)')
  })

  it('records every change as a version of “Venues and times”, audited as a service update', async () => {
    const versions = await database.db
      .selectFrom('directory_service_versions')
      .select(['kind', 'changed_fields', 'snapshot'])
      .where('service_id', '=', id)
      .orderBy('version')
      .execute()
    expect(versions.slice(1).map(version => version.kind)).toEqual(['edited', 'edited', 'edited', 'edited', 'edited'])
    expect(versions.slice(1).every(version => version.changed_fields.join() === 'whereAndWhen')).toBe(true)
    expect(versions.at(-1)?.snapshot).toHaveProperty('whereAndWhen.schedules')
    const updates = (await audit(id)).filter(event => event.action === 'directory-service.update')
    expect(updates.map(event => (event.details as { whereAndWhen: string }).whereAndWhen)).toEqual([
      'venue-created',
      'session-added',
      'session-changed',
      'event-added',
      'closure-added',
    ])
    expect((await browsers.la.get(base)).body).toContain('Changed: Venues and times')
  })

  it('removes a session, then the venue with everything at it', async () => {
    const regular = (await schedules(id)).find(row => row.kind === 'regular')
    const removed = await post(
      browsers.la,
      `${base}/sessions/${regular?.id ?? ''}/delete`,
      {},
      `${base}/sessions/${regular?.id ?? ''}`,
    )
    expect(removed.statusCode).toBe(303)
    expect((await schedules(id)).map(row => row.kind).sort()).toEqual(['closure', 'event'])
    const confirm = await browsers.la.get(`${base}/venues/${venueId}/remove`)
    expect(confirm.body).toContain('The 1 session or event there will be removed too.')
    const gone = await post(browsers.la, `${base}/venues/${venueId}/remove`, {})
    expect(gone.statusCode).toBe(303)
    expect(await venuesOf(id)).toEqual([])
    expect((await schedules(id)).map(row => row.kind)).toEqual(['closure'])
    const still = await database.db.selectFrom('directory_locations').select('id').where('id', '=', venueId).execute()
    expect(still).toHaveLength(1)
  })

  it('adds a family hub venue or one of their own, but not another provider’s', async () => {
    const network = await aNetwork(database.db, { laCode })
    const hub = await aLocation(database.db, { name: 'Ashby Family Hub', networkId: network.id, laCode })
    const theirs = await aLocation(database.db, { name: 'Charity Hall' })
    await database.db
      .updateTable('directory_locations')
      .set({ directory_organisation_id: charityDirectory })
      .where('id', '=', theirs)
      .execute()
    const page = await browsers.la.get(`${base}/venues/add`)
    expect(page.body).toContain('Ashby Family Hub')
    expect(page.body).not.toContain('Charity Hall')
    const refused = await post(browsers.la, `${base}/venues/add`, { locationId: theirs })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('Choose a venue from the list')
    const empty = await post(browsers.la, `${base}/venues/add`, { locationId: '' })
    expect(empty.body).toContain('Choose a venue')
    const added = await post(browsers.la, `${base}/venues/add`, { locationId: hub })
    expect(added.statusCode).toBe(303)
    expect(await venuesOf(id)).toEqual([hub])
  })
})

describe('a voluntary organisation’s change to a published service', () => {
  it('waits for approval: the live timetable is unchanged until a directory admin approves it', async () => {
    const hall = await aLocation(database.db, { name: 'Charity Church Hall', laCode })
    const { id } = await aService(database.db, {
      name: 'Charity toddler group',
      directoryOrganisationId: charityDirectory,
      locationIds: [hall],
      sessions: [{ byday: 'TU', opensAt: '09:30', closesAt: '11:00' }],
    })
    const base = `/directory/manage/services/${id}`
    const proposed = await post(
      browsers.vcs,
      `${base}/sessions/new?venue=${hall}`,
      session({ description: 'Afternoon group', days: 'TH', opensAt: '13:00', closesAt: '14:30' }),
    )
    expect(proposed.headers.location).toBe(`${base}/where-and-when?done=proposed`)
    expect((await schedules(id)).map(row => row.byday)).toEqual(['TU'])
    const working = await browsers.vcs.get(`${base}/where-and-when`)
    expect(working.body).toContain('Afternoon group: Thursdays, 1pm to 2:30pm')
    expect(working.body).toContain('You are changing a change that is waiting for approval')
    const publicPage = await app.app.inject({ method: 'GET', url: `/find-support/services/${id}` })
    expect(publicPage.body).not.toContain('Thursdays')

    // A change to the details while the times wait keeps the new times in the proposal.
    const edit = await browsers.vcs.get(`${base}/edit`)
    expect(edit.statusCode).toBe(200)
    const adminView = await browsers.admin.get(base)
    expect(adminView.body).toContain('Change waiting for approval')
    expect(adminView.body).toContain('Venues and times')
    expect(adminView.body).toContain('Afternoon group: Thursdays, 1pm to 2:30pm')

    const approved = await post(browsers.admin, `${base}/approve`, {}, base)
    expect(approved.statusCode).toBe(303)
    expect((await schedules(id)).map(row => row.byday).sort()).toEqual(['TH', 'TU'])
    const after = await app.app.inject({ method: 'GET', url: `/find-support/services/${id}` })
    expect(after.body).toContain('Afternoon group: Thursdays, 1pm to 2:30pm')
    const kinds = (
      await database.db
        .selectFrom('directory_service_versions')
        .select('kind')
        .where('service_id', '=', id)
        .orderBy('version')
        .execute()
    ).map(row => row.kind)
    expect(kinds).toEqual(['created', 'proposed', 'approved'])
  })

  it('approves an old proposal written before venues and times were in drafts, leaving them as they are', async () => {
    const hall = await aLocation(database.db, { name: 'Old Hall', laCode })
    const { id } = await aService(database.db, {
      name: 'Old proposal group',
      directoryOrganisationId: charityDirectory,
      locationIds: [hall],
    })
    const live = await browsers.vcs.get(`/directory/manage/services/${id}/edit`)
    expect(live.statusCode).toBe(200)
    // What the details form would have written before ADR 0009: a snapshot without whereAndWhen.
    const response = await post(
      browsers.vcs,
      `/directory/manage/services/${id}/edit`,
      {
        name: 'Old proposal group, renamed',
        summary: 'A service for families.',
        description: 'A longer description of the service for families.',
        categoryCodes: 'stay-and-play',
        deliveryCodes: 'in-person',
        audience: 'children',
        cost: 'free',
        languageCodes: 'en',
        operatingStatus: 'active',
      },
      `/directory/manage/services/${id}/edit`,
    )
    expect(response.headers.location).toContain('done=proposed')
    const pending = await database.db
      .selectFrom('directory_services')
      .select('pending_version_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const version = await database.db
      .selectFrom('directory_service_versions')
      .select('snapshot')
      .where('id', '=', pending.pending_version_id ?? 0)
      .executeTakeFirstOrThrow()
    // Nor the version it was based on (recorded since): such an old proposal is still approvable.
    expect(version.snapshot).toHaveProperty('basedOnVersion')
    const { whereAndWhen: _dropped, basedOnVersion: _basedOn, ...old } = version.snapshot
    await database.db
      .updateTable('directory_service_versions')
      .set({ snapshot: JSON.stringify(old) })
      .where('id', '=', pending.pending_version_id ?? 0)
      .execute()
    expect((await browsers.admin.get(`/directory/manage/services/${id}`)).statusCode).toBe(200)
    expect((await browsers.vcs.get(`/directory/manage/services/${id}/where-and-when`)).statusCode).toBe(200)
    await post(browsers.admin, `/directory/manage/services/${id}/approve`, {}, `/directory/manage/services/${id}`)
    expect(await venuesOf(id)).toEqual([hall])
    expect(await schedules(id)).toHaveLength(1)
  })

  it('locks a new venue in a waiting change: only a directory admin changes it, and the admin sees its address', async () => {
    const { id } = await aService(database.db, {
      name: 'Charity baby massage',
      directoryOrganisationId: charityDirectory,
    })
    const base = `/directory/manage/services/${id}`
    const venue = {
      name: 'Quiet Room',
      address1: '5 Chapel Street',
      address2: '',
      city: 'Ashby Moor',
      postcode: 'NM1 1AA',
      confidential: 'yes',
    }
    const proposed = await post(browsers.vcs, `${base}/venues/new`, venue)
    expect(proposed.headers.location).toBe(`${base}/where-and-when?done=proposed`)
    expect(await venuesOf(id)).toEqual([])
    const venueId = (
      await database.db
        .selectFrom('directory_locations')
        .select('id')
        .where('name', '=', 'Quiet Room')
        .executeTakeFirstOrThrow()
    ).id
    const url = `/directory/manage/venues/${venueId}?service=${id}`
    const form = await browsers.vcs.get(url)
    expect(form.statusCode).toBe(403)
    expect(form.body).toContain('waiting for a directory admin’s approval')
    const attempt = await post(
      browsers.vcs,
      url,
      { ...venue, address1: '7 Other Road', confidential: [] },
      `${base}/where-and-when`,
    )
    expect(attempt.statusCode).toBe(403)
    const row = await database.db
      .selectFrom('directory_locations')
      .select(['address_1', 'confidential'])
      .where('id', '=', venueId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ address_1: '5 Chapel Street', confidential: true })
    expect((await audit(venueId)).map(event => [event.action, event.outcome])).toEqual([
      ['directory-location.create', 'allowed'],
      ['directory-location.update', 'denied'],
      ['directory-location.update', 'denied'],
    ])
    const adminView = await browsers.admin.get(base)
    expect(adminView.body).toContain(
      'Quiet Room (new venue: 5 Chapel Street, Ashby Moor, NM1 1AA; confidential: families are not shown the address)',
    )
    expect((await browsers.admin.get(url)).statusCode).toBe(200)
  })

  it('refuses to approve a change when the live entry has changed since, so an admin’s change is not undone', async () => {
    const hall = await aLocation(database.db, { name: 'Charity Scout Hut', laCode })
    const { id } = await aService(database.db, {
      name: 'Charity music group',
      directoryOrganisationId: charityDirectory,
      locationIds: [hall],
      sessions: [{ byday: 'TU', opensAt: '09:30', closesAt: '11:00' }],
    })
    const base = `/directory/manage/services/${id}`
    const evening = session({ description: 'Evening group', days: 'TH', opensAt: '18:00', closesAt: '19:00' })
    const proposed = await post(browsers.vcs, `${base}/sessions/new?venue=${hall}`, evening)
    expect(proposed.headers.location).toBe(`${base}/where-and-when?done=proposed`)
    // Meanwhile a directory admin adds a closure straight to the live entry.
    const closure = await post(browsers.admin, `${base}/closures/new`, {
      description: 'Half term',
      'validFrom-day': '26',
      'validFrom-month': '10',
      'validFrom-year': '2099',
      'validTo-day': '30',
      'validTo-month': '10',
      'validTo-year': '2099',
    })
    expect(closure.headers.location).toBe(`${base}/where-and-when?done=saved`)
    const refused = await post(browsers.admin, `${base}/approve`, {}, base)
    expect(refused.statusCode).toBe(409)
    expect(refused.body).toContain('The live entry has changed since this change was proposed')
    expect((await schedules(id)).map(row => row.kind)).toEqual(['closure', 'regular'])
    // Turned down, the provider proposes it again from the live entry, and that is approved.
    const rejected = await post(browsers.admin, `${base}/reject`, { reason: 'Please send it again.' }, base)
    expect(rejected.statusCode).toBe(303)
    await post(browsers.vcs, `${base}/sessions/new?venue=${hall}`, evening)
    const approved = await post(browsers.admin, `${base}/approve`, {}, base)
    expect(approved.statusCode).toBe(303)
    expect((await schedules(id)).map(row => row.byday ?? row.kind)).toEqual(['closure', 'TU', 'TH'])
  })
})

describe('access', () => {
  it('refuses another organisation’s manager, and audits the refusal', async () => {
    const { id } = await aService(database.db, { name: 'Not yours', directoryOrganisationId: councilDirectory })
    const base = `/directory/manage/services/${id}`
    expect((await browsers.otherLa.get(`${base}/where-and-when`)).statusCode).toBe(403)
    const token = /name="_csrf" value="([^"]+)"/.exec((await browsers.otherLa.get('/directory/manage')).body)?.[1] ?? ''
    const attempt = await app.app.inject({
      method: 'POST',
      url: `${base}/closures/new`,
      headers: { cookie: browsers.otherLa.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: token,
        'validFrom-day': '1',
        'validFrom-month': '1',
        'validFrom-year': '2099',
        'validTo-day': '2',
        'validTo-month': '1',
        'validTo-year': '2099',
      }).toString(),
    })
    expect(attempt.statusCode).toBe(403)
    expect(await schedules(id)).toHaveLength(0)
    const denied = (await audit(id)).filter(event => event.outcome === 'denied')
    expect(denied.map(event => event.action)).toEqual(['directory-service.read', 'directory-service.update'])
  })

  it('refuses another service’s sessions and venues, and audits each refusal', async () => {
    const hall = await aLocation(database.db, { name: 'Probe Hall', laCode })
    const other = await aService(database.db, {
      name: 'Someone else’s group',
      directoryOrganisationId: charityDirectory,
      locationIds: [hall],
      sessions: [{ byday: 'FR', opensAt: '10:00', closesAt: '11:00' }],
    })
    const theirs = (await schedules(other.id))[0]?.id ?? ''
    const { id } = await aService(database.db, { name: 'Probing group', directoryOrganisationId: councilDirectory })
    const base = `/directory/manage/services/${id}`
    const from = `${base}/where-and-when`
    expect((await browsers.la.get(`${base}/sessions/${theirs}`)).statusCode).toBe(404)
    expect((await post(browsers.la, `${base}/sessions/${theirs}`, session(), from)).statusCode).toBe(404)
    expect((await post(browsers.la, `${base}/sessions/${theirs}/delete`, {}, from)).statusCode).toBe(404)
    expect((await browsers.la.get(`${base}/events/new?venue=${hall}`)).statusCode).toBe(404)
    expect((await post(browsers.la, `${base}/venues/add`, { locationId: hall })).statusCode).toBe(400)
    expect((await post(browsers.la, `${base}/venues/${hall}/remove`, {}, from)).statusCode).toBe(404)
    expect(await schedules(other.id)).toHaveLength(1)
    const denied = (await audit(id)).filter(event => event.outcome === 'denied')
    expect(denied.map(event => [event.action, event.reason])).toEqual([
      ['directory-service.update', 'session not of this service'],
      ['directory-service.update', 'session not of this service'],
      ['directory-service.update', 'session not of this service'],
      ['directory-service.update', 'event at a venue the service does not run at'],
      ['directory-service.update', 'a venue not offered to this service'],
      ['directory-service.update', 'a venue the service does not run at'],
    ])
    expect(denied.every(event => event.details === null || Object.keys(event.details).length === 0)).toBe(true)
  })

  it('lets only the owner or a directory admin change a venue; a published charity venue only the admin', async () => {
    const own = await aLocation(database.db, { name: 'Council Library', laCode })
    await database.db
      .updateTable('directory_locations')
      .set({ directory_organisation_id: councilDirectory })
      .where('id', '=', own)
      .execute()
    const fields = {
      name: 'Council Library',
      address1: '2 High Street',
      address2: '',
      city: 'Ashby Moor',
      postcode: 'NM2 2BB',
    }
    const changed = await post(browsers.la, `/directory/manage/venues/${own}`, fields)
    expect(changed.statusCode).toBe(303)
    const row = await database.db
      .selectFrom('directory_locations')
      .select(['address_1', 'latitude', 'postal_code'])
      .where('id', '=', own)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ address_1: '2 High Street', latitude: 54.25, postal_code: 'NM2 2BB' })
    expect((await browsers.vcs.get(`/directory/manage/venues/${own}`)).statusCode).toBe(403)

    const charityVenue = await aLocation(database.db, { name: 'Refuge drop-in', laCode })
    await database.db
      .updateTable('directory_locations')
      .set({ directory_organisation_id: charityDirectory })
      .where('id', '=', charityVenue)
      .execute()
    expect((await browsers.vcs.get(`/directory/manage/venues/${charityVenue}`)).statusCode).toBe(200)
    await aService(database.db, { directoryOrganisationId: charityDirectory, locationIds: [charityVenue] })
    expect((await browsers.vcs.get(`/directory/manage/venues/${charityVenue}`)).statusCode).toBe(403)
    const adminChange = await post(browsers.admin, `/directory/manage/venues/${charityVenue}`, {
      ...fields,
      name: 'Drop-in',
      confidential: 'yes',
    })
    expect(adminChange.statusCode).toBe(303)
    expect((await audit(charityVenue)).map(event => [event.action, event.outcome])).toEqual([
      ['directory-location.update', 'denied'],
      ['directory-location.update', 'allowed'],
    ])
  })
})
