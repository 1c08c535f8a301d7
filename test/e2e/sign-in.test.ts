import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmailDomain } from '../../src/features/demo/demo-users.js'
import { currentTotpCode } from '../../src/platform/auth/totp.js'
import { aUser } from '../builders/users.js'
import {
  clickAndWait,
  demoTotpCode,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshotForDocs,
  signInAsDemo,
  visit,
  wrongTotpCode,
} from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'

/**
 * The sign-in journeys in a real browser, with JavaScript on and off: the start page, staff sign-in with a
 * two-factor code, each role's home page, sign-out, the errors, parent sign-in and sign-up, the statutory pages,
 * the 404 page and two-factor set-up for a new account. axe checks every page for WCAG 2.2 AA.
 *
 * A TOTP code works once per 30-second step per account, so every test signs in a different account.
 */

const demo = (local: string) => `${local}@${demoEmailDomain}`

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
  {
    label: 'on',
    javaScriptEnabled: true,
    staff: {
      email: demo('health.visitor'),
      panels: ['Your caseload'],
      notPanels: ['Users and organisations', 'Audit trail'],
    },
    wrongPassword: demo('analyst'),
    wrongCode: demo('midwife'),
    parentSignUpEmail: 'new.parent.js@test.example',
  },
  {
    label: 'off',
    javaScriptEnabled: false,
    staff: {
      email: demo('sysadmin'),
      panels: ['Users and organisations', 'Messages'],
      notPanels: ['Your caseload', 'Audit trail'],
    },
    wrongPassword: demo('service.manager'),
    wrongCode: demo('early.years'),
    parentSignUpEmail: 'new.parent.nojs@test.example',
  },
] as const

function pathOf(page: Page): string {
  const url = new URL(page.url())
  return url.pathname + url.search
}

async function panelHeadings(page: Page): Promise<string[]> {
  return (await page.locator('.app-card h2').allTextContents()).map(text => text.trim())
}

describe.each(modes)('the accessibility check, with JavaScript $label', { concurrent: true }, mode => {
  it('fails, naming the rules, on a page with violations', async () => {
    const context = await newContext(browser, server.baseUrl, { javaScriptEnabled: mode.javaScriptEnabled })
    try {
      const page = await context.newPage()
      await page.route(`${server.baseUrl}/axe-self-test`, route =>
        route.fulfill({
          contentType: 'text/html',
          body: '<!DOCTYPE html><html><head><title>Bad page</title></head><body><main><img src="/public/favicon.svg"><input type="text"></main></body></html>',
        }),
      )
      await visit(page, '/axe-self-test')
      const failure = await expectAccessible(page).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(failure).toBeInstanceOf(Error)
      const message = (failure as Error).message
      expect(message).toContain('axe found violations on /axe-self-test (“Bad page”)')
      for (const rule of ['html-has-lang', 'image-alt', 'label']) {
        expect(message).toContain(`${rule}:`)
      }
    } finally {
      await context.close()
    }
  })
})

