/**
 * School term dates: directory admins keep them (no overlaps in an area), and "term time only" sessions tell
 * families about the next holiday, or when they run again during one. Closures say "Closed until …".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aDirectoryOrganisation, aLocation, aService } from '../../../test/builders/services.js'
import { anOrganisation, aUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, testConfig, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { demoTermDates } from './demo-directory.js'
import { formatSession, termTimeNote } from './directory-format.js'
import { closedUntil } from './directory-views.js'
import { directoryIndexOptions } from './search-index.js'
import type { ScheduleRecord, ServiceRecord } from './service-records.js'

const monday = 1
const tuesday = 1 << 1
const saturday = 1 << 5

describe('term time only, in words (pure)', () => {
  const terms = demoTermDates

  it('in term: the next holiday, from the first to the last day the session would have run', () => {
    expect(termTimeNote(monday, terms, '2026-12-10')).toBe('term time only (not 21 December to 4 January)')
    expect(termTimeNote(tuesday, terms, '2026-12-10')).toBe('term time only (not 22 December to 29 December)')
    expect(termTimeNote(saturday, terms, '2026-10-01')).toBe('term time only (not 24 October to 31 October)')
    expect(termTimeNote(monday, terms, '2026-10-01')).toBe('term time only (not 26 October)')
  })

  it('in a holiday: when it next runs', () => {
    expect(termTimeNote(monday, terms, '2026-12-28')).toBe('term time only (next runs 11 January)')
    expect(termTimeNote(tuesday, terms, '2026-12-28')).toBe('term time only (next runs 5 January)')
    expect(termTimeNote(monday, terms, '2026-08-20')).toBe('term time only (next runs 7 September)')
  })

  it('without term dates, or after the last one, just “term time only”', () => {
    expect(termTimeNote(monday, [], '2026-12-10')).toBe('term time only')
    expect(termTimeNote(monday, terms, '2027-07-10')).toBe('term time only')
    expect(termTimeNote(monday, terms, '2027-08-01')).toBe('term time only')
  })

  it('keeps to the session’s own dates: no holiday or next run after its last day, and as of its first day', () => {
    // Ended, or not running again before it ends.
    expect(termTimeNote(monday, terms, '2026-12-28', { validTo: '2026-12-20' })).toBe('term time only')
    expect(termTimeNote(tuesday, terms, '2026-12-28', { validTo: '2026-12-31' })).toBe('term time only')
    expect(termTimeNote(monday, terms, '2026-12-10', { validTo: '2026-12-18' })).toBe('term time only')
    // Ending during the holiday: only the days it would still have run.
    expect(termTimeNote(monday, terms, '2026-12-10', { validTo: '2026-12-23' })).toBe(
      'term time only (not 21 December)',
    )
    // Not started yet: the December holiday is before it starts.
    expect(termTimeNote(monday, terms, '2026-12-10', { validFrom: '2027-02-01' })).toBe(
      'term time only (not 15 February)',
    )
    expect(termTimeNote(tuesday, terms, '2026-12-10', { validFrom: '2027-01-01' })).toBe(
      'term time only (next runs 5 January)',
    )
    // Dates that do not cut into the holiday change nothing.
    expect(termTimeNote(monday, terms, '2026-12-10', { validFrom: '2026-09-01', validTo: '2027-07-21' })).toBe(
      'term time only (not 21 December to 4 January)',
    )
  })

  it('puts it in the session line', () => {
    const schedule: ScheduleRecord = {
      id: 's',
      serviceAtLocationId: null,
      kind: 'regular',
      freq: 'WEEKLY',
      interval: 1,
      byday: 'MO',
      bymonthday: null,
      dayMask: monday,
      opensAt: '10:00',
      closesAt: '11:30',
      dtstart: null,
      validFrom: null,
      validTo: null,
      termTimeOnly: true,
      description: 'Baby group',
      notes: null,
      attendingType: null,
      scheduleLink: null,
    }
    expect(formatSession(schedule, { today: '2026-12-28', terms })).toBe(
      'Baby group: Mondays, 10am to 11:30am, term time only (next runs 11 January)',
    )
    expect(formatSession(schedule)).toBe('Baby group: Mondays, 10am to 11:30am, term time only')
    expect(formatSession({ ...schedule, validTo: '2026-12-31' }, { today: '2026-12-28', terms })).toBe(
      'Baby group: Mondays, 10am to 11:30am, term time only, until 31 December 2026',
    )
    const closure: ScheduleRecord = {
      ...schedule,
      kind: 'closure',
      validFrom: '2026-12-21',
      validTo: '2027-01-02',
      description: 'Christmas closure',
    }
    const service = { schedules: [schedule, closure] } as unknown as ServiceRecord
    expect(closedUntil(service, '2026-12-28')).toBe('Closed until 2 January 2027 (Christmas closure)')
    expect(closedUntil(service, '2027-01-03')).toBeNull()
  })
})

describe('term dates pages', () => {
  let database: DatabaseHandle
  let app: App
  let admin: Browser
  let manager: Browser
  directoryIndexOptions.checkEveryMs = 0

  beforeAll(async () => {
    database = await createTestDb()
    app = await createTestApp(database.db)
    const council = await anOrganisation(database.db, { name: 'Term County Council', kind: 'local_authority' })
    admin = await signIn(app.app, await aUser(database.db, { role: 'directory_admin', organisationId: council }))
    manager = await signIn(app.app, await aUser(database.db, { role: 'service_manager', organisationId: council }))
  })
  afterAll(async () => {
    await app.app.close()
    await database.close()
  })

  const term = (name: string, from: string, to: string) => {
    const [fy = '', fm = '', fd = ''] = from.split('-')
    const [ty = '', tm = '', td = ''] = to.split('-')
    return {
      name,
      'startsOn-day': fd,
      'startsOn-month': fm,
      'startsOn-year': fy,
      'endsOn-day': td,
      'endsOn-month': tm,
      'endsOn-year': ty,
    }
  }

  async function terms() {
    return database.db
      .selectFrom('directory_term_dates')
      .select(['id', 'name', 'starts_on', 'ends_on', 'la_code'])
      .orderBy('starts_on')
      .execute()
  }

  it('is for directory admins only', async () => {
    expect((await manager.get('/directory/manage/term-dates')).statusCode).toBe(403)
    expect((await admin.get('/directory/manage/term-dates')).statusCode).toBe(200)
  })

  it('adds terms for the admin’s authority, refusing an overlap and an end before the start', async () => {
    const added = await admin.post('/directory/manage/term-dates/new', term('Autumn 1', '2026-09-02', '2026-10-23'))
    expect(added.statusCode).toBe(303)
    const overlap = await admin.post('/directory/manage/term-dates/new', term('Autumn 2', '2026-10-20', '2026-12-18'))
    expect(overlap.statusCode).toBe(400)
    expect(overlap.body).toContain('The term overlaps Autumn 1 (2 September 2026 to 23 October 2026)')
    expect(overlap.body).toContain('href="#startsOn-day"')
    expect(overlap.body).toContain('value="Autumn 2"')
    const backwards = await admin.post('/directory/manage/term-dates/new', term('Autumn 2', '2026-12-18', '2026-11-02'))
    expect(backwards.body).toContain('The last day of the term must be the same as or after the first day')
    const missing = await admin.post('/directory/manage/term-dates/new', {
      ...term('Autumn 2', '2026-11-02', '2026-12-18'),
      'endsOn-month': '',
    })
    expect(missing.body).toContain('The last day of the term must include a month')
    const fine = await admin.post('/directory/manage/term-dates/new', term('Autumn 2', '2026-11-02', '2026-12-18'))
    expect(fine.statusCode).toBe(303)
    expect((await terms()).map(row => [row.name, row.starts_on, row.ends_on, row.la_code])).toEqual([
      ['Autumn 1', '2026-09-02', '2026-10-23', testConfig.authority.code],
      ['Autumn 2', '2026-11-02', '2026-12-18', testConfig.authority.code],
    ])
    const list = await admin.get('/directory/manage/term-dates')
    expect(list.body).toContain('Wednesday 2 September 2026')
  })

  it('changes and removes a term, with an audit event for each', async () => {
    const [first] = await terms()
    const url = `/directory/manage/term-dates/${first?.id ?? ''}`
    expect((await admin.get(url)).body).toContain('name="startsOn-day" type="text" value="2"')
    const clash = await admin.post(url, term('Autumn 1', '2026-09-02', '2026-11-05'))
    expect(clash.statusCode).toBe(400)
    const changed = await admin.post(url, term('Autumn 1', '2026-09-03', '2026-10-23'))
    expect(changed.statusCode).toBe(303)
    const removed = await admin.post(`${url}/delete`, {}, { csrfFrom: url })
    expect(removed.statusCode).toBe(303)
    expect((await terms()).map(row => row.name)).toEqual(['Autumn 2'])
    const events = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', first?.id ?? '')
      .orderBy('id')
      .execute()
    expect(events.map(event => event.action)).toEqual([
      'directory-term-date.create',
      'directory-term-date.update',
      'directory-term-date.delete',
    ])
  })

  it('shows families the next holiday on a term time only session, and “Closed until” during a closure', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
    await database.db.deleteFrom('directory_term_dates').execute()
    await database.db
      .insertInto('directory_term_dates')
      .values([
        { la_code: 'E10000123', name: 'This term', starts_on: shift(-20), ends_on: shift(10) },
        { la_code: 'E10000123', name: 'Next term', starts_on: shift(30), ends_on: shift(80) },
      ])
      .execute()
    const venue = await aLocation(database.db, { laCode: 'E10000123' })
    const { id } = await aService(database.db, {
      directoryOrganisationId: await aDirectoryOrganisation(database.db),
      locationIds: [venue],
      sessions: [
        { byday: 'MO,TU,WE,TH,FR,SA,SU', opensAt: '10:00', closesAt: '11:00', termTimeOnly: true },
        { kind: 'closure', validFrom: shift(-1), validTo: shift(3) },
      ],
    })
    const page = await app.app.inject({ method: 'GET', url: `/find-support/services/${id}` })
    const expected = termTimeNote(
      127,
      [
        { startsOn: shift(-20), endsOn: shift(10) },
        { startsOn: shift(30), endsOn: shift(80) },
      ],
      today,
    )
    expect(expected).toMatch(/^term time only \(not \d+ \w+ to \d+ \w+\)$/)
    expect(page.body).toContain(expected)
    expect(page.body).toContain('Closed until')
  })
})
