/**
 * The directory's pages in a real browser, with JavaScript on and off: a parent searches, filters, opens a service,
 * saves it, shares and sends the shortlist, and reads the Start for Life offer; a voluntary organisation's manager
 * changes a service and a directory admin approves it. axe checks every page for WCAG 2.2 AA.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmailDomain } from '../demo/demo-users.js'
import { aPostcodeGrid } from '../../../test/builders/services.js'
import {
  clickAndWait,
  expectAccessible,
  launchBrowser,
  newContext,
  signInAsDemo,
  visit,
} from '../../../test/helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../../../test/helpers/e2e-server.js'
import { seedDemoDirectory } from './demo-directory.js'
import { directoryIndexOptions } from './search-index.js'

let server: E2eServer
directoryIndexOptions.checkEveryMs = 0
let browser: Browser
let networkSlug: string

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startE2eServer(), launchBrowser()])
  const db = server.database.db
  await aPostcodeGrid(db, { size: 30, laCode: server.config.authority.code })
  const orgs = server.orgs
  await seedDemoDirectory(db, {
    seed: 1,
    scale: 0.3,
    laCode: server.config.authority.code,
    orgIds: [orgs.council, orgs.communityTrust, orgs.hospitalTrust, orgs.nursery, orgs.voluntary],
  })
  networkSlug = (await db.selectFrom('directory_networks').select('slug').orderBy('name').executeTakeFirstOrThrow())
    .slug
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function check(page: Page, path: string, status = 200): Promise<void> {
  await visit(page, path, status)
  await expectAccessible(page)
}

for (const javaScriptEnabled of [true, false]) {
  // Whole journeys in a real browser with axe on every page: minutes of CPU on a loaded 2-core machine.
  describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, { timeout: 120_000 }, () => {
    it('a parent searches, filters, saves, shares and sends a shortlist, and reads the offer', async () => {
      const context = await newContext(browser, server.baseUrl, { javaScriptEnabled })
      const page = await context.newPage()
      try {
        await check(page, '/find-support')
        await page.locator('#location').fill('NM1 1X')
        await clickAndWait(page, page.getByRole('button', { name: 'Search', exact: true }))
        expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter a full postcode')
        await expectAccessible(page)

        await page.locator('#location').fill('nm1 1aa')
        await page.locator('#radius').selectOption('10')
        await clickAndWait(page, page.getByRole('button', { name: 'Search', exact: true }))
        const heading = (await page.locator('#results-heading').textContent()) ?? ''
        expect(heading).toMatch(/\d+ services? near NM1 1AA/)
        await expectAccessible(page)

        await page.locator('#age').selectOption('baby-2-5')
        await page.getByLabel('Free services only').check()
        await clickAndWait(page, page.getByRole('button', { name: 'Apply filters' }))
        expect(page.url()).toContain('free=yes')
        await expectAccessible(page)

        const first = page.locator('.app-directory-result h3 a').first()
        const name = ((await first.textContent()) ?? '').trim()
        await clickAndWait(
          page,
          page
            .getByRole('button', {
              name: new RegExp(`Save ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to shortlist`),
            })
            .first(),
        )
        expect(await page.locator('.app-directory-result').first().textContent()).toContain('Saved to your shortlist')

        await clickAndWait(page, first)
        expect(await page.locator('h1').textContent()).toBe(name)
        await expectAccessible(page)

        await check(page, '/shortlist')
        expect(await page.locator('main').textContent()).toContain(name)
        const shareHref =
          (await page.getByRole('link', { name: 'Open the printable version' }).getAttribute('href')) ?? ''
        await check(page, shareHref)
        expect(await page.locator('main').textContent()).toContain(name)

        await check(page, '/shortlist/send')
        await clickAndWait(page, page.getByRole('button', { name: 'Send', exact: true }))
        expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose email or text message')
        await expectAccessible(page)
        await page.getByLabel('Text message', { exact: true }).check()
        await page.locator('#phone').fill('07700 900 982')
        await clickAndWait(page, page.getByRole('button', { name: 'Send', exact: true }))
        expect(await page.locator('h1').textContent()).toContain('Shortlist sent')
        await expectAccessible(page)

        await check(page, '/start-for-life')
        await check(page, `/start-for-life/${networkSlug}`)
        expect(await page.locator('h2', { hasText: 'During pregnancy' }).count()).toBe(1)
        await page.emulateMedia({ media: 'print' })
        expect(await page.locator('.govuk-service-navigation').isVisible()).toBe(false)
        expect(await page.locator('.app-directory-print-only').first().isVisible()).toBe(true)
        await page.emulateMedia({ media: 'screen' })

        await check(page, '/find-support/services/00000000-0000-4000-8000-000000000000', 404)
      } finally {
        await context.close()
      }
    })
  })
}

describe('running the directory', { timeout: 120_000 }, () => {
  it('a voluntary organisation’s manager proposes a change and a directory admin approves it (JavaScript off)', async () => {
    const db = server.database.db
    const service = await db
      .selectFrom('directory_services as s')
      .innerJoin('directory_organisations as o', 'o.id', 's.directory_organisation_id')
      .select(['s.id', 's.name'])
      .where('o.organisation_id', '=', server.orgs.voluntary)
      .where('s.workflow_status', '=', 'published')
      .orderBy('s.name')
      .executeTakeFirstOrThrow()
    const vcs = await newContext(browser, server.baseUrl, { javaScriptEnabled: false })
    const page = await vcs.newPage()
    try {
      await signInAsDemo(page, `vcs.manager@${demoEmailDomain}`, { checkAccessibility: false })
      await check(page, '/directory/manage')
      await check(page, '/directory/manage/review')
      await check(page, '/directory/manage/services/new')
      await clickAndWait(page, page.getByRole('button', { name: 'Save' }))
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter the name of the service')
      await expectAccessible(page)
      await check(page, `/directory/manage/services/${service.id}`)
      await check(page, `/directory/manage/services/${service.id}/edit`)
      await page.locator('#name').fill(`${service.name} (new times)`)
      await clickAndWait(page, page.getByRole('button', { name: 'Save' }))
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'sent to a directory admin for approval',
      )
      await expectAccessible(page)
    } finally {
      await vcs.close()
    }
    const adminContext = await newContext(browser, server.baseUrl, { javaScriptEnabled: true })
    const admin = await adminContext.newPage()
    try {
      await signInAsDemo(admin, `directory.admin@${demoEmailDomain}`, { checkAccessibility: false })
      await check(admin, '/directory/manage/approvals')
      await clickAndWait(admin, admin.getByRole('link', { name: service.name, exact: true }))
      expect(await admin.locator('main').textContent()).toContain(`${service.name} (new times)`)
      await expectAccessible(admin)
      await clickAndWait(admin, admin.getByRole('button', { name: 'Approve and publish' }))
      expect(await admin.locator('.govuk-notification-banner').textContent()).toContain('Approved')
      await expectAccessible(admin)
      await check(admin, `/find-support/services/${service.id}`)
      expect(await admin.locator('h1').textContent()).toBe(`${service.name} (new times)`)
    } finally {
      await adminContext.close()
    }
  })
})

describe('the Start for Life offer in print', { timeout: 120_000 }, () => {
  /** Every element matching the selector is hidden (true when there are none). */
  async function allHidden(page: Page, selector: string): Promise<boolean> {
    const items = await page.locator(selector).all()
    for (const item of items) {
      if (await item.isVisible()) {
        return false
      }
    }
    return true
  }

  async function expectTidyPrint(page: Page): Promise<void> {
    await page.emulateMedia({ media: 'print' })
    try {
      for (const selector of [
        '.govuk-skip-link',
        '.app-header',
        '.govuk-service-navigation',
        '.govuk-footer',
        '.govuk-phase-banner',
        '.govuk-button',
        'button',
        'form',
        '.app-directory-print-controls',
      ]) {
        expect(await allHidden(page, selector), `${selector} shows in print`).toBe(true)
      }
      expect(await page.locator('.app-directory-correct-at').isVisible()).toBe(true)
      expect(await page.locator('.app-directory-correct-at').textContent()).toMatch(/Correct at \d{1,2} \w+ \d{4}/)
      expect(await page.locator('h1').isVisible()).toBe(true)
      // Links print as text: govuk-frontend's " (/find-support/services/…)" after each link is switched off.
      const linkSuffix = await page
        .locator('.app-directory-offer__item a.govuk-link')
        .first()
        .evaluate(link => getComputedStyle(link, '::after').content)
      expect(linkSuffix).toBe('none')
      // A stage's heading stays with its first service; a service is never split across pages.
      expect(
        await page
          .locator('.app-directory-offer__group-heading')
          .first()
          .evaluate(element => getComputedStyle(element).breakAfter),
      ).toBe('avoid')
      expect(
        await page
          .locator('.app-directory-offer__item')
          .first()
          .evaluate(element => getComputedStyle(element).breakInside),
      ).toBe('avoid')
      const pdf = await page.pdf({ format: 'A4' })
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length
      expect(pages).toBeGreaterThanOrEqual(2)
      expect(pages).toBeLessThan(60)
    } finally {
      await page.emulateMedia({ media: 'screen' })
    }
  }

  it('prints as a tidy PDF, from the page (JavaScript on) and from the print view (JavaScript off)', async () => {
    const withScript = await newContext(browser, server.baseUrl, { javaScriptEnabled: true })
    const page = await withScript.newPage()
    try {
      await check(page, '/start-for-life')
      const printLink = page.getByRole('button', { name: 'Print or save as PDF' })
      expect(await printLink.getAttribute('href')).toBe('/start-for-life?print=1')
      await expectTidyPrint(page)
      await check(page, `/start-for-life/${networkSlug}?print=1`)
      // With JavaScript, the print view's own button prints.
      expect(await page.locator('#print-offer-now').isVisible()).toBe(true)
      await expectTidyPrint(page)
    } finally {
      await withScript.close()
    }
    const withoutScript = await newContext(browser, server.baseUrl, { javaScriptEnabled: false })
    const plain = await withoutScript.newPage()
    try {
      await check(plain, '/start-for-life')
      await clickAndWait(plain, plain.getByRole('button', { name: 'Print or save as PDF' }))
      expect(plain.url()).toContain('/start-for-life?print=1')
      // The print view on screen: no header, menus or footer; the "correct at" date shows; the button needs JavaScript.
      expect(await plain.locator('.govuk-service-navigation').count()).toBe(0)
      expect(await plain.locator('.govuk-footer').count()).toBe(0)
      expect(await plain.locator('.app-directory-correct-at').isVisible()).toBe(true)
      expect(await plain.locator('#print-offer-now').isVisible()).toBe(false)
      expect(await plain.getByRole('link', { name: 'Back to the full page' }).isVisible()).toBe(true)
      await expectAccessible(plain)
      await expectTidyPrint(plain)
    } finally {
      await withoutScript.close()
    }
  })
})
