import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { recordAuditEvent, type AuditEventInput } from '../../platform/audit/audit.js'
import { aUser, type TestUser } from '../../../test/builders/users.js'
import { createTestApp, signIn, type Browser } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { auditCsvColumns } from './audit-export.js'

let database: DatabaseHandle
let app: App
let igUser: TestUser
let igOfficer: Browser
let adminUser: TestUser
let admin: Browser
let subjectUser: TestUser

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  igUser = await aUser(database.db, { role: 'ig_officer' })
  adminUser = await aUser(database.db, { role: 'system_admin' })
  subjectUser = await aUser(database.db, { role: 'practitioner', email: 'Audited.Person@test.example' })
  igOfficer = await signIn(app.app, igUser)
  admin = await signIn(app.app, adminUser)
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

/** Writes an audit event as the given user would have, from 192.0.2.1. */
async function anEvent(user: TestUser | undefined, event: AuditEventInput): Promise<void> {
  await recordAuditEvent(
    database.db,
    {
      actor: user ? { userId: user.id, roleCode: user.roleCode, organisationId: user.organisationId } : undefined,
      request: { requestId: 'seed', ip: '192.0.2.1', userAgent: 'test' },
    },
    event,
  )
}

async function auditRows(userId: string, action: string) {
  return database.db
    .selectFrom('audit_events')
    .select(['outcome', 'reason', 'details'])
    .where('user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

function tableRows(html: string): number {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return body.match(/<tr class="govuk-table__row">/g)?.length ?? 0
}

describe('searching the audit trail', () => {
  it('finds events by user email, shows them, and audits the search without the email', async () => {
    await anEvent(subjectUser, {
      action: 'family-record.read',
      outcome: 'allowed',
      subject: { type: 'family', id: 'fam-123' },
    })
    await anEvent(subjectUser, { action: 'family-record.update', outcome: 'denied', reason: 'no care relationship' })
    const page = await igOfficer.get(`/audit?user=${encodeURIComponent('audited.person@TEST.example')}`)
    expect(page.statusCode).toBe(200)
    expect(tableRows(page.body)).toBe(2)
    expect(page.body).toContain('Audited.Person@test.example')
    expect(page.body).toContain('family-record.read')
    expect(page.body).toContain('family fam-123')
    expect(page.body).toContain('no care relationship')
    expect(page.body).toContain('192.0.2.1')
    expect(page.body).toContain('practitioner')
    expect(page.body).toContain('value="audited.person@TEST.example"')

    const searches = await auditRows(igUser.id, 'audit.search')
    expect(searches.at(-1)).toEqual({
      outcome: 'allowed',
      reason: null,
      details: { criteria: ['user'], results: 2, page: 1 },
    })
    expect(JSON.stringify(searches)).not.toContain('audited.person')
  })

  it('finds events by user id, subject, action prefix, outcome and dates', async () => {
    await anEvent(subjectUser, {
      action: 'child-record.read',
      outcome: 'allowed',
      subject: { type: 'child', id: 'child-77' },
    })
    await anEvent(subjectUser, {
      action: 'child-record.update',
      outcome: 'error',
      subject: { type: 'child', id: 'child-77' },
    })
    expect(tableRows((await igOfficer.get(`/audit?user=${subjectUser.id}&subject=child-77`)).body)).toBe(2)
    expect(tableRows((await igOfficer.get('/audit?action=child-record')).body)).toBe(2)
    expect(tableRows((await igOfficer.get('/audit?action=child-record.update&outcome=error')).body)).toBe(1)
    expect(tableRows((await igOfficer.get('/audit?action=child-rec')).body)).toBe(0)
    const today = new Date().toISOString().slice(0, 10)
    const [year, month, day] = today.split('-')
    expect(tableRows((await igOfficer.get(`/audit?subject=child-77&from=${today}&to=${today}`)).body)).toBe(2)
    expect(
      tableRows((await igOfficer.get(`/audit?subject=child-77&from=${day ?? ''}/${month ?? ''}/${year ?? ''}`)).body),
    ).toBe(2)
    expect(tableRows((await igOfficer.get('/audit?subject=child-77&to=2001-01-01')).body)).toBe(0)
    const last = (await auditRows(igUser.id, 'audit.search')).at(-1)
    expect(last?.details).toEqual({ criteria: ['subject', 'to'], results: 0, page: 1 })
  })

  it('shows no results, and still audits the search, for an email no account has', async () => {
    const page = await igOfficer.get('/audit?user=nobody@test.example')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('No events match the search')
    expect((await auditRows(igUser.id, 'audit.search')).at(-1)?.details).toEqual({
      criteria: ['user'],
      results: 0,
      page: 1,
    })
  })

  it('pages through the results 50 at a time', async () => {
    for (let index = 0; index < 55; index++) {
      await anEvent(undefined, {
        action: 'test.paging',
        outcome: 'allowed',
        subject: { type: 'row', id: String(index) },
      })
    }
    const first = await igOfficer.get('/audit?action=test.paging')
    expect(tableRows(first.body)).toBe(50)
    expect(first.body).toContain('Events 1 to 50 of 55')
    expect(first.body).toContain('href="/audit?action=test.paging&amp;page=2"')
    expect(first.body).toContain('govuk-pagination')
    const second = await igOfficer.get('/audit?action=test.paging&page=2')
    expect(tableRows(second.body)).toBe(5)
    expect(second.body).toContain('Previous')
    expect(second.body).toContain('href="/audit?action=test.paging"')
    expect(second.body).not.toContain('rel="next"')
  })

  it('shows the error summary for bad filters, keeps what was typed, shows no results and records no search', async () => {
    const searchesBefore = (await auditRows(igUser.id, 'audit.search')).length
    const cases: [string, string[]][] = [
      ['from=2026-02-30', ['Date from must be a real date']],
      ['from=2026-03-10&to=2026-03-01', ['Date to must be the same as or after date from']],
      [`subject=${'s'.repeat(201)}`, ['Subject ID must be 200 characters or fewer']],
      [
        'user=not%20an%20email&action=DROP%20TABLE&outcome=maybe',
        ['Enter the user’s email address', 'Action must be an action name', 'Select an outcome'],
      ],
    ]
    for (const [query, messages] of cases) {
      const page = await igOfficer.get(`/audit?${query}`)
      expect(page.statusCode, query).toBe(400)
      expect(page.body).toContain('govuk-error-summary')
      for (const message of messages) {
        expect(page.body, query).toContain(message)
      }
      expect(page.body).not.toContain('<tbody')
    }
    const kept = await igOfficer.get('/audit?from=2026-02-30&subject=abc')
    expect(kept.body).toContain('value="2026-02-30"')
    expect(kept.body).toContain('value="abc"')
    expect(await auditRows(igUser.id, 'audit.search')).toHaveLength(searchesBefore)
  })

  it('is refused to a system administrator, and the refusal is audited', async () => {
    const response = await admin.get('/audit')
    expect(response.statusCode).toBe(403)
    expect(await auditRows(adminUser.id, 'audit.read')).toEqual([
      expect.objectContaining({ outcome: 'denied', reason: 'role lacks permission' }),
    ])
    const exported = await admin.get('/audit/export.csv')
    expect(exported.statusCode).toBe(403)
    expect(await auditRows(adminUser.id, 'audit.export')).toEqual([expect.objectContaining({ outcome: 'denied' })])
  })
})

describe('exporting the audit trail', () => {
  it('downloads the matching events as CSV, neutralises formulas, and audits the export with its row count', async () => {
    await anEvent(subjectUser, {
      action: 'test.export',
      outcome: 'denied',
      reason: '=HYPERLINK("http://evil.example","click")',
    })
    await anEvent(subjectUser, {
      action: 'test.export',
      outcome: 'allowed',
      subject: { type: 'family', id: '+44 7700 900123' },
    })
    const page = await igOfficer.get('/audit?action=test.export')
    expect(page.body).toContain('href="/audit/export.csv?action=test.export"')

    const response = await igOfficer.get('/audit/export.csv?action=test.export')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/csv')
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="audit-trail-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const rows = parse<Record<string, string>>(response.body, { columns: true })
    expect(Object.keys(rows[0] ?? {})).toEqual([...auditCsvColumns])
    expect(rows).toHaveLength(2)
    expect(rows.map(row => row.user_email)).toEqual(['Audited.Person@test.example', 'Audited.Person@test.example'])
    expect(rows[1]?.reason).toBe('\'=HYPERLINK("http://evil.example","click")')
    expect(rows[0]?.subject_id).toBe("'+44 7700 900123")

    expect((await auditRows(igUser.id, 'audit.export')).at(-1)).toEqual({
      outcome: 'allowed',
      reason: null,
      details: { criteria: ['action'], rows: 2 },
    })
  })

  it('writes the header only for an email no account has', async () => {
    const response = await igOfficer.get('/audit/export.csv?user=nobody@test.example')
    expect(response.statusCode).toBe(200)
    expect(response.body.trim()).toBe(auditCsvColumns.join(','))
    expect((await auditRows(igUser.id, 'audit.export')).at(-1)?.details).toEqual({ criteria: ['user'], rows: 0 })
  })

  it('refuses bad filters with the error summary and exports nothing', async () => {
    const before = (await auditRows(igUser.id, 'audit.export')).length
    const response = await igOfficer.get('/audit/export.csv?to=yesterday')
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('text/html')
    expect(response.body).toContain('Date to must be a real date')
    expect(await auditRows(igUser.id, 'audit.export')).toHaveLength(before)
  })
})
