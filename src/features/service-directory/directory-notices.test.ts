/**
 * Telling providers: the decision on what they sent for approval reaches whoever sent it (or, failing that, their
 * organisation's service managers) through the outbox, in the decision's transaction; review reminders go once per
 * manager, list that manager's overdue services, are recorded and audited, and are not repeated within 30 days.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { runCli } from '../../cli/main.js'
import { aDirectoryOrganisation, aService } from '../../../test/builders/services.js'
import { anOrganisation, aUser, type TestUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, testConfig, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { renderTemplate } from '../../platform/notifications/templates.js'
import { remindReviews, startReviewReminders } from './directory-notices.js'
import { directoryIndexOptions } from './search-index.js'

let database: DatabaseHandle
directoryIndexOptions.checkEveryMs = 0
let app: App
let council: string
let charity: string
let vcsManager: TestUser
let secondVcsManager: TestUser
let admin: TestUser
let browsers: { vcs: Browser; admin: Browser }

async function postForm(browser: Browser, url: string, values: Record<string, string | string[]>, csrfFrom: string) {
  return browser.post(url, values, { csrfFrom })
}

const serviceForm = {
  name: 'Bumps and babies',
  summary: 'A friendly group for pregnant women and new parents.',
  description: 'Meet other parents, have a cup of tea and ask a health visitor anything.',
  categoryCodes: ['stay-and-play'],
  deliveryCodes: 'in-person',
  audience: ['children'],
  childMinMonths: '0',
  childMaxMonths: '11',
  howToAccess: 'Just turn up.',
  cost: 'free',
  languageCodes: ['en'],
  operatingStatus: 'active',
}

async function messages(template: string) {
  const rows = await database.db
    .selectFrom('outbox_messages')
    .select(['template', 'recipient', 'personalisation', 'status'])
    .where('template', '=', template)
    .orderBy('created_at')
    .execute()
  return rows.map(row => ({ ...row, personalisation: row.personalisation as Record<string, string | number> }))
}

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  const db = database.db
  council = await anOrganisation(db, { name: 'Notice County Council', kind: 'local_authority' })
  charity = await anOrganisation(db, { name: 'Notice Family Charity', kind: 'voluntary_organisation' })
  vcsManager = await aUser(db, { role: 'service_manager', organisationId: charity })
  secondVcsManager = await aUser(db, { role: 'service_manager', organisationId: charity })
  admin = await aUser(db, { role: 'directory_admin', organisationId: council })
  browsers = { vcs: await signIn(app.app, vcsManager), admin: await signIn(app.app, admin) }
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

describe('decision notices', () => {
  beforeEach(async () => {
    await database.db.deleteFrom('outbox_messages').execute()
  })

  it('tells the person who sent a new service for approval that it was approved, with a link', async () => {
    const created = await postForm(
      browsers.vcs,
      '/directory/manage/services',
      serviceForm,
      '/directory/manage/services/new',
    )
    const id = /services\/([0-9a-f-]{36})/.exec(created.headers.location ?? '')?.[1] ?? ''
    await postForm(browsers.vcs, `/directory/manage/services/${id}/submit`, {}, `/directory/manage/services/${id}`)
    expect(await messages('directory-service-approved')).toHaveLength(0)
    const approved = await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/approve`,
      {},
      `/directory/manage/services/${id}`,
    )
    expect(approved.statusCode).toBe(303)
    const [message, ...others] = await messages('directory-service-approved')
    expect(others).toHaveLength(0)
    expect(message?.recipient).toBe(vcsManager.email)
    expect(message?.status).toBe('queued')
    const rendered = renderTemplate('directory-service-approved', message?.personalisation ?? {})
    expect(rendered.subject).toBe('Approved: Bumps and babies')
    expect(rendered.body).toContain('has approved your service Bumps and babies')
    expect(rendered.body).toContain(`${testConfig.publicBaseUrl}/directory/manage/services/${id}`)
    expect(rendered.body).not.toMatch(/\(\([a-zA-Z]+\)\)/)
  })

  it('tells the proposer of a change that it was not approved, and why', async () => {
    const { id } = await aService(database.db, {
      name: 'Toddler time',
      directoryOrganisationId: await aDirectoryOrganisation(database.db, { organisationId: charity }),
    })
    const proposed = await postForm(
      browsers.vcs,
      `/directory/manage/services/${id}/edit`,
      { ...serviceForm, name: 'Toddler time (new day)' },
      `/directory/manage/services/${id}/edit`,
    )
    expect(proposed.headers.location).toContain('done=proposed')
    const rejected = await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/reject`,
      { reason: 'The new day clashes with the hall booking.' },
      `/directory/manage/services/${id}`,
    )
    expect(rejected.statusCode).toBe(303)
    const [message, ...others] = await messages('directory-service-rejected')
    expect(others).toHaveLength(0)
    expect(message?.recipient).toBe(vcsManager.email)
    const rendered = renderTemplate('directory-service-rejected', message?.personalisation ?? {})
    expect(rendered.subject).toBe('Not approved: Toddler time')
    expect(rendered.body).toContain('has not approved your change to Toddler time')
    expect(rendered.body).toContain('Their reason: The new day clashes with the hall booking.')
    expect(rendered.body).toContain('Families still see the service as it was')
    expect(rendered.body).toContain(`/directory/manage/services/${id}`)
  })

  it('falls back to the organisation’s active service managers when the sender’s account is disabled', async () => {
    const leaver = await aUser(database.db, { role: 'service_manager', organisationId: charity })
    const leaverBrowser = await signIn(app.app, leaver)
    const created = await postForm(
      leaverBrowser,
      '/directory/manage/services',
      { ...serviceForm, name: 'Dads group' },
      '/directory/manage/services/new',
    )
    const id = /services\/([0-9a-f-]{36})/.exec(created.headers.location ?? '')?.[1] ?? ''
    await postForm(leaverBrowser, `/directory/manage/services/${id}/submit`, {}, `/directory/manage/services/${id}`)
    await database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', leaver.id).execute()
    await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/reject`,
      { reason: 'Add the venue.' },
      `/directory/manage/services/${id}`,
    )
    const recipients = (await messages('directory-service-rejected')).map(message => message.recipient).sort()
    expect(recipients).toEqual([vcsManager.email, secondVcsManager.email].sort())
    const rendered = renderTemplate(
      'directory-service-rejected',
      (await messages('directory-service-rejected'))[0]?.personalisation ?? {},
    )
    expect(rendered.body).toContain('back in draft')
  })

  it('does not tell a sender who has since moved to another organisation; their old organisation hears', async () => {
    const mover = await aUser(database.db, { role: 'service_manager', organisationId: charity })
    const moverBrowser = await signIn(app.app, mover)
    const created = await postForm(
      moverBrowser,
      '/directory/manage/services',
      { ...serviceForm, name: 'Baby massage' },
      '/directory/manage/services/new',
    )
    const id = /services\/([0-9a-f-]{36})/.exec(created.headers.location ?? '')?.[1] ?? ''
    await postForm(moverBrowser, `/directory/manage/services/${id}/submit`, {}, `/directory/manage/services/${id}`)
    await database.db.updateTable('users').set({ organisation_id: council }).where('id', '=', mover.id).execute()
    await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/reject`,
      { reason: 'The venue is confidential.' },
      `/directory/manage/services/${id}`,
    )
    const recipients = (await messages('directory-service-rejected')).map(message => message.recipient).sort()
    expect(recipients).toEqual([vcsManager.email, secondVcsManager.email].sort())
  })

  it('goes by who holds directory.manage, not by role name: a custom role hears, a sender who lost it does not', async () => {
    const db = database.db
    await db
      .insertInto('roles')
      .values({ code: 'listings_editor', name: 'Listings editor', description: 'Keeps listings', staff: true })
      .execute()
    await db
      .insertInto('role_permissions')
      .values([
        { role_code: 'listings_editor', permission: 'home.read' },
        { role_code: 'listings_editor', permission: 'directory.manage' },
      ])
      .execute()
    const playgroup = await anOrganisation(db, { name: 'Notice Playgroup', kind: 'voluntary_organisation' })
    const editor = await aUser(db, { role: 'listings_editor', organisationId: playgroup })
    await aUser(db, { role: 'practitioner', organisationId: playgroup })
    const sender = await aUser(db, { role: 'service_manager', organisationId: playgroup })
    const senderBrowser = await signIn(app.app, sender)
    const created = await postForm(
      senderBrowser,
      '/directory/manage/services',
      { ...serviceForm, name: 'Rhyme time' },
      '/directory/manage/services/new',
    )
    const id = /services\/([0-9a-f-]{36})/.exec(created.headers.location ?? '')?.[1] ?? ''
    await postForm(senderBrowser, `/directory/manage/services/${id}/submit`, {}, `/directory/manage/services/${id}`)
    await db.updateTable('users').set({ role_code: 'practitioner' }).where('id', '=', sender.id).execute()
    const approved = await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/approve`,
      {},
      `/directory/manage/services/${id}`,
    )
    expect(approved.statusCode).toBe(303)
    expect((await messages('directory-service-approved')).map(message => message.recipient)).toEqual([editor.email])
  })

  it('queues nothing when the decision is refused', async () => {
    const { id } = await aService(database.db, {
      directoryOrganisationId: await aDirectoryOrganisation(database.db, { organisationId: charity }),
    })
    const refused = await postForm(
      browsers.admin,
      `/directory/manage/services/${id}/approve`,
      {},
      `/directory/manage/services/${id}`,
    )
    expect(refused.statusCode).toBe(409)
    expect(await messages('directory-service-approved')).toHaveLength(0)
  })
})

describe('review reminders', () => {
  const now = new Date('2031-06-15T08:00:00Z')
  let reminderCouncil: string
  let managers: TestUser[]
  let overdue: string[]

  beforeAll(async () => {
    const db = database.db
    // Only this describe's services are overdue on 15 June 2031 (every other fixture is checked "today").
    await db.updateTable('directory_services').set({ assured_date: '2031-06-01' }).execute()
    reminderCouncil = await anOrganisation(db, { name: 'Reminder Borough Council', kind: 'local_authority' })
    managers = [
      await aUser(db, { role: 'service_manager', organisationId: reminderCouncil }),
      await aUser(db, { role: 'service_manager', organisationId: reminderCouncil }),
    ]
    const disabled = await aUser(db, { role: 'service_manager', organisationId: reminderCouncil })
    await db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute()
    await aUser(db, { role: 'practitioner', organisationId: reminderCouncil })
    const org = await aDirectoryOrganisation(db, { organisationId: reminderCouncil })
    overdue = [
      (await aService(db, { name: 'Overdue A', directoryOrganisationId: org, assuredDate: '2031-01-10' })).id,
      (await aService(db, { name: 'Overdue B', directoryOrganisationId: org, assuredDate: null })).id,
    ]
    await aService(db, { name: 'Recently checked', directoryOrganisationId: org, assuredDate: '2031-05-01' })
    await aService(db, {
      name: 'Overdue draft',
      directoryOrganisationId: org,
      assuredDate: '2030-01-01',
      workflowStatus: 'draft',
    })
    // A charity with no accounts: nobody to email.
    await aService(db, { name: 'Orphan', assuredDate: '2030-01-01' })
    await db.deleteFrom('outbox_messages').execute()
  })

  it('a dry run counts and sends nothing', async () => {
    const result = await remindReviews(database.db, { now, baseUrl: 'https://beststart.example', dryRun: true })
    expect(result).toEqual({ services: 2, withoutManagers: 1, messages: 2, dryRun: true })
    expect(await messages('directory-review-reminder')).toHaveLength(0)
    expect(await database.db.selectFrom('directory_review_reminders').selectAll().execute()).toHaveLength(0)
  })

  it('emails each active manager once, listing their overdue services; records and audits it', async () => {
    const result = await remindReviews(database.db, {
      now,
      baseUrl: 'https://beststart.example',
      serviceName: 'Best Start',
    })
    expect(result).toEqual({ services: 2, withoutManagers: 1, messages: 2, dryRun: false })
    const sent = await messages('directory-review-reminder')
    expect(sent.map(message => message.recipient).sort()).toEqual(managers.map(manager => manager.email).sort())
    const rendered = renderTemplate('directory-review-reminder', sent[0]?.personalisation ?? {})
    expect(rendered.subject).toBe('Check your services on Best Start')
    expect(rendered.body).toContain('These 2 services')
    expect(rendered.body).toContain('- Overdue B (never checked): https://beststart.example/directory/manage/services/')
    expect(rendered.body).toContain('- Overdue A (last checked 10 January 2031)')
    expect(rendered.body).not.toContain('Recently checked')
    expect(rendered.body).not.toContain('Overdue draft')
    expect(rendered.body).toContain('https://beststart.example/directory/manage/review')
    const reminders = await database.db
      .selectFrom('directory_review_reminders')
      .select(['service_id', 'recipients', 'assured_date'])
      .orderBy('service_id')
      .execute()
    expect(reminders.map(row => row.service_id).sort()).toEqual([...overdue].sort())
    expect(reminders.every(row => row.recipients === 2)).toBe(true)
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['user_id', 'outcome', 'details', 'request_id'])
      .where('action', '=', 'directory-service.review-remind')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]?.user_id).toBeNull()
    expect(audit[0]?.request_id).toBe('scheduler')
    expect(audit[0]?.details).toMatchObject({ services: 2, messages: 2, withoutManagers: 1 })
    expect(JSON.stringify(audit[0]?.details)).not.toContain('@')
  })

  it('sends nothing new when run again within 30 days, and reminds again after', async () => {
    const again = await remindReviews(database.db, { now: new Date(now.getTime() + 3600_000), baseUrl: 'x' })
    expect(again).toMatchObject({ services: 0, messages: 0 })
    const nextWeek = await remindReviews(database.db, { now: new Date(now.getTime() + 7 * 86_400_000), baseUrl: 'x' })
    expect(nextWeek).toMatchObject({ services: 0, messages: 0 })
    expect(await messages('directory-review-reminder')).toHaveLength(2)
    const later = await remindReviews(database.db, { now: new Date(now.getTime() + 31 * 86_400_000), baseUrl: 'x' })
    expect(later).toMatchObject({ services: 2, messages: 2 })
  })

  it('runs from the server’s daily timer, and stops', async () => {
    await database.db.deleteFrom('directory_review_reminders').execute()
    const logged: unknown[] = []
    const logger = {
      info: (...args: unknown[]) => logged.push(args),
      error: (...args: unknown[]) => logged.push(args),
    } as never
    const timer = startReviewReminders(database.db, {
      baseUrl: 'https://beststart.example',
      serviceName: 'Best Start',
      logger,
      initialDelayMs: 1,
      intervalMs: 60_000,
      now: () => now,
    })
    for (let i = 0; i < 100 && !logged.length; i++) {
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    await timer.stop()
    expect(logged).toHaveLength(1)
    expect(JSON.stringify(logged)).not.toContain('@')
    expect(await database.db.selectFrom('directory_review_reminders').selectAll().execute()).toHaveLength(2)
  })
  it('reminds staff whose role holds directory.manage, whatever the role is called', async () => {
    const db = database.db
    await db
      .insertInto('roles')
      .values({ code: 'venue_keeper', name: 'Venue keeper', description: 'Keeps listings', staff: true })
      .execute()
    await db
      .insertInto('role_permissions')
      .values({ role_code: 'venue_keeper', permission: 'directory.manage' })
      .execute()
    const hub = await anOrganisation(db, { name: 'Reminder Family Hub', kind: 'voluntary_organisation' })
    const keeper = await aUser(db, { role: 'venue_keeper', organisationId: hub })
    await aUser(db, { role: 'practitioner', organisationId: hub })
    const org = await aDirectoryOrganisation(db, { organisationId: hub })
    await aService(db, { name: 'Hub overdue', directoryOrganisationId: org, assuredDate: '2031-01-10' })
    await db.deleteFrom('outbox_messages').execute()
    // The earlier services were reminded at `now`, so only the hub's service is due an hour later.
    const result = await remindReviews(db, { now: new Date(now.getTime() + 3600_000), baseUrl: 'x' })
    expect(result).toMatchObject({ services: 1, messages: 1 })
    expect((await messages('directory-review-reminder')).map(message => message.recipient)).toEqual([keeper.email])
  })
})

describe('beststart directory remind', () => {
  it('has help, and refuses unknown options', async () => {
    const out: string[] = []
    expect(await runCli(['directory', 'remind', '--help'], { out: line => out.push(line), err: () => undefined })).toBe(
      0,
    )
    expect(out.join('\n')).toContain('--dry-run')
    const err: string[] = []
    expect(
      await runCli(['directory', 'remind', '--bogus'], { out: () => undefined, err: line => err.push(line) }),
    ).toBe(2)
    expect(err.join('\n')).toContain('Usage: beststart directory remind')
  })
})
