import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoEmailDomain } from '../../src/features/demo/demo-users.js'
import { aChild, aMeasurement, daysAgo, linkParentAccount, type TestChild } from '../builders/children.js'
import { aCareRelationship } from '../builders/families.js'
import { aUser } from '../builders/users.js'
import {
  clickAndWait,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshotForDocs,
  signInAsDemo,
  visit,
} from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'

/**
 * The digital red book in a real browser, with JavaScript on and off: a health visitor opens a preterm baby's red
 * book, records a weight (after an error, and in one mode after confirming an unusual value), and sees it in the
 * table and on the chart; the parent opens the same red book, with the lay wording, and adds a note. axe checks every
 * page for WCAG 2.2 AA.
 *
 * A TOTP code works once per 30-second step per account, so each mode signs in a different practitioner.
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
  { label: 'on', javaScriptEnabled: true, practitioner: demo('health.visitor'), parent: 'demo', unusual: true },
  { label: 'off', javaScriptEnabled: false, practitioner: demo('family.support'), parent: 'new', unusual: false },
] as const

function pathOf(page: Page): string {
  const url = new URL(page.url())
  return url.pathname + url.search
}

/** A preterm baby (32+3, 1,740 g, 150 days old) with two weights, in a household the practitioner works with. */
async function pretermBaby(practitionerEmail: string): Promise<TestChild> {
  const db = server.database.db
  const child = await aChild(db, {
    dateOfBirth: daysAgo(150),
    sex: 'female',
    gestationWeeks: 32,
    gestationDays: 3,
    birthWeightGrams: 1740,
    adults: [{ givenName: 'Priya', relationship: 'mother', parentalResponsibility: true }],
  })
  await aMeasurement(db, {
    childId: child.id,
    observationDate: daysAgo(120),
    method: 'weight',
    value: 2.35,
    place: 'Neonatal unit',
  })
  await aMeasurement(db, {
    childId: child.id,
    observationDate: daysAgo(60),
    method: 'weight',
    value: 3.95,
    place: 'Home visit',
  })
  await aMeasurement(db, {
    childId: child.id,
    observationDate: daysAgo(60),
    method: 'ofc',
    value: 37.5,
    place: 'Home visit',
  })
  const practitionerId = server.userIds.get(practitionerEmail)
  if (!practitionerId) {
    throw new Error(`No demo account ${practitionerEmail}`)
  }
  await aCareRelationship(db, { familyId: child.familyId, userId: practitionerId })
  return child
}

function dateParts(iso: string): { day: string; month: string; year: string } {
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' }
}

