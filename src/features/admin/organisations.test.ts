import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { anOrganisation, aUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'

let database: DatabaseHandle
let app: App
let admin: Browser
let adminId: string
let igOfficer: Browser
let igOfficerId: string

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  const adminUser = await aUser(database.db, { role: 'system_admin' })
  const igUser = await aUser(database.db, { role: 'ig_officer' })
  adminId = adminUser.id
  igOfficerId = igUser.id
  admin = await signIn(app.app, adminUser)
  igOfficer = await signIn(app.app, igUser)
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

async function auditRows(userId: string, action: string) {
  return database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'reason', 'subject_type', 'subject_id', 'details'])
    .where('user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

async function organisationCount(): Promise<number> {
  const row = await database.db
    .selectFrom('organisations')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

describe('organisations', () => {
  it('lists organisations with their kind and team count', async () => {
    const id = await anOrganisation(database.db, { name: 'Riverside NHS Foundation Trust', kind: 'nhs_trust' })
    await database.db.insertInto('teams').values({ organisation_id: id, name: 'Health visiting north' }).execute()
    const page = await admin.get('/admin/organisations')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Riverside NHS Foundation Trust')
    expect(page.body).toContain('NHS trust')
    expect(page.body).toMatch(/Riverside NHS Foundation Trust<\/a>[\s\S]*?NHS trust[\s\S]*?None[\s\S]*?>1</)
    expect(page.body).toContain('Add an organisation')
  })

  it('adds an organisation, shows it, and audits the change', async () => {
    const response = await admin.post('/admin/organisations', {
      name: '  Oakfield Surgery ',
      kind: 'gp_practice',
      odsCode: 'b81001',
    })
    expect(response.statusCode).toBe(303)
    const row = await database.db
      .selectFrom('organisations')
      .selectAll()
      .where('name', '=', 'Oakfield Surgery')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ kind: 'gp_practice', ods_code: 'B81001' })
    expect(response.headers.location).toBe(`/admin/organisations/${row.id}?done=created`)
    const page = await admin.get(response.headers.location ?? '')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Organisation added')
    expect(page.body).toContain('<h1 class="govuk-heading-l">Oakfield Surgery</h1>')
    expect(page.body).toContain('GP practice')
    expect(await auditRows(adminId, 'organisation.create')).toContainEqual(
      expect.objectContaining({ outcome: 'allowed', subject_type: 'organisation', subject_id: row.id }),
    )
  })

  it('refuses a form with problems, shows the error summary, keeps what was typed and adds nothing', async () => {
    const before = await organisationCount()
    const response = await admin.post('/admin/organisations', { name: '', odsCode: 'not valid!' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('Enter the name of the organisation')
    expect(response.body).toContain('Select the kind of organisation')
    expect(response.body).toContain('ODS code must be 3 to 10 letters and numbers')
    expect(response.body).toContain('href="#kind"')
    expect(response.body).toContain('value="not valid!"')
    expect(await organisationCount()).toBe(before)
  })

  it('refuses a name already in use, whatever its case, and audits the refusal', async () => {
    await anOrganisation(database.db, { name: 'Meadow Children’s Centre' })
    const before = await organisationCount()
    const response = await admin.post('/admin/organisations', {
      name: 'MEADOW CHILDREN’S CENTRE',
      kind: 'voluntary_organisation',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('There is already an organisation called MEADOW CHILDREN’S CENTRE')
    expect(await organisationCount()).toBe(before)
    expect(await auditRows(adminId, 'organisation.create')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', reason: 'name already in use' }),
    )
  })

  it('adds a team to an organisation and audits it', async () => {
    const id = await anOrganisation(database.db, { name: 'Northgate Family Hub' })
    const response = await admin.post(
      `/admin/organisations/${id}/teams`,
      { name: 'Early help' },
      { csrfFrom: `/admin/organisations/${id}` },
    )
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`/admin/organisations/${id}?done=team`)
    const team = await database.db
      .selectFrom('teams')
      .selectAll()
      .where('organisation_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(team.name).toBe('Early help')
    const page = await admin.get(`/admin/organisations/${id}`)
    expect(page.body).toContain('Early help')
    expect(await auditRows(adminId, 'team.create')).toContainEqual(
      expect.objectContaining({ outcome: 'allowed', subject_type: 'team', subject_id: team.id }),
    )
  })

  it('refuses a bad or duplicate team name and adds nothing', async () => {
    const id = await anOrganisation(database.db)
    await database.db.insertInto('teams').values({ organisation_id: id, name: 'Midwifery' }).execute()
    const short = await admin.post(
      `/admin/organisations/${id}/teams`,
      { name: 'x' },
      { csrfFrom: `/admin/organisations/${id}` },
    )
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain('govuk-error-summary')
    expect(short.body).toContain('Name must be 2 characters or more')
    expect(short.body).toContain('value="x"')
    const duplicate = await admin.post(
      `/admin/organisations/${id}/teams`,
      { name: 'midwifery' },
      { csrfFrom: `/admin/organisations/${id}` },
    )
    expect(duplicate.statusCode).toBe(400)
    expect(duplicate.body).toContain('already has a team called midwifery')
    const teams = await database.db.selectFrom('teams').select('name').where('organisation_id', '=', id).execute()
    expect(teams).toEqual([{ name: 'Midwifery' }])
    expect(await auditRows(adminId, 'team.create')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', subject_id: id }),
    )
  })

  it('answers 404 for an unknown or malformed organisation id', async () => {
    for (const path of [
      '/admin/organisations/00000000-0000-4000-8000-000000000000',
      '/admin/organisations/not-an-id',
    ]) {
      const response = await admin.get(path)
      expect(response.statusCode).toBe(404)
      expect(response.body).toContain('Page not found')
    }
    const post = await admin.post(
      '/admin/organisations/00000000-0000-4000-8000-000000000000/teams',
      { name: 'Ghost team' },
      {
        csrfFrom: '/admin/organisations',
      },
    )
    expect(post.statusCode).toBe(404)
  })

  it('lets an information governance officer see organisations but not add them', async () => {
    const page = await igOfficer.get('/admin/organisations')
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Add an organisation')
    const before = await organisationCount()
    const response = await igOfficer.post(
      '/admin/organisations',
      { name: 'Sneaky Ltd', kind: 'voluntary_organisation' },
      {
        csrfFrom: '/admin/organisations',
      },
    )
    expect(response.statusCode).toBe(403)
    expect(await organisationCount()).toBe(before)
    expect(await auditRows(igOfficerId, 'organisation.manage')).toEqual([
      expect.objectContaining({ outcome: 'denied', reason: 'role lacks permission' }),
    ])
  })
})
