import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { allPermissions } from '../../platform/auth/permissions.js'
import { aUser, type TestUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, type Browser } from '../../../test/helpers/test-app.js'
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

async function grants(roleCode: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('role_permissions')
    .select('permission')
    .where('role_code', '=', roleCode)
    .orderBy('permission')
    .execute()
  return rows.map(row => row.permission)
}

async function auditRows(userId: string, action: string) {
  return database.db
    .selectFrom('audit_events')
    .select(['outcome', 'reason', 'subject_id', 'details'])
    .where('user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

/** Posts the role form with these boxes ticked (repeated `permissions` fields, as a browser sends them). */
async function saveRole(browser: Browser, roleCode: string, permissions: string[]) {
  const page = await browser.get(`/admin/roles/${roleCode}`)
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const body = new URLSearchParams([
    ['_csrf', token],
    ...permissions.map(name => ['permissions', name] as [string, string]),
  ])
  return app.app.inject({
    method: 'POST',
    url: `/admin/roles/${roleCode}`,
    headers: { cookie: browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  })
}

describe('roles', () => {
  it('lists every role with its permissions', async () => {
    const page = await admin.get('/admin/roles')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('href="/admin/roles/system_admin"')
    expect(page.body).toContain('Information governance officer')
    expect(page.body).toContain('<code>audit.export</code>')
  })

  it('shows a checkbox for every permission in the catalogue, with its description, ticked if held', async () => {
    const page = await admin.get('/admin/roles/analyst')
    expect(page.statusCode).toBe(200)
    for (const permission of allPermissions) {
      expect(page.body).toContain(`value="${permission}"`)
    }
    expect(page.body).toContain('See outcome indicators and reports')
    expect(page.body).toMatch(/value="indicator.read" checked/)
    expect(page.body).not.toMatch(/value="audit.read" checked/)
  })

  it('answers 404 for an unknown or malformed role', async () => {
    for (const path of ['/admin/roles/astronaut', '/admin/roles/Not-A-Role', `/admin/roles/${'a'.repeat(80)}`]) {
      const response = await admin.get(path)
      expect(response.statusCode, path).toBe(404)
      expect(response.body).toContain('Page not found')
    }
  })

  it('saves grants in one go, audits what was added and removed, and the change applies on the next request', async () => {
    const analystUser = await aUser(database.db, { role: 'analyst' })
    const analyst = await signIn(app.app, analystUser)
    expect((await analyst.get('/audit')).statusCode).toBe(403)

    const before = await grants('analyst')
    const added = await saveRole(admin, 'analyst', [...before, 'audit.read'])
    expect(added.statusCode).toBe(303)
    expect(added.headers.location).toBe('/admin/roles/analyst?done=saved')
    expect(await grants('analyst')).toEqual([...before, 'audit.read'].sort())
    expect((await analyst.get('/audit')).statusCode).toBe(200)

    const removed = await saveRole(
      admin,
      'analyst',
      before.filter(name => name !== 'indicator.read'),
    )
    expect(removed.statusCode).toBe(303)
    expect(await grants('analyst')).toEqual(before.filter(name => name !== 'indicator.read'))
    expect((await analyst.get('/audit')).statusCode).toBe(403)

    expect(await auditRows(adminUser.id, 'role.permissions-change')).toEqual([
      { outcome: 'allowed', reason: null, subject_id: 'analyst', details: { added: ['audit.read'], removed: [] } },
      {
        outcome: 'allowed',
        reason: null,
        subject_id: 'analyst',
        details: { added: [], removed: ['audit.read', 'indicator.read'] },
      },
    ])
  })

  it('says so, and records nothing, when nothing changed', async () => {
    const before = await grants('directory_admin')
    const response = await saveRole(admin, 'directory_admin', before)
    expect(response.headers.location).toBe('/admin/roles/directory_admin?done=unchanged')
    expect(
      (await auditRows(adminUser.id, 'role.permissions-change')).filter(row => row.subject_id === 'directory_admin'),
    ).toEqual([])
  })

  it('refuses to take user.manage or role.manage from the system administrator, and audits the refusal', async () => {
    const before = await grants('system_admin')
    const response = await saveRole(
      admin,
      'system_admin',
      before.filter(name => name !== 'role.manage'),
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('System administrator must keep role.manage')
    expect(response.body).not.toMatch(/value="role.manage" checked/)
    expect(await grants('system_admin')).toEqual(before)
    expect(await auditRows(adminUser.id, 'role.permissions-change')).toContainEqual(
      expect.objectContaining({
        outcome: 'denied',
        subject_id: 'system_admin',
        details: { added: [], removed: ['role.manage'] },
      }),
    )
  })

  it('also keeps the read permissions the system administrator needs to reach those pages', async () => {
    const before = await grants('system_admin')
    const response = await saveRole(
      admin,
      'system_admin',
      before.filter(name => name !== 'role.read' && name !== 'user.read' && name !== 'outbox.read'),
    )
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('System administrator must keep role.read and user.read')
    expect(await grants('system_admin')).toEqual(before)
  })

  it('never gives the parent role a staff permission', async () => {
    const before = await grants('parent')
    const response = await saveRole(admin, 'parent', [...before, 'family-record.read'])
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('A parent or carer can hold only these permissions')
    expect(await grants('parent')).toEqual(before)
    expect(await auditRows(adminUser.id, 'role.permissions-change')).toContainEqual(
      expect.objectContaining({ outcome: 'denied', reason: 'staff permission offered to the parent role' }),
    )
  })

  it('refuses a permission that is not in the catalogue and changes nothing', async () => {
    const before = await grants('analyst')
    const response = await saveRole(admin, 'analyst', [...before, 'everything.everywhere'])
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Select permissions from the list')
    expect(await grants('analyst')).toEqual(before)
  })

  it('shows an information governance officer the grants but no form, and refuses their changes', async () => {
    const page = await igOfficer.get('/admin/roles/practitioner')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<code>caseload.read</code>')
    expect(page.body).not.toContain('type="checkbox"')
    const before = await grants('ig_officer')
    const response = await saveRole(igOfficer, 'ig_officer', [...before, 'user.manage'])
    expect(response.statusCode).toBe(403)
    expect(await grants('ig_officer')).toEqual(before)
    expect(await auditRows(igUser.id, 'role.manage')).toEqual([expect.objectContaining({ outcome: 'denied' })])
  })
})