describe.each(modes)('the red book, with JavaScript $label', { concurrent: true, timeout: 120_000 }, mode => {
  it('a practitioner records a weight for a preterm baby and sees it on the chart; the parent sees the red book and adds a note', async () => {
    const child = await pretermBaby(mode.practitioner)
    const childName = `${child.givenName} ${child.familyName}`
    let parentEmail: string = demo('parent')
    let parentPassword: string | undefined
    if (mode.parent === 'demo') {
      const parentId = server.userIds.get(parentEmail)
      if (!parentId) {
        throw new Error('No demo parent account')
      }
      await linkParentAccount(server.database.db, parentId, child.parentId)
    } else {
      const parent = await aUser(server.database.db, { role: 'parent', email: 'parent@red-book.test.example' })
      await linkParentAccount(server.database.db, parent.id, child.parentId)
      parentEmail = parent.email
      parentPassword = parent.password
    }

    // ---- the practitioner ----
    const staff = await newContext(browser, server.baseUrl, { javaScriptEnabled: mode.javaScriptEnabled })
    try {
      const page = await staff.newPage()
      await signInAsDemo(page, mode.practitioner)
      expect(pathOf(page)).toBe('/home')
      await expectAccessible(page)

      await visit(page, `/children/${child.id}`)
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(childName)
      await expect(page.locator('svg[role="img"]').count()).resolves.toBe(3)
      await expect(page.locator('body').textContent()).resolves.toContain(
        'Correction for gestational age has been made.',
      )
      await expectAccessible(page)
      if (mode.javaScriptEnabled) {
        await screenshotForDocs(page, 'red-book-practitioner')
      }

      await clickAndWait(page, page.getByRole('button', { name: 'Add a measurement' }))
      expect(pathOf(page)).toBe(`/children/${child.id}/measurements/new`)
      await expectAccessible(page)

      // An empty form first: the errors, in the order of the fields.
      await clickAndWait(page, page.getByRole('button', { name: 'Save measurement' }))
      await expect(page.title()).resolves.toMatch(/^Error: /)
      const summary = (await page.locator('.govuk-error-summary').textContent()) ?? ''
      expect(summary).toContain('Enter the date measured')
      expect(summary).toContain('Select what was measured')
      await expectAccessible(page)

      const today = dateParts(daysAgo(1))
      await page.locator('#observationDate-day').fill(today.day)
      await page.locator('#observationDate-month').fill(today.month)
      await page.locator('#observationDate-year').fill(today.year)
      await page.getByLabel('Weight', { exact: true }).check()
      await page.getByLabel('kilograms (kg)').check()
      await page.locator('#place').fill('Northmoor family hub')
      if (mode.unusual) {
        await page.locator('#value').fill('11.5')
        await clickAndWait(page, page.getByRole('button', { name: 'Save measurement' }))
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check this measurement')
        await expect(page.locator('.govuk-warning-text').first().textContent()).resolves.toContain(
          'well outside the normal range',
        )
        await expectAccessible(page)
        await clickAndWait(page, page.getByRole('button', { name: 'Yes, save it' }))
      } else {
        await page.locator('#value').fill('5.05')
        await clickAndWait(page, page.getByRole('button', { name: 'Save measurement' }))
      }

      expect(pathOf(page)).toBe(`/children/${child.id}?saved=measurement`)
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'The measurement has been saved.',
      )
      const table = (await page.locator('#measurements ~ .app-table-wrapper table').textContent()) ?? ''
      expect(table).toContain(mode.unusual ? '11.50 kg' : '5.05 kg')
      expect(table).toContain('Northmoor family hub')
      const weightChart = page.locator('#chart-weight-heading ~ svg')
      // Birth weight and three weights.
      await expect(weightChart.locator('[data-point]').count()).resolves.toBeGreaterThanOrEqual(4)
      await expectAccessible(page)

      await clickAndWait(page, page.getByRole('link', { name: '0 to 4 years' }))
      expect(pathOf(page)).toBe(`/children/${child.id}?range=0-4`)
      await expect(page.getByRole('heading', { name: 'Growth charts, 0 to 4 years' }).count()).resolves.toBe(1)
      await expectAccessible(page)

      await clickAndWait(page, page.getByRole('link', { name: 'Printable version of the charts' }))
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Growth charts for')
      await expect(page.locator('svg[role="img"]').count()).resolves.toBe(3)
      await expectAccessible(page)

      // The birth details form, and its error summary for a gestation out of range.
      await visit(page, `/children/${child.id}/birth-details`)
      await expectAccessible(page)
      await page.locator('#gestation-weeks').fill('45')
      await clickAndWait(page, page.getByRole('button', { name: /^Save/ }))
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('from 22 to 44')
      await expectAccessible(page)
    } finally {
      await staff.close()
    }

    // ---- the parent ----
    const home = await newContext(browser, server.baseUrl, { javaScriptEnabled: mode.javaScriptEnabled })
    try {
      const page = await home.newPage()
      await signInAsDemo(page, parentEmail, {
        checkAccessibility: false,
        ...(parentPassword ? { password: parentPassword } : {}),
      })
      expect(pathOf(page)).toBe('/home')

      await visit(page, '/my-family/children')
      await expectAccessible(page)
      await clickAndWait(page, page.getByRole('link', { name: childName }))
      expect(pathOf(page)).toBe(`/my-family/children/${child.id}`)
      const text = (await page.locator('main').textContent()) ?? ''
      expect(text).toContain(
        'Because your child was born at 32+3 weeks gestation an adjustment has been made to take this into account.',
      )
      expect(text).not.toContain('Correction for gestational age has been made.')
      expect(text).toContain(mode.unusual ? '11.50 kg' : '5.05 kg')
      await expect(page.locator('svg[role="img"]').count()).resolves.toBe(3)
      await expectAccessible(page)
      if (mode.javaScriptEnabled) {
        await page.getByText('What the centile lines mean').click()
        await expect(page.getByText('Every centile is healthy').isVisible()).resolves.toBe(true)
        await screenshotForDocs(page, 'red-book-parent')
      }

      await clickAndWait(page, page.getByRole('button', { name: 'Add note' }))
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter your note')
      await expectAccessible(page)
      await page.locator('#text').fill('She is feeding well and sleeping 4 hours at night.')
      await clickAndWait(page, page.getByRole('button', { name: 'Add note' }))
      expect(pathOf(page)).toBe(`/my-family/children/${child.id}?noted=yes`)
      await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
        'Your note has been added',
      )
      await expect(page.locator('main').textContent()).resolves.toContain(
        'She is feeding well and sleeping 4 hours at night.',
      )
      await expectAccessible(page)
    } finally {
      await home.close()
    }
  })
})
