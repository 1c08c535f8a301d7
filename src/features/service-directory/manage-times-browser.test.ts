/**
 * Venues and times in a real browser, with JavaScript on and off: a service manager adds a new venue and a Saturday
 * session there, gets the error summary once for reversed times, fixes it, and the public service page shows the
 * session. axe checks every page for WCAG 2.2 AA.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmailDomain } from '../demo/demo-users.js'
import { aDirectoryOrganisation, aPostcodeGrid, aService } from '../../../test/builders/services.js'
import {
  clickAndWait,
  expectAccessible,
  launchBrowser,
  newContext,
  signInAsDemo,
  visit,
} from '../../../test/helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../../../test/helpers/e2e-server.js'
import { directoryIndexOptions } from './search-index.js'

let server: E2eServer
directoryIndexOptions.checkEveryMs = 0
let browser: Browser
let postcode: string
let councilDirectory: string
let cookies: Awaited<ReturnType<BrowserContext['cookies']>> = []
let adminCookies: Awaited<ReturnType<BrowserContext['cookies']>> = []

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startE2eServer(), launchBrowser()])
  const db = server.database.db
  postcode = (await aPostcodeGrid(db, { size: 4, laCode: server.config.authority.code }))[5] ?? ''
  councilDirectory = await aDirectoryOrganisation(db, { organisationId: server.orgs.council })
  // A TOTP code works once per step per account: sign in once, and share the cookies with every context.
  const context = await newContext(browser, server.baseUrl, { javaScriptEnabled: true })
  const page = await context.newPage()
  await signInAsDemo(page, `service.manager@${demoEmailDomain}`, { checkAccessibility: false })
  cookies = await context.cookies()
  await context.close()
  const adminContext = await newContext(browser, server.baseUrl, { javaScriptEnabled: true })
  const adminPage = await adminContext.newPage()
  await signInAsDemo(adminPage, `directory.admin@${demoEmailDomain}`, { checkAccessibility: false })
  adminCookies = await adminContext.cookies()
  await adminContext.close()
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function check(page: Page, path: string): Promise<void> {
  await visit(page, path)
  await expectAccessible(page)
}

for (const javaScriptEnabled of [true, false]) {
  describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, { timeout: 120_000 }, () => {
    it('a manager adds a Saturday session at a new venue, fixing a mistake on the way', async () => {
      const mode = javaScriptEnabled ? 'on' : 'off'
      const { id } = await aService(server.database.db, {
        name: `Dads’ club (JavaScript ${mode})`,
        directoryOrganisationId: councilDirectory,
      })
      const venueName = `Millbrook Scout Hut ${mode}`
      const context = await newContext(browser, server.baseUrl, { javaScriptEnabled })
      await context.addCookies(cookies)
      const page = await context.newPage()
      try {
        await check(page, `/directory/manage/services/${id}`)
        await clickAndWait(page, page.getByRole('button', { name: 'Change venues and times' }))
        expect(await page.locator('h1').textContent()).toBe('Venues and times')
        await expectAccessible(page)

        await clickAndWait(page, page.getByRole('button', { name: 'Add a new venue' }))
        await expectAccessible(page)
        await page.getByLabel('Name of the venue').fill(venueName)
        await page.getByLabel('Address line 1').fill('Scout Lane')
        await page.getByLabel('Town or city').fill('Millbrook')
        await page.getByLabel('Postcode').fill(postcode.toLowerCase())
        await clickAndWait(page, page.getByRole('button', { name: 'Save the venue' }))
        expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Your change has been saved')
        expect(await page.locator('main').textContent()).toContain(venueName)
        await expectAccessible(page)

        await clickAndWait(page, page.getByRole('link', { name: `Add a regular session at ${venueName}` }))
        await expectAccessible(page)
        await page.getByLabel('Saturday').check()
        await page.getByLabel('Start time').fill('10:30')
        await page.getByLabel('Finish time').fill('9:30am')
        await clickAndWait(page, page.getByRole('button', { name: 'Save', exact: true }))
        expect(await page.locator('.govuk-error-summary').count()).toBe(1)
        const problems = await page.locator('.govuk-error-summary li').allTextContents()
        expect(problems.map(text => text.trim())).toEqual(['The finish time must be after the start time'])
        expect(await page.getByLabel('Saturday').isChecked()).toBe(true)
        expect(await page.getByLabel('Start time').inputValue()).toBe('10:30')
        await expectAccessible(page)

        await page.getByLabel('Finish time').fill('12pm')
        await clickAndWait(page, page.getByRole('button', { name: 'Save', exact: true }))
        expect(await page.locator('main').textContent()).toContain('Saturdays, 10:30am to midday')
        await expectAccessible(page)

        await check(page, `/find-support/services/${id}`)
        const main = (await page.locator('main').textContent()) ?? ''
        expect(main).toContain(venueName)
        expect(main).toContain('Saturdays, 10:30am to midday')

        if (!javaScriptEnabled) {
          // The other forms, with their errors: choosing a venue, a closure's date inputs, removing a venue.
          await check(page, `/directory/manage/services/${id}/venues/add`)
          await check(page, `/directory/manage/services/${id}/closures/new`)
          await page.locator('#validFrom-day').fill('21')
          await clickAndWait(page, page.getByRole('button', { name: 'Save', exact: true }))
          expect(await page.locator('.govuk-error-summary').textContent()).toContain(
            'The first day of the closure must include a month and year',
          )
          await expectAccessible(page)
          await visit(page, `/directory/manage/services/${id}/where-and-when`)
          await clickAndWait(
            page,
            page.getByRole('link', { name: `Remove the venue from this service (${venueName})` }),
          )
          await expectAccessible(page)
        }
      } finally {
        await context.close()
      }
    })
  })
}

describe('term dates', { timeout: 120_000 }, () => {
  it('a directory admin adds a term, and is told when it overlaps another (JavaScript off)', async () => {
    const context = await newContext(browser, server.baseUrl, { javaScriptEnabled: false })
    await context.addCookies(adminCookies)
    const page = await context.newPage()
    try {
      await check(page, '/directory/manage/term-dates')
      await clickAndWait(page, page.getByRole('button', { name: 'Add a term' }))
      await expectAccessible(page)
      const fill = async (name: string, from: [string, string, string], to: [string, string, string]) => {
        await page.getByLabel('Name of the term').fill(name)
        for (const [prefix, date] of [
          ['startsOn', from],
          ['endsOn', to],
        ] as const) {
          await page.locator(`#${prefix}-day`).fill(date[0])
          await page.locator(`#${prefix}-month`).fill(date[1])
          await page.locator(`#${prefix}-year`).fill(date[2])
        }
        await clickAndWait(page, page.getByRole('button', { name: 'Save', exact: true }))
      }
      await fill('Autumn 1 2030', ['2', '9', '2030'], ['23', '10', '2030'])
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The term has been added')
      await expectAccessible(page)
      await clickAndWait(page, page.getByRole('button', { name: 'Add a term' }))
      await fill('Autumn 2 2030', ['20', '10', '2030'], ['18', '12', '2030'])
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('The term overlaps Autumn 1 2030')
      await expectAccessible(page)
    } finally {
      await context.close()
    }
  })
})
