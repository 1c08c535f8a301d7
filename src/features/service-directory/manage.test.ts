/**
 * Running the directory: service managers edit their own organisation's services; voluntary organisations' changes
 * wait for a directory admin; needs-review, archive and restore; version history and an audit event for every change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aDirectoryOrganisation, aLocation, aService } from '../../../test/builders/services.js'
import { anOrganisation, aUser, type TestUser } from '../../../test/builders/users.js'
import { Browser, createTestApp, signIn } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { directoryIndexOptions } from './search-index.js'

let database: DatabaseHandle
// Every request checks the directory's change counter, so fixtures added straight to the database show at once.
directoryIndexOptions.checkEveryMs = 0
let app: App
let council: string
let charity: string
let laManager: TestUser
let vcsManager: TestUser
let admin: TestUser
let practitioner: TestUser
let browsers: { la: Browser; vcs: Browser; admin: Browser }

const form = (overrides: Record<string, string | string[]> = {}): Record<string, string> => {
  const values: Record<string, string | string[]> = {
    name: 'Bumps and babies',
    summary: 'A friendly group for pregnant women and new parents.',
    description: 'Meet other parents, have a cup of tea and ask a health visitor anything.',
    categoryCodes: ['stay-and-play', 'health-visiting'],
    deliveryCodes: 'in-person',
    audience: ['pregnancy', 'children'],
    pregnancyFromWeek: '20',
    pregnancyToWeek: '',
    childMinMonths: '0',
    childMaxMonths: '11',
    whoCanAttend: '',
    howToAccess: 'Just turn up.',
    cost: 'free',
    costAmount: '',
    costDescription: '',
    languageCodes: ['en', 'pl'],
    phone: '01632 960 555',
    email: 'bumps@example.org',
    url: 'https://bumps.example.org',
    operatingStatus: 'active',
    alert: '',
    ...overrides,
  }
  // Browser.post sends URLSearchParams from a plain object: repeat keys by joining arrays the way a form would.
  return values as Record<string, string>
}

async function postForm(browser: Browser, url: string, values: Record<string, string | string[]>, csrfFrom: string) {
  return browser.post(url, values, { csrfFrom })
}

async function audit(subjectId: string) {
  return database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'reason', 'user_id', 'details'])
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute()
}

async function versionKinds(serviceId: string) {
  return (
    await database.db
      .selectFrom('directory_service_versions')
      .select('kind')
      .where('service_id', '=', serviceId)
      .orderBy('version')
      .execute()
  ).map(row => row.kind)
}

async function apiStatus(serviceId: string): Promise<number> {
  return (await app.app.inject({ method: 'GET', url: `/api/oruk/services/${serviceId}` })).statusCode
}

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  const db = database.db
  council = await anOrganisation(db, { name: 'Test County Council', kind: 'local_authority' })
  charity = await anOrganisation(db, { name: 'Test Family Charity', kind: 'voluntary_organisation' })
  laManager = await aUser(db, { role: 'service_manager', organisationId: council })
  vcsManager = await aUser(db, { role: 'service_manager', organisationId: charity })
  admin = await aUser(db, { role: 'directory_admin', organisationId: council })
  practitioner = await aUser(db, { role: 'practitioner', organisationId: council })
  browsers = {
    la: await signIn(app.app, laManager),
    vcs: await signIn(app.app, vcsManager),
    admin: await signIn(app.app, admin),
  }
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

function serviceIdFrom(location: string | undefined): string {
  const id = /\/directory\/manage\/services\/([0-9a-f-]{36})/.exec(location ?? '')?.[1]
  if (!id) {
    throw new Error(`No service id in ${String(location)}`)
  }
  return id
}

describe('a local authority service manager', () => {
  it('adds a service as a draft, then publishes it; each step is versioned and audited', async () => {
    const created = await postForm(browsers.la, '/directory/manage/services', form(), '/directory/manage/services/new')
    expect(created.statusCode).toBe(303)
    const id = serviceIdFrom(created.headers.location)
    expect(await apiStatus(id)).toBe(404)
    const page = await browsers.la.get(`/directory/manage/services/${id}?done=created`)
    expect(page.body).toContain('saved as a draft')
    expect(page.body).toContain('Publish')
    const published = await postForm(
      browsers.la,
      `/directory/manage/services/${id}/submit`,
      {},
      `/directory/manage/services/${id}`,
    )
    expect(published.statusCode).toBe(303)
    expect(await apiStatus(id)).toBe(200)
    const api = (await app.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).json<{
      name: string
      languages: { code: string }[]
    }>()
    expect(api.name).toBe('Bumps and babies')
    expect(api.languages.map(language => language.code).sort()).toEqual(['en', 'pl'])
    expect(await versionKinds(id)).toEqual(['created', 'published'])
    expect((await audit(id)).map(event => [event.action, event.outcome, event.user_id])).toEqual([
      ['directory-service.create', 'allowed', laManager.id],
      ['directory-service.submit', 'allowed', laManager.id],
    ])
  })

  it('changes a published service straight away, and the change is recorded', async () => {
    const created = await postForm(
      browsers.la,
      '/directory/manage/services',
      form({ name: 'Rhyme time' }),
      '/directory/manage/services/new',
    )
    const id = serviceIdFrom(created.headers.location)
    await postForm(browsers.la, `/directory/manage/services/${id}/submit`, {}, `/directory/manage/services/${id}`)
    const edit = await browsers.la.get(`/directory/manage/services/${id}/edit`)
    expect(edit.body).toContain('value="Rhyme time"')
    const saved = await postForm(
      browsers.la,
      `/directory/manage/services/${id}/edit`,
      form({ name: 'Rhyme time at the library', cost: 'paid', costAmount: '1.50', costDescription: 'per child' }),
      `/directory/manage/services/${id}/edit`,
    )
    expect(saved.headers.location).toContain('done=saved')
    const publicPage = await app.app.inject({ method: 'GET', url: `/find-support/services/${id}` })
    expect(publicPage.body).toContain('Rhyme time at the library')
    expect(publicPage.body).toContain('£1.50 per child')
    const events = await audit(id)
    expect(events.at(-1)?.action).toBe('directory-service.update')
    expect(events.at(-1)?.details).toMatchObject({
      changedFields: ['name', 'isFree', 'costAmount', 'costDescription'],
      awaitingApproval: false,
    })
    const history = await browsers.la.get(`/directory/manage/services/${id}`)
    expect(history.body).toContain('Changed: Name, Free, Cost, What the cost is for')
  })

  it('saving the details keeps a change to the venues and times made while it was being saved', async () => {
    const directoryOrg = await aDirectoryOrganisation(database.db, { organisationId: council })
    const hall = await aLocation(database.db, { name: 'Library hall' })
    const { id } = await aService(database.db, {
      name: 'Storytime',
      directoryOrganisationId: directoryOrg,
      locationIds: [hall],
      sessions: [{ byday: 'TU', opensAt: '09:30', closesAt: '11:00' }],
    })
    const base = `/directory/manage/services/${id}`
    // An app whose next transaction first waits for `meanwhile`: after the details form has read the service.
    let meanwhile: (() => Promise<unknown>) | undefined
    const gated = new Proxy(database.db, {
      get(target, key) {
        if (key === 'transaction' && meanwhile) {
          const run = meanwhile
          meanwhile = undefined
          return () => {
            const builder = target.transaction()
            return {
              execute: async (callback: Parameters<typeof builder.execute>[0]) => {
                await run()
                return builder.execute(callback)
              },
            }
          }
        }
        const value: unknown = Reflect.get(target, key, target)
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
      },
    })
    const racing = await createTestApp(gated)
    try {
      const token = /name="_csrf" value="([^"]+)"/.exec((await browsers.la.get(`${base}/edit`)).body)?.[1] ?? ''
      const params = new URLSearchParams({ _csrf: token })
      for (const [key, value] of Object.entries(form({ name: 'Storytime at the library' }))) {
        for (const item of Array.isArray(value) ? (value as string[]) : [value]) {
          params.append(key, item)
        }
      }
      meanwhile = async () => {
        const added = await postForm(
          browsers.la,
          `${base}/sessions/new?venue=${hall}`,
          { description: 'Saturday stories', days: 'SA', opensAt: '10:00', closesAt: '11:00' },
          `${base}/where-and-when`,
        )
        expect(added.statusCode).toBe(303)
      }
      const saved = await racing.app.inject({
        method: 'POST',
        url: `${base}/edit`,
        headers: { cookie: browsers.la.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: params.toString(),
      })
      expect(saved.headers.location).toContain('done=saved')
      expect(meanwhile).toBeUndefined()
    } finally {
      await racing.app.close()
    }
    const rows = await database.db
      .selectFrom('directory_schedules')
      .select('byday')
      .where('service_id', '=', id)
      .orderBy('byday')
      .execute()
    expect(rows.map(row => row.byday)).toEqual(['SA', 'TU'])
    const service = await database.db
      .selectFrom('directory_services')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(service.name).toBe('Storytime at the library')
  })

  it('gets the form back with messages and what they typed when something is wrong', async () => {
    const response = await postForm(
      browsers.la,
      '/directory/manage/services',
      form({
        name: '',
        cost: 'paid',
        costAmount: '',
        categoryCodes: [],
        childMinMonths: '30',
        childMaxMonths: '12',
        email: 'not-an-email',
      }),
      '/directory/manage/services/new',
    )
    expect(response.statusCode).toBe(400)
    const body = response.body
    expect(body).toContain('govuk-error-summary')
    for (const message of [
      'Enter the name of the service',
      'Choose at least one category',
      'Enter the cost',
      'The oldest age must be the same as or more than the youngest age',
      'Enter an email address in the correct format',
    ]) {
      expect(body).toContain(message)
    }
    expect(body).toContain('value="A friendly group for pregnant women and new parents."')
    expect(body).toMatch(/value="pl" checked/)
  })

  it('cannot see or change another organisation’s service, and the attempt is audited', async () => {
    const other = await aDirectoryOrganisation(database.db, { organisationId: charity })
    const { id } = await aService(database.db, { name: 'Charity group', directoryOrganisationId: other })
    const view = await browsers.la.get(`/directory/manage/services/${id}`)
    expect(view.statusCode).toBe(403)
    const token = /name="_csrf" value="([^"]+)"/.exec((await browsers.la.get('/directory/manage')).body)?.[1] ?? ''
    const archive = await app.app.inject({
      method: 'POST',
      url: `/directory/manage/services/${id}/archive`,
      headers: { cookie: browsers.la.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token }).toString(),
    })
    expect(archive.statusCode).toBe(403)
    expect(await apiStatus(id)).toBe(200)
    const denied = (await audit(id)).filter(event => event.outcome === 'denied')
    expect(denied.map(event => event.action)).toEqual(['directory-service.read', 'directory-service.archive'])
  })

  it('lists only their own organisation’s services', async () => {
    const list = await browsers.la.get('/directory/manage')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('Rhyme time at the library')
    expect(list.body).not.toContain('Charity group')
  })
})

describe('a voluntary organisation’s changes need a directory admin’s approval', () => {
  let id: string

  it('sends a new service for approval; it is not public until approved', async () => {
    const created = await postForm(
      browsers.vcs,
      '/directory/manage/services',
      form({ name: 'Dads’ walk and talk' }),
      '/directory/manage/services/new',
    )
    id = serviceIdFrom(created.headers.location)
    const page = await browsers.vcs.get(`/directory/manage/services/${id}`)
    expect(page.body).toContain('Send for approval')
    await postForm(browsers.vcs, `/directory/manage/services/${id}/submit`, {}, `/directory/manage/services/${id}`)
    expect(await apiStatus(id)).toBe(404)
    const queue = await browsers.admin.get('/directory/manage/approvals')
    expect(queue.body).toContain('Dads’ walk and talk')
    const vcsQueue = await browsers.vcs.get('/directory/manage/approvals')
    expect(vcsQueue.statusCode).toBe(403)
    await postForm(browsers.admin, `/directory/manage/services/${id}/approve`, {}, `/directory/manage/services/${id}`)
    expect(await apiStatus(id)).toBe(200)
    expect(await versionKinds(id)).toEqual(['created', 'submitted', 'approved'])
  })

  it('keeps the published details while a change waits, then applies it on approval', async () => {
    const saved = await postForm(
      browsers.vcs,
      `/directory/manage/services/${id}/edit`,
      form({ name: 'Dads’ Saturday walk' }),
      `/directory/manage/services/${id}/edit`,
    )
    expect(saved.headers.location).toContain('done=proposed')
    const api = (await app.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).json<{ name: string }>()
    expect(api.name).toBe('Dads’ walk and talk')
    const adminView = await browsers.admin.get(`/directory/manage/services/${id}`)
    expect(adminView.body).toContain('Change waiting for approval')
    expect(adminView.body).toContain('Dads’ Saturday walk')
    const again = await browsers.vcs.get(`/directory/manage/services/${id}/edit`)
    expect(again.body).toContain('value="Dads’ Saturday walk"')
    await postForm(browsers.admin, `/directory/manage/services/${id}/approve`, {}, `/directory/manage/services/${id}`)
    expect(
      (await app.app.inject({ method: 'GET', url: `/api/oruk/services/${id}` })).json<{ name: string }>().name,
    ).toBe('Dads’ Saturday walk')
    expect(await versionKinds(id)).toEqual(['created', 'submitted', 'approved', 'proposed', 'approved'])
  })

  it('needs a reason to turn a change down, and records it', async () => {
    await postForm(
      browsers.vcs,
      `/directory/manage/services/${id}/edit`,
      form({ name: 'Dads’ Saturday walk', summary: 'A walk in the park.' }),
      `/directory/manage/services/${id}/edit`,
    )
    const noReason = await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/reject`,
      { reason: '' },
      `/directory/manage/services/${id}`,
    )
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('Give a reason')
    const rejected = await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/reject`,
      { reason: 'Please say where the walk starts.' },
      `/directory/manage/services/${id}`,
    )
    expect(rejected.statusCode).toBe(303)
    const service = await database.db
      .selectFrom('directory_services')
      .select(['summary', 'pending_version_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(service.pending_version_id).toBeNull()
    expect(service.summary).toBe('A friendly group for pregnant women and new parents.')
    const event = (await audit(id)).at(-1)
    expect(event).toMatchObject({
      action: 'directory-service.reject',
      outcome: 'allowed',
      reason: 'Please say where the walk starts.',
      user_id: admin.id,
    })
    expect((await browsers.vcs.get(`/directory/manage/services/${id}`)).body).toContain(
      'Please say where the walk starts.',
    )
  })

  it('refuses approval when nothing is waiting', async () => {
    const response = await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/approve`,
      {},
      `/directory/manage/services/${id}`,
    )
    expect(response.statusCode).toBe(409)
  })
})

describe('needs review, archive and restore', () => {
  it('lists published services last checked more than three months ago, until someone confirms them', async () => {
    const directoryOrg = await aDirectoryOrganisation(database.db, { organisationId: council })
    const location = await aLocation(database.db)
    const stale = await aService(database.db, {
      name: 'Stale group',
      assuredDate: '2020-01-01',
      directoryOrganisationId: directoryOrg,
      locationIds: [location],
    })
    await aService(database.db, { name: 'Fresh group', directoryOrganisationId: directoryOrg })
    const review = await browsers.la.get('/directory/manage/review')
    expect(review.body).toContain('Stale group')
    expect(review.body).not.toContain('Fresh group')
    await postForm(
      browsers.la,
      `/directory/manage/services/${stale.id}/assure`,
      {},
      `/directory/manage/services/${stale.id}`,
    )
    expect((await browsers.la.get('/directory/manage/review')).body).not.toContain('Stale group')
    const api = (await app.app.inject({ method: 'GET', url: `/api/oruk/services/${stale.id}` })).json<{
      assured_date: string
      assurer_email: string
    }>()
    expect(api.assured_date).toBe(new Date().toISOString().slice(0, 10))
    expect(api.assurer_email).toBe(laManager.email)
  })

  it('archives a service (gone from the API and public pages) and restores it', async () => {
    const directoryOrg = await aDirectoryOrganisation(database.db, { organisationId: council })
    const { id } = await aService(database.db, { name: 'Seasonal group', directoryOrganisationId: directoryOrg })
    await postForm(
      browsers.la,
      `/directory/manage/services/${id}/archive`,
      { reason: 'Summer only' },
      `/directory/manage/services/${id}`,
    )
    expect(await apiStatus(id)).toBe(404)
    expect((await app.app.inject({ method: 'GET', url: `/find-support/services/${id}` })).statusCode).toBe(404)
    await postForm(browsers.la, `/directory/manage/services/${id}/restore`, {}, `/directory/manage/services/${id}`)
    expect(await apiStatus(id)).toBe(200)
    expect((await audit(id)).map(event => event.action)).toEqual([
      'directory-service.archive',
      'directory-service.restore',
    ])
    expect(await versionKinds(id)).toEqual(['created', 'archived', 'restored'])
  })

  it('restores a voluntary organisation’s service only as far as waiting for approval', async () => {
    const directoryOrg = await aDirectoryOrganisation(database.db, { organisationId: charity })
    const { id } = await aService(database.db, {
      name: 'Charity seasonal group',
      directoryOrganisationId: directoryOrg,
      workflowStatus: 'archived',
    })
    await postForm(browsers.vcs, `/directory/manage/services/${id}/restore`, {}, `/directory/manage/services/${id}`)
    const row = await database.db
      .selectFrom('directory_services')
      .select('workflow_status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.workflow_status).toBe('awaiting_approval')
  })
})

describe('access', () => {
  it('keeps people without directory permissions out', async () => {
    const browser = await signIn(app.app, practitioner)
    expect((await browser.get('/directory/manage')).statusCode).toBe(403)
    const anonymous = new Browser(app.app)
    const response = await anonymous.get('/directory/manage')
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toContain('/sign-in')
  })
})