describe.each(modes)('with JavaScript $label', { concurrent: true, timeout: 60_000 }, mode => {
  async function withPage(test: (page: Page) => Promise<void>): Promise<void> {
    const context = await newContext(browser, server.baseUrl, { javaScriptEnabled: mode.javaScriptEnabled })
    try {
      await test(await context.newPage())
    } finally {
      await context.close()
    }
  }

  it('start page → staff sign-in → code → the role’s home page → sign out', () =>
    withPage(async page => {
      await visit(page, '/')
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Support for families')
      await expectAccessible(page)
      if (mode.javaScriptEnabled) {
        await screenshotForDocs(page, 'start-page')
      }

      await clickAndWait(page, page.getByRole('link', { name: 'Sign in as a member of staff' }))
      expect(pathOf(page)).toBe('/sign-in')
      await expectAccessible(page)
      await page.locator('#email').fill(mode.staff.email)
      await page.locator('#password').fill('demo-password-2026')
      await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }))

      expect(pathOf(page)).toBe('/sign-in/mfa')
      await expectAccessible(page)
      await page.locator('#code').fill(demoTotpCode(mode.staff.email))
      await clickAndWait(page, page.getByRole('button', { name: 'Continue', exact: true }))

      expect(pathOf(page)).toBe('/home')
      await expectAccessible(page)
      const panels = await panelHeadings(page)
      for (const panel of mode.staff.panels) {
        expect(panels).toContain(panel)
      }
      for (const panel of mode.staff.notPanels) {
        expect(panels).not.toContain(panel)
      }
      if (mode.javaScriptEnabled) {
        await screenshotForDocs(page, 'home-page')
      }

      await clickAndWait(page, page.getByRole('button', { name: 'Sign out' }))
      expect(pathOf(page)).toBe('/signed-out')
      await expectAccessible(page)
      await visit(page, '/home')
      expect(pathOf(page)).toBe('/sign-in?returnTo=%2Fhome')
    }))

  it('shows the error summary for a wrong password' + (mode.javaScriptEnabled ? ', and moves focus to it' : ''), () =>
    withPage(async page => {
      await visit(page, '/sign-in')
      await page.locator('#email').fill(mode.wrongPassword)
      await page.locator('#password').fill('not-the-password')
      await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }))

      expect(pathOf(page)).toBe('/sign-in')
      await expect(page.title()).resolves.toMatch(/^Error: /)
      const summary = page.locator('.govuk-error-summary')
      await expect(summary.textContent()).resolves.toContain('Enter a correct email address and password')
      await expect(page.locator('#email').inputValue()).resolves.toBe(mode.wrongPassword)
      await expect(page.locator('#password').inputValue()).resolves.toBe('')
      const summaryFocused = await summary.evaluate(element => element === document.activeElement)
      expect(summaryFocused).toBe(mode.javaScriptEnabled)
      await expectAccessible(page)
    }),
  )

  it('shows an inline error for a wrong two-factor code', () =>
    withPage(async page => {
      await visit(page, '/sign-in')
      await page.locator('#email').fill(mode.wrongCode)
      await page.locator('#password').fill('demo-password-2026')
      await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }))
      expect(pathOf(page)).toBe('/sign-in/mfa')
      await page.locator('#code').fill(wrongTotpCode(mode.wrongCode))
      await clickAndWait(page, page.getByRole('button', { name: 'Continue', exact: true }))

      expect(pathOf(page)).toBe('/sign-in/mfa')
      await expect(page.locator('#code-error').textContent()).resolves.toContain('The code is not correct')
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The code is not correct')
      await expectAccessible(page)
      await visit(page, '/home')
      expect(pathOf(page)).toBe('/sign-in?returnTo=%2Fhome')
    }))

  it('signs a parent in (no two-factor code) to their home page', () =>
    withPage(async page => {
      await signInAsDemo(page, demo('parent'))
      expect(pathOf(page)).toBe('/home')
      expect(await panelHeadings(page)).toEqual(['Your family'])
      await expectAccessible(page)
      await clickAndWait(page, page.getByRole('button', { name: 'Sign out' }))
      expect(pathOf(page)).toBe('/signed-out')
    }))

  it('creates a parent account, after showing the errors of an empty form', () =>
    withPage(async page => {
      await visit(page, '/parent/sign-in')
      await clickAndWait(page, page.getByRole('link', { name: 'Create a parent or carer account' }))
      expect(pathOf(page)).toBe('/parent/sign-up')
      await expectAccessible(page)

      await clickAndWait(page, page.getByRole('button', { name: 'Create account' }))
      expect(pathOf(page)).toBe('/parent/sign-up')
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('There is a problem')
      await expectAccessible(page)

      await page.locator('#displayName').fill('Alex Parent')
      await page.locator('#email').fill(mode.parentSignUpEmail)
      await page.locator('#password').fill('kettle-orbit-meadow-7')
      await page.locator('#confirmPassword').fill('kettle-orbit-meadow-7')
      await clickAndWait(page, page.getByRole('button', { name: 'Create account' }))
      expect(pathOf(page)).toBe('/home')
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Hello, Alex Parent')
      expect(await panelHeadings(page)).toEqual(['Your family'])
      await expectAccessible(page)
    }))

  it.each([
    ['/accessibility', 200, 'Accessibility statement'],
    ['/privacy', 200, 'Privacy notice'],
    ['/cookies', 200, 'Cookies'],
    ['/no-such-page', 404, 'Page not found'],
  ] as const)('%s answers %i and is accessible', (pathName, status, heading) =>
    withPage(async page => {
      await visit(page, pathName, status)
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(heading)
      await expectAccessible(page)
    }),
  )

  it('sets up two-factor authentication for a new staff account: QR code, key, code, recovery codes', () =>
    withPage(async page => {
      const user = await aUser(server.database.db, {
        role: 'practitioner',
        mfa: false,
        organisationId: server.orgs.communityTrust,
      })
      await visit(page, '/sign-in')
      await page.locator('#email').fill(user.email)
      await page.locator('#password').fill(user.password)
      await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }))

      expect(pathOf(page)).toBe('/sign-in/mfa/setup')
      await expect(page.locator('.app-qr svg').count()).resolves.toBe(1)
      await expectAccessible(page)
      await page.getByText('I cannot scan the QR code').click()
      const key = page.locator('#secret-key')
      await expect(key.isVisible()).resolves.toBe(true)
      const secret = (await key.textContent())?.replace(/\s+/g, '') ?? ''
      expect(secret).toMatch(/^[A-Z2-7]{32}$/)
      await expectAccessible(page)

      await page.locator('#code').fill(currentTotpCode(secret))
      await clickAndWait(page, page.getByRole('button', { name: 'Turn on two-factor authentication' }))
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Save your recovery codes')
      const codes = await page.locator('#recovery-codes li').allTextContents()
      expect(codes).toHaveLength(10)
      for (const code of codes) {
        expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/)
      }
      await expectAccessible(page)

      await clickAndWait(page, page.getByRole('button', { name: 'Continue' }))
      expect(pathOf(page)).toBe('/home')
      expect(await panelHeadings(page)).toContain('Your caseload')
    }))
})
