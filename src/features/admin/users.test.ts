import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { anOrganisation, aUser, type TestUser } from '../../../test/builders/users.js'
import { Browser, createTestApp, signIn, testConfig } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'

let database: DatabaseHandle
let app: App
let adminUser: TestUser
let admin: Browser
let igUser: TestUser
let igOfficer: Browser

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  adminUser = await aUser(database.db, { role: 'system_admin' })
  igUser = await aUser(database.db, { role: 'ig_officer' })
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
    .select(['action', 'outcome', 'reason', 'subject_id', 'details'])
    .where('user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

async function userRow(id: string) {
  return database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function userCount(): Promise<number> {
  const row = await database.db
    .selectFrom('users')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

/** The number of rows in the body of the first table on a page. */
function tableRows(html: string): number {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return body.match(/<tr class="govuk-table__row">/g)?.length ?? 0
}

describe('the users page', () => {
  it('lists users with their role, organisation, status, MFA and last sign-in, and audits the search', async () => {
    const organisationId = await anOrganisation(database.db, { name: 'Listing Trust' })
    const listed = await aUser(database.db, {
      role: 'team_manager',
      organisationId,
      email: 'listed.manager@test.example',
    })
    const invited = await database.db
      .insertInto('users')
      .values({
        kind: 'staff',
        email: 'listed.invited@test.example',
        display_name: 'Listed Invitee',
        role_code: 'analyst',
        organisation_id: organisationId,
        la_code: testConfig.authority.code,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const page = await admin.get('/admin/users?q=listed')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`href="/admin/users/${listed.id}"`)
    expect(page.body).toContain('listed.manager@test.example')
    expect(page.body).toContain('Team manager')
    expect(page.body).toContain('Listing Trust')
    expect(page.body).toContain('Active')
    expect(page.body).toContain('Invited')
    expect(page.body).toContain('Never')
    expect(tableRows(page.body)).toBe(2)

    const invitedOnly = await admin.get(`/admin/users?status=invited&organisation=${organisationId}`)
    expect(invitedOnly.body).toContain(`href="/admin/users/${invited.id}"`)
    expect(invitedOnly.body).not.toContain(`href="/admin/users/${listed.id}"`)

    const byRole = await admin.get('/admin/users?q=listed&role=analyst')
    expect(tableRows(byRole.body)).toBe(1)

    expect((await auditRows(adminUser.id, 'user.search')).at(0)).toMatchObject({
      outcome: 'allowed',
      details: { criteria: ['q'], results: 2, page: 1 },
    })
  })

  it('lists parents too, and treats % and _ in the search as ordinary characters', async () => {
    const parent = await aUser(database.db, { role: 'parent', email: 'wild_card%parent@test.example' })
    const page = await admin.get(`/admin/users?q=${encodeURIComponent('card%par')}`)
    expect(page.body).toContain(`href="/admin/users/${parent.id}"`)
    expect(page.body).toContain('Parent or carer')
    const none = await admin.get(`/admin/users?q=${encodeURIComponent('w_ld')}`)
    expect(none.body).toContain('No users match the filter')
  })

  it('pages through users 50 at a time', async () => {
    for (let index = 0; index < 55; index++) {
      await aUser(database.db, { role: 'parent', email: `pager.${String(index).padStart(2, '0')}@test.example` })
    }
    const first = await admin.get('/admin/users?q=pager.')
    expect(tableRows(first.body)).toBe(50)
    expect(first.body).toContain('Users 1 to 50 of 55')
    expect(first.body).toContain('href="/admin/users?q=pager.&amp;page=2"')
    expect(first.body).not.toContain('rel="prev"')
    const second = await admin.get('/admin/users?q=pager.&page=2')
    expect(tableRows(second.body)).toBe(5)
    expect(second.body).toContain('Users 51 to 55 of 55')
    expect(second.body).toContain('href="/admin/users?q=pager."')
    expect(second.body).not.toContain('rel="next"')
  })

  it('shows the error summary for a bad filter, keeps what was typed and lists no one', async () => {
    const long = 'x'.repeat(201)
    const page = await admin.get(`/admin/users?q=${long}&status=sleeping`)
    expect(page.statusCode).toBe(400)
    expect(page.body).toContain('govuk-error-summary')
    expect(page.body).toContain('Search text must be 200 characters or fewer')
    expect(page.body).toContain('Select a status from the list')
    expect(page.body).toContain(`value="${long}"`)
    expect(tableRows(page.body)).toBe(0)
  })

  it('is open to an information governance officer, without the invite button', async () => {
    const page = await igOfficer.get('/admin/users')
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Invite a member of staff')
  })
})

describe('inviting a member of staff', () => {
  it('creates the account, queues the invitation, audits it and says the invitation was sent', async () => {
    const organisationId = await anOrganisation(database.db, { name: 'Invite Trust' })
    const team = await database.db
      .insertInto('teams')
      .values({ organisation_id: organisationId, name: 'Invite team' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const form = await admin.get('/admin/users/invite')
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('Invite team (Invite Trust)')
    const response = await admin.post('/admin/users/invite', {
      displayName: 'Asha Patel',
      email: 'Asha.Patel@test.example',
      roleCode: 'practitioner',
      profession: 'midwife',
      organisationId,
      teamId: team.id,
    })
    expect(response.statusCode).toBe(303)
    const created = await database.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'Asha.Patel@test.example')
      .executeTakeFirstOrThrow()
    expect(created).toMatchObject({
      kind: 'staff',
      display_name: 'Asha Patel',
      role_code: 'practitioner',
      profession: 'midwife',
      organisation_id: organisationId,
      team_id: team.id,
      password_hash: null,
    })
    expect(response.headers.location).toBe(`/admin/users/${created.id}?done=invited`)
    const page = await admin.get(response.headers.location ?? '')
    expect(page.body).toContain('Invitation sent')
    expect(page.body).toContain('Invited')
    const messages = await database.db
      .selectFrom('outbox_messages')
      .select(['template'])
      .where('recipient', '=', 'Asha.Patel@test.example')
      .execute()
    expect(messages).toEqual([{ template: 'staff-invitation' }])
    expect(await auditRows(adminUser.id, 'user.invite')).toContainEqual(
      expect.objectContaining({ outcome: 'allowed', subject_id: created.id }),
    )
  })

  it('ignores a profession for roles other than practitioner', async () => {
    const organisationId = await anOrganisation(database.db)
    const response = await admin.post('/admin/users/invite', {
      displayName: 'Ben Analyst',
      email: 'ben.analyst@test.example',
      roleCode: 'analyst',
      profession: 'midwife',
      organisationId,
      teamId: '',
    })
    expect(response.statusCode).toBe(303)
    const created = await database.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'ben.analyst@test.example')
      .executeTakeFirstOrThrow()
    expect(created).toMatchObject({ role_code: 'analyst', profession: null, team_id: null })
  })

  it('needs a profession for a practitioner, shows the errors, keeps what was typed and creates nothing', async () => {
    const organisationId = await anOrganisation(database.db)
    const before = await userCount()
    const response = await admin.post('/admin/users/invite', {
      displayName: 'Cara Nurse',
      email: 'cara.nurse@test.example',
      roleCode: 'practitioner',
      organisationId,
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('Select the practitioner’s profession')
    expect(response.body).toContain('href="#profession"')
    expect(response.body).toContain('value="Cara Nurse"')
    expect(response.body).toContain('value="cara.nurse@test.example"')
    expect(response.body).toMatch(/<option value="practitioner" selected>/)
    expect(await userCount()).toBe(before)
  })

  it('refuses a parent role, a missing organisation and a bad email', async () => {
    const before = await userCount()
    const response = await admin.post('/admin/users/invite', {
      displayName: 'X',
      email: 'not-an-email',
      roleCode: 'parent',
      organisationId: '',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Enter an email address in the correct format')
    expect(response.body).toContain('Select a role')
    expect(response.body).toContain('Select an organisation')
    expect(await userCount()).toBe(before)
  })

  it('refuses an email address already in use, or a team of another organisation, and audits the refusals', async () => {
    const organisationId = await anOrganisation(database.db)
    const otherOrganisationId = await anOrganisation(database.db)
    const otherTeam = await database.db
      .insertInto('teams')
      .values({ organisation_id: otherOrganisationId, name: 'Elsewhere' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const existing = await aUser(database.db, { role: 'analyst' })
    const before = await userCount()
    const duplicate = await admin.post('/admin/users/invite', {
      displayName: 'Someone',
      email: existing.email.toUpperCase(),
      roleCode: 'analyst',
      organisationId,
    })
    expect(duplicate.statusCode).toBe(400)
    expect(duplicate.body).toContain('There is already an account with this email address')
    const wrongTeam = await admin.post('/admin/users/invite', {
      displayName: 'Someone Else',
      email: 'someone.else@test.example',
      roleCode: 'analyst',
      organisationId,
      teamId: otherTeam.id,
    })
    expect(wrongTeam.statusCode).toBe(400)
    expect(wrongTeam.body).toContain('Select a team that is part of the organisation')
    const noSuchOrganisation = await admin.post('/admin/users/invite', {
      displayName: 'Someone Else',
      email: 'someone.else@test.example',
      roleCode: 'analyst',
      organisationId: '00000000-0000-4000-8000-000000000000',
    })
    expect(noSuchOrganisation.statusCode).toBe(400)
    expect(noSuchOrganisation.body).toContain('Select an organisation')
    expect(await userCount()).toBe(before)
    const refusals = (await auditRows(adminUser.id, 'user.invite')).filter(row => row.outcome === 'denied')
    expect(refusals.map(row => row.reason)).toEqual(
      expect.arrayContaining(['email already in use', 'team not in organisation']),
    )
  })

  it('is refused to an information governance officer, and the refusal is audited', async () => {
    const response = await igOfficer.get('/admin/users/invite')
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('You do not have permission to see this page')
    expect(await auditRows(igUser.id, 'user.manage')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', reason: 'role lacks permission' }),
    )
  })
})

describe('a user’s page', () => {
  it('shows the account and its actions, and audits the view', async () => {
    const target = await aUser(database.db, {
      role: 'practitioner',
      profession: 'health_visitor',
      email: 'shown.hv@test.example',
    })
    const page = await admin.get(`/admin/users/${target.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('shown.hv@test.example')
    expect(page.body).toContain('Practitioner (Health visitor)')
    expect(page.body).toContain(`/admin/users/${target.id}/disable`)
    expect(page.body).toContain(`/admin/users/${target.id}/reset-mfa`)
    expect(page.body).toContain(`/admin/users/${target.id}/role`)
    expect(await auditRows(adminUser.id, 'user.read')).toContainEqual(
      expect.objectContaining({ outcome: 'allowed', subject_id: target.id }),
    )
  })

  it('answers 404 for an unknown or malformed id', async () => {
    for (const path of [
      '/admin/users/00000000-0000-4000-8000-000000000000',
      '/admin/users/nobody',
      '/admin/users/00000000-0000-4000-8000-000000000000/disable',
      '/admin/users/nobody/role',
    ]) {
      const response = await admin.get(path)
      expect(response.statusCode, path).toBe(404)
      expect(response.body).toContain('Page not found')
    }
  })

  it('does not offer to disable or change the role of the administrator themselves', async () => {
    const page = await admin.get(`/admin/users/${adminUser.id}`)
    expect(page.body).toContain('This is your own account')
    expect(page.body).not.toContain(`/admin/users/${adminUser.id}/disable`)
    expect(page.body).not.toContain(`/admin/users/${adminUser.id}/role"`)
  })
})

describe('disabling and enabling an account', () => {
  it('disables an account: its session stops working, it cannot sign in, and it is audited', async () => {
    const targetUser = await aUser(database.db, { role: 'practitioner' })
    const target = await signIn(app.app, targetUser)
    expect((await target.get('/home')).statusCode).toBe(200)

    const confirm = await admin.get(`/admin/users/${targetUser.id}/disable`)
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('Disable account')
    const response = await admin.post(`/admin/users/${targetUser.id}/disable`, {})
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`/admin/users/${targetUser.id}?done=disabled`)
    expect((await userRow(targetUser.id)).disabled_at).not.toBeNull()

    const after = await target.get('/home')
    expect(after.statusCode).toBe(303)
    expect(after.headers.location).toContain('/sign-in')
    const again = await new Browser(app.app).post('/sign-in', {
      email: targetUser.email,
      password: targetUser.password,
    })
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('Enter a correct email address and password')

    expect(await auditRows(adminUser.id, 'user.disable')).toContainEqual(
      expect.objectContaining({ outcome: 'allowed', subject_id: targetUser.id, details: { sessionsEnded: 1 } }),
    )
    const page = await admin.get(response.headers.location ?? '')
    expect(page.body).toContain('Account disabled')
    expect(page.body).toContain(`/admin/users/${targetUser.id}/enable`)

    const enabled = await admin.post(`/admin/users/${targetUser.id}/enable`, {})
    expect(enabled.statusCode).toBe(303)
    expect((await userRow(targetUser.id)).disabled_at).toBeNull()
    expect(await auditRows(adminUser.id, 'user.enable')).toContainEqual(
      expect.objectContaining({ outcome: 'allowed', subject_id: targetUser.id }),
    )
  })

  it('refuses to disable an account twice, or to enable one that is not disabled, and audits the refusals', async () => {
    const targetUser = await aUser(database.db, { role: 'analyst' })
    const enable = await admin.post(`/admin/users/${targetUser.id}/enable`, {})
    expect(enable.statusCode).toBe(400)
    expect(enable.body).toContain('This account is not disabled')
    expect(await auditRows(adminUser.id, 'user.enable')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', subject_id: targetUser.id, reason: 'This account is not disabled' }),
    )
  })

  it('will not let the administrator disable themselves, and audits the attempt', async () => {
    const response = await admin.post(
      `/admin/users/${adminUser.id}/disable`,
      {},
      { csrfFrom: `/admin/users/${adminUser.id}` },
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('You cannot disable your own account')
    expect((await userRow(adminUser.id)).disabled_at).toBeNull()
    expect(await auditRows(adminUser.id, 'user.disable')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', subject_id: adminUser.id }),
    )
    expect((await admin.get('/admin/users')).statusCode).toBe(200)
  })
})

describe('resetting two-factor authentication', () => {
  it('removes MFA, ends their sessions, emails them, audits it, and their next sign-in sets MFA up again', async () => {
    const targetUser = await aUser(database.db, { role: 'team_manager' })
    const target = await signIn(app.app, targetUser)
    await database.db
      .insertInto('recovery_codes')
      .values({ user_id: targetUser.id, code_hash: 'x'.repeat(64) })
      .execute()

    const confirm = await admin.get(`/admin/users/${targetUser.id}/reset-mfa`)
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('Reset two-factor authentication for Test team_manager')
    const response = await admin.post(`/admin/users/${targetUser.id}/reset-mfa`, {})
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`/admin/users/${targetUser.id}?done=mfa-reset`)
    const row = await userRow(targetUser.id)
    expect(row.mfa_enabled_at).toBeNull()
    expect(row.mfa_secret_encrypted).toBeNull()
    const codes = await database.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('user_id', '=', targetUser.id)
      .execute()
    expect(codes).toEqual([])
    expect((await target.get('/home')).statusCode).toBe(303)
    const messages = await database.db
      .selectFrom('outbox_messages')
      .select(['template'])
      .where('recipient', '=', targetUser.email)
      .execute()
    expect(messages).toEqual([{ template: 'mfa-reset' }])
    expect(await auditRows(adminUser.id, 'user.mfa-reset')).toContainEqual(
      expect.objectContaining({ outcome: 'allowed', subject_id: targetUser.id, details: { sessionsEnded: 1 } }),
    )

    const next = await new Browser(app.app).post('/sign-in', { email: targetUser.email, password: targetUser.password })
    expect(next.statusCode).toBe(303)
    expect(next.headers.location).toBe('/sign-in/mfa/setup')
  })
})

describe('changing a role', () => {
  it('changes the role and profession and audits both sides of the change', async () => {
    const targetUser = await aUser(database.db, { role: 'analyst' })
    const form = await admin.get(`/admin/users/${targetUser.id}/role`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toMatch(/<option value="analyst" selected>/)
    const response = await admin.post(`/admin/users/${targetUser.id}/role`, {
      roleCode: 'practitioner',
      profession: 'social_worker',
    })
    expect(response.statusCode).toBe(303)
    expect(await userRow(targetUser.id)).toMatchObject({ role_code: 'practitioner', profession: 'social_worker' })
    expect(await auditRows(adminUser.id, 'user.role-change')).toContainEqual(
      expect.objectContaining({
        outcome: 'allowed',
        subject_id: targetUser.id,
        details: { from: 'analyst', to: 'practitioner', professionFrom: null, professionTo: 'social_worker' },
      }),
    )
    const back = await admin.post(`/admin/users/${targetUser.id}/role`, {
      roleCode: 'team_manager',
      profession: 'social_worker',
    })
    expect(back.statusCode).toBe(303)
    expect(await userRow(targetUser.id)).toMatchObject({ role_code: 'team_manager', profession: null })
  })

  it('shows the errors for a bad choice and changes nothing', async () => {
    const targetUser = await aUser(database.db, { role: 'analyst' })
    const noProfession = await admin.post(`/admin/users/${targetUser.id}/role`, { roleCode: 'practitioner' })
    expect(noProfession.statusCode).toBe(400)
    expect(noProfession.body).toContain('govuk-error-summary')
    expect(noProfession.body).toContain('Select the practitioner’s profession')
    expect(noProfession.body).toMatch(/<option value="practitioner" selected>/)
    const parentRole = await admin.post(`/admin/users/${targetUser.id}/role`, { roleCode: 'parent' })
    expect(parentRole.statusCode).toBe(400)
    expect(parentRole.body).toContain('Select a role')
    const same = await admin.post(`/admin/users/${targetUser.id}/role`, { roleCode: 'analyst' })
    expect(same.statusCode).toBe(400)
    expect(same.body).toContain('already has this role')
    expect(await userRow(targetUser.id)).toMatchObject({ role_code: 'analyst', profession: null })
  })

  it('will not give a parent a staff role, and audits the refusal', async () => {
    const parent = await aUser(database.db, { role: 'parent' })
    const form = await admin.get(`/admin/users/${parent.id}/role`)
    expect(form.body).toContain('Parents and carers cannot be given staff roles')
    expect(form.body).not.toContain('name="roleCode"')
    const response = await admin.post(
      `/admin/users/${parent.id}/role`,
      { roleCode: 'system_admin' },
      { csrfFrom: `/admin/users/${parent.id}` },
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Parents and carers cannot be given staff roles')
    expect(await userRow(parent.id)).toMatchObject({ role_code: 'parent', kind: 'parent' })
    expect(await auditRows(adminUser.id, 'user.role-change')).toContainEqual(
      expect.objectContaining({
        outcome: 'denied',
        subject_id: parent.id,
        reason: 'Parents and carers cannot be given staff roles',
      }),
    )
  })

  it('will not let the administrator change their own role, and audits the attempt', async () => {
    const response = await admin.post(
      `/admin/users/${adminUser.id}/role`,
      { roleCode: 'analyst' },
      { csrfFrom: `/admin/users/${adminUser.id}` },
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('You cannot change your own role')
    expect(await userRow(adminUser.id)).toMatchObject({ role_code: 'system_admin' })
    expect(await auditRows(adminUser.id, 'user.role-change')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', subject_id: adminUser.id }),
    )
  })
})
