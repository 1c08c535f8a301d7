import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmailDomain } from '../../src/features/demo/demo-users.js'
import {
  clickAndWait,
  expectAccessible,
  launchBrowser,
  newContext,
  signInAsDemo,
  visit,
} from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'

/**
 * A system administrator manages users, and an information-governance officer finds those actions in the audit
 * trail and exports them, in a real browser with JavaScript on and off; axe checks every page (WCAG 2.2 AA).
 * Each mode signs in different demo accounts (a TOTP code works once per 30-second step per account), so the
 * JavaScript-off run uses a second system administrator and IG officer made for it.
 */

let server: E2eServer
let browser: Browser

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startE2eServer(), launchBrowser()])
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const modes = [
  { label: 'on', javaScriptEnabled: true, admin: `sysadmin@${demoEmailDomain}`, ig: `ig.officer@${demoEmailDomain}` },
  { label: 'off', javaScriptEnabled: false, admin: `sysadmin@${demoEmailDomain}`, ig: `ig.officer@${demoEmailDomain}` },
] as const

async function openAs(email: string, javaScriptEnabled: boolean, at: number): Promise<Page> {
  const context = await newContext(browser, server.baseUrl, { javaScriptEnabled })
  const page = await context.newPage()
  // Both modes use the same demo accounts: the second run waits for the next TOTP step so its code is fresh.
  const wait = at - Date.now()
  if (wait > 0) {
    await new Promise(resolve => setTimeout(resolve, wait))
  }
  await signInAsDemo(page, email)
  expect(new URL(page.url()).pathname).toBe('/home')
  return page
}

describe.each(modes)('administration and audit, with JavaScript $label', { timeout: 150_000 }, mode => {
  it('a system administrator invites, disables and resets a user; an IG officer finds it in the audit trail', async () => {
    const nextStep = (Math.floor(Date.now() / 30_000) + 1) * 30_000 + 500
    const start = mode.javaScriptEnabled ? 0 : nextStep
    const admin = await openAs(mode.admin, mode.javaScriptEnabled, start)
    const email = `new.worker.${mode.label}@example.org`

    await visit(admin, '/admin/users')
    await expectAccessible(admin)
    await visit(admin, '/admin/users/invite')
    await expectAccessible(admin)
    // Nothing filled in: the error summary, and nothing created.
    await clickAndWait(admin, admin.getByRole('button', { name: 'Send invitation' }))
    await expect.poll(() => admin.locator('.govuk-error-summary').count()).toBe(1)
    await expectAccessible(admin)
    await admin.locator('#displayName').fill(`New Worker ${mode.label}`)
    await admin.locator('#email').fill(email)
    await admin.locator('#roleCode').selectOption('practitioner')
    await admin.getByLabel('Health visitor').check()
    await admin.locator('#organisationId').selectOption({ label: 'Northmoor Community Health NHS Trust' })
    await clickAndWait(admin, admin.getByRole('button', { name: 'Send invitation' }))
    await expect.poll(() => admin.locator('h1').textContent()).toContain(`New Worker ${mode.label}`)
    await expectAccessible(admin)
    const userPath = new URL(admin.url()).pathname
    const userId = userPath.split('/').pop() ?? ''

    await clickAndWait(admin, admin.getByRole('link', { name: /^Disable account/ }))
    await expectAccessible(admin)
    await clickAndWait(admin, admin.getByRole('button', { name: 'Disable account' }))
    await expect.poll(() => admin.locator('main').textContent()).toContain('Disabled')
    await clickAndWait(admin, admin.getByRole('link', { name: /^Reset two-factor authentication/ }))
    await expectAccessible(admin)
    await clickAndWait(admin, admin.getByRole('button', { name: 'Reset two-factor authentication' }))
    await expectAccessible(admin)
    await visit(admin, '/admin/roles')
    await expectAccessible(admin)
    await visit(admin, '/admin/organisations')
    await expectAccessible(admin)
    await visit(admin, '/demo/messages')
    await expect.poll(() => admin.locator('main').textContent()).toContain('You have been invited')
    await expectAccessible(admin)

    const ig = await openAs(mode.ig, mode.javaScriptEnabled, 0)
    await visit(ig, '/audit')
    await expectAccessible(ig)
    // A malformed date: the error summary, what was typed kept, no results.
    await visit(ig, `/audit?subject=${userId}&from=31%2F02%2F2026`, 400)
    await expect.poll(() => ig.locator('.govuk-error-summary').count()).toBe(1)
    await expectAccessible(ig)
    await visit(ig, '/audit')
    await ig.locator('#subject').fill(userId)
    await clickAndWait(ig, ig.getByRole('button', { name: 'Search', exact: true }))
    const results = (await ig.locator('main table').textContent()) ?? ''
    expect(results).toContain('user.invite')
    expect(results).toContain('user.disable')
    expect(results).toContain('user.mfa-reset')
    await expectAccessible(ig)
    const csv = await ig.request.get(`/audit/export.csv?subject=${userId}`)
    expect(csv.status()).toBe(200)
    expect(csv.headers()['content-disposition']).toContain('attachment')
    const text = await csv.text()
    expect(text.split('\n')[0]).toContain('occurred_at')
    expect(text).toContain('user.disable')

    // The IG officer cannot manage users; the system administrator cannot read the audit trail.
    await visit(ig, '/admin/users/invite', 403)
    await expectAccessible(ig)
    await visit(admin, '/audit', 403)
    await ig.context().close()
    await admin.context().close()
  })
})
