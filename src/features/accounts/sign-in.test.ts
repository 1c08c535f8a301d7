import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { currentTotpCode } from '../../platform/auth/totp.js'
import { aUser } from '../../../test/builders/users.js'
import { Browser, createTestApp, signIn } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import type { App } from '../../app.js'

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

async function auditRows(userId: string) {
  return database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'reason'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()
}

describe('staff sign-in with MFA', () => {
  it('signs in with password then TOTP, reaches home, and audits both steps', async () => {
    const user = await aUser(database.db, { role: 'practitioner' })
    const browser = new Browser(app.app)
    const first = await browser.post('/sign-in', { email: user.email.toUpperCase(), password: user.password })
    expect(first.statusCode).toBe(303)
    expect(first.headers.location).toBe('/sign-in/mfa')
    expect((await browser.get('/home')).statusCode).toBe(303)
    const second = await browser.post('/sign-in/mfa', { code: currentTotpCode(user.totpSecret ?? '') })
    expect(second.statusCode).toBe(303)
    const home = await browser.get('/home')
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain('Your caseload')
    expect(await auditRows(user.id)).toEqual([
      { action: 'auth.sign-in', outcome: 'allowed', reason: 'password accepted; two-factor authentication next' },
      { action: 'auth.mfa-verify', outcome: 'allowed', reason: null },
    ])
  })

  it('refuses a wrong password with the error summary, keeps the email, and audits the refusal', async () => {
    const user = await aUser(database.db)
    const browser = new Browser(app.app)
    const response = await browser.post('/sign-in', { email: user.email, password: 'not-the-password' })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('govuk-error-summary')
    expect(response.body).toContain('Enter a correct email address and password')
    expect(response.body).toContain(`value="${user.email}"`)
    expect(response.body).not.toContain('not-the-password')
    expect(await auditRows(user.id)).toEqual([{ action: 'auth.sign-in', outcome: 'denied', reason: 'wrong password' }])
  })

  it('refuses a replayed TOTP code', async () => {
    const user = await aUser(database.db)
    const code = currentTotpCode(user.totpSecret ?? '')
    const first = new Browser(app.app)
    await first.post('/sign-in', { email: user.email, password: user.password })
    expect((await first.post('/sign-in/mfa', { code })).statusCode).toBe(303)
    const second = new Browser(app.app)
    await second.post('/sign-in', { email: user.email, password: user.password })
    const replay = await second.post('/sign-in/mfa', { code })
    expect(replay.statusCode).toBe(400)
    expect(replay.body).toContain('already been used')
    expect((await second.get('/home')).statusCode).toBe(303)
  })

  it('locks the account after 5 wrong passwords, even for the right one', async () => {
    const user = await aUser(database.db)
    const browser = new Browser(app.app)
    for (let attempt = 0; attempt < 5; attempt++) {
      await browser.post('/sign-in', { email: user.email, password: `wrong-${String(attempt)}` })
    }
    const response = await browser.post('/sign-in', { email: user.email, password: user.password })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Your account is locked')
    const rows = await auditRows(user.id)
    expect(rows.at(-1)).toEqual({ action: 'auth.sign-in', outcome: 'denied', reason: 'account locked' })
  })

  it('rejects a form with a tampered CSRF token and changes nothing', async () => {
    const user = await aUser(database.db)
    const browser = new Browser(app.app)
    await browser.get('/sign-in')
    const response = await browser.post(
      '/sign-in',
      { email: user.email, password: user.password },
      { csrf: 'tampered' },
    )
    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('Your form could not be sent')
    expect(await auditRows(user.id)).toEqual([])
  })

  it('signs out, and the old session cookie no longer works', async () => {
    const user = await aUser(database.db)
    const browser = await signIn(app.app, user)
    const cookie = browser.cookieHeader()
    expect((await browser.post('/sign-out', {}, { csrfFrom: '/home' })).statusCode).toBe(303)
    const reuse = await app.app.inject({ method: 'GET', url: '/home', headers: { cookie } })
    expect(reuse.statusCode).toBe(303)
  })
})
