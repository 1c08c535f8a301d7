import fs from 'node:fs'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Result } from 'axe-core'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { demoPassword, demoTotpSecret } from '../../src/features/demo/demo-users.js'
import { currentTotpCode } from '../../src/platform/auth/totp.js'
import { demoSeed } from './e2e-server.js'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that keep Debian Chromium quiet and self-contained in a container. Never --user-data-dir here. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The WCAG levels every page must meet. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** One headless Chromium per test file (launch() uses a fresh temporary profile). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs })
}

/** A new browser context (own cookies), with JavaScript on or off, 1280 px wide, British English. */
export async function newContext(
  browser: Browser,
  baseUrl: string,
  options: { javaScriptEnabled: boolean },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    javaScriptEnabled: options.javaScriptEnabled,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  })
  context.setDefaultTimeout(20_000)
  context.setDefaultNavigationTimeout(20_000)
  if (!options.javaScriptEnabled) {
    scriptlessContexts.add(context)
  }
  return context
}

/** Contexts made with JavaScript off: axe cannot run in their pages (see expectAccessible). */
const scriptlessContexts = new WeakSet<BrowserContext>()

/** Readable lines for axe violations: rule, impact, help, then each offending node's selector and summary. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map(violation => {
      const nodes = violation.nodes
        .map(node => {
          const html = node.html.length > 300 ? `${node.html.slice(0, 300)}…` : node.html
          return `    - ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replace(/\n/g, '\n      ')}\n      ${html}`
        })
        .join('\n')
      return `  [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes}`
    })
    .join('\n')
}

/**
 * Runs axe on the page as it is now and fails with a readable list if there is any WCAG 2.2 AA violation.
 *
 * With JavaScript off, Chromium runs no timers or promise callbacks in the page, so axe (which needs them) would
 * hang there. For such a page, axe runs on a copy instead: the page's DOM as it is now, served at the same address
 * in a scratch context where JavaScript is on but the page's own scripts are blocked by a script-src 'none'
 * Content-Security-Policy (so the inline govuk `js-enabled` script does not run either). Styles, fonts and images
 * still come from the server, so colour contrast and layout are checked as the user sees them.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const where = `${new URL(page.url()).pathname} (“${await page.title()}”)`
  const violations = scriptlessContexts.has(page.context()) ? await axeOnScriptlessCopy(page) : await axe(page)
  if (violations.length > 0) {
    // A plain Error, not expect().toEqual([]): the diff of axe's result objects would bury the summary.
    throw new Error(`axe found violations on ${where}:\n${describeViolations(violations)}`)
  }
}

/** axe.run in the page itself ("legacy" mode): the pages have no iframes, and it is twice as fast as runPartial. */
async function axe(page: Page): Promise<Result[]> {
  return (await new AxeBuilder({ page }).withTags(axeTags).setLegacyMode().analyze()).violations
}

interface ScratchPage {
  page: Page
  /** What the scratch page serves next, and at which address. */
  copy: { address: string; html: string }
  /** Checks take turns on the one scratch page (tests may run concurrently). */
  turn: Promise<unknown>
}

/** One scratch page per browser, kept open so the stylesheets and fonts are cached after the first check. */
const scratchPages = new WeakMap<Browser, Promise<ScratchPage>>()

async function newScratchPage(browser: Browser): Promise<ScratchPage> {
  const context = await browser.newContext({ javaScriptEnabled: true, locale: 'en-GB' })
  const page = await context.newPage()
  const scratch: ScratchPage = { page, copy: { address: '', html: '' }, turn: Promise.resolve() }
  await page.route(
    url => url.href === scratch.copy.address,
    route =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': "script-src 'none'", 'cache-control': 'no-store', 'x-axe-copy': '1' },
        body: scratch.copy.html,
      }),
  )
  return scratch
}

async function axeOnScriptlessCopy(page: Page): Promise<Result[]> {
  const browser = page.context().browser()
  if (!browser) {
    throw new Error('expectAccessible needs a page from a launched browser')
  }
  let scratch = scratchPages.get(browser)
  if (!scratch) {
    scratch = newScratchPage(browser)
    scratchPages.set(browser, scratch)
  }
  const ready = await scratch
  const address = page.url().split('#')[0] ?? ''
  const html = await page.content()
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 }
  const check = ready.turn.then(async () => {
    ready.copy = { address, html }
    await ready.page.setViewportSize(viewport)
    const response = await ready.page.goto(address)
    if (response?.headers()['x-axe-copy'] !== '1') {
      throw new Error(`The copy of ${address} was not served: axe would have checked something else`)
    }
    return axe(ready.page)
  })
  ready.turn = check.catch(() => undefined)
  return check
}

/**
 * Clicks something that submits a form or follows a link, and waits for the new page to load. (A form that comes
 * back with errors has the same URL, so waiting for a URL change would not do.)
 */
export async function clickAndWait(page: Page, target: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), target.click()])
}

/** Goes to a path and checks the response status. */
export async function visit(page: Page, pathName: string, status = 200): Promise<void> {
  const response = await page.goto(pathName)
  expect(response?.status(), `GET ${pathName}`).toBe(status)
}

/** The current TOTP code of a demo account, as an authenticator app (or /demo/codes) would show it. */
export function demoTotpCode(email: string, at = Date.now()): string {
  return currentTotpCode(demoTotpSecret(email, demoSeed), at)
}

/** A six-digit code that is none of the codes the account accepts just now (the current step and one either side). */
export function wrongTotpCode(email: string): string {
  const now = Date.now()
  const accepted = new Set([-2, -1, 0, 1, 2].map(step => demoTotpCode(email, now + step * 30_000)))
  for (let candidate = 123456; ; candidate++) {
    const code = String(candidate)
    if (!accepted.has(code)) {
      return code
    }
  }
}

/**
 * Signs a demo account in through the real pages: the staff or parent sign-in form, then (staff) the code from the
 * authenticator app. Runs axe on each page on the way unless told not to. Ends on the page the service lands on.
 * A TOTP code works once per 30-second step per account: sign each account in once per test file.
 */
export async function signInAsDemo(
  page: Page,
  email: string,
  options: { password?: string; checkAccessibility?: boolean } = {},
): Promise<void> {
  const check = options.checkAccessibility ?? true
  const parent = email.startsWith('parent@')
  await visit(page, parent ? '/parent/sign-in' : '/sign-in')
  if (check) {
    await expectAccessible(page)
  }
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(options.password ?? demoPassword)
  await clickAndWait(page, page.getByRole('button', { name: 'Sign in', exact: true }))
  if (new URL(page.url()).pathname === '/sign-in/mfa') {
    if (check) {
      await expectAccessible(page)
    }
    await page.locator('#code').fill(demoTotpCode(email))
    await clickAndWait(page, page.getByRole('button', { name: 'Continue', exact: true }))
  }
}

/** Saves a PNG of the page at 1280 px wide into docs/screenshots/ (for the README), when SCREENSHOTS=1. */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') {
    return
  }
  const dir = path.resolve('docs/screenshots')
  fs.mkdirSync(dir, { recursive: true })
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, type: 'png' })
}
