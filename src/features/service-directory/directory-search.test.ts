/**
 * The public directory pages without a browser: search by postcode or place with every filter, distances and
 * ordering, counts, bad and unknown locations, service pages, the Start for Life offer, and the shortlist (cookie,
 * share link, sending through the outbox).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aDirectoryOrganisation, aLocation, aNetwork, aPostcode, aService } from '../../../test/builders/services.js'
import { Browser, createTestApp, csrfTokenOf, signIn } from '../../../test/helpers/test-app.js'
import { aUser } from '../../../test/builders/users.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { decodeShortlist, encodeShortlist, normaliseUkMobile } from './shortlist.js'
import { testConfig } from '../../../test/helpers/test-app.js'
import { directoryIndexOptions } from './search-index.js'

let database: DatabaseHandle
// Every request checks the directory's change counter, so fixtures added straight to the database show at once.
directoryIndexOptions.checkEveryMs = 0
let app: App
const ids: Record<string, string> = {}
let network: { id: string; slug: string }

// The searcher is at QQ1 1AA (54.5, -1.5). Venues north of it at known distances: 0.1 km = about 0.06 miles.
const at = (km: number) => ({ latitude: 54.5 + km / 111.2, longitude: -1.5 })

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  const db = database.db
  await aPostcode(db, 'QQ1 1AA', 54.5, -1.5, 'E10000099')
  await aPostcode(db, 'QQ1 1AB', 54.501, -1.5, 'E10000099')
  await aPostcode(db, 'QQ9 9AA', at(6).latitude, -1.5, 'E06000098')
  await db.insertInto('districts').values({ code: 'E07000999', name: 'Quayside', la_code: 'E10000099' }).execute()
  await db
    .insertInto('small_areas')
    .values({
      code: 'E01999999',
      name: 'Quayside 001A',
      district_code: 'E07000999',
      la_code: 'E10000099',
      imd_decile: 3,
      latitude: 54.5,
      longitude: -1.5,
    })
    .execute()
  network = await aNetwork(db, { name: 'Quayside Family Hub' })
  const hub = await aLocation(db, {
    name: 'Quayside Family Hub',
    ...at(0.3),
    networkId: network.id,
    siteRole: 'hub',
    accessibility: ['step-free', 'baby-changing'],
  })
  const library = await aLocation(db, {
    name: 'Quayside Library',
    ...at(1.5),
    networkId: network.id,
    siteRole: 'spoke',
    accessibility: ['hearing-loop'],
  })
  const hall = await aLocation(db, { name: 'Far Hall', ...at(25) })
  const neighbour = await aLocation(db, {
    name: 'Neighbouring Council Centre',
    ...at(10),
    laCode: 'E06000098',
    postcode: 'QQ9 9AA',
  })
  const voluntary = await aDirectoryOrganisation(db, { name: 'Quayside Feeding Friends' })
  ids.feeding = (
    await aService(db, {
      name: 'Baby feeding group',
      categories: ['infant-feeding'],
      forPregnancy: true,
      pregnancyFromWeek: 28,
      childMinMonths: 0,
      childMaxMonths: 11,
      locationIds: [hub],
      sessions: [{ byday: 'WE', opensAt: '10:00', closesAt: '11:30' }],
      languages: ['en', 'pl'],
      directoryOrganisationId: voluntary,
      phone: '01632 960 123',
    })
  ).id
  ids.antenatal = (
    await aService(db, {
      name: 'Antenatal evening class',
      categories: ['antenatal-education'],
      forPregnancy: true,
      pregnancyFromWeek: 24,
      pregnancyToWeek: 38,
      forChildren: false,
      locationIds: [library],
      sessions: [{ byday: 'TH', opensAt: '18:00', closesAt: '20:00' }],
    })
  ).id
  ids.play = (
    await aService(db, {
      name: 'Saturday stay and play',
      categories: ['stay-and-play'],
      childMinMonths: 0,
      childMaxMonths: 59,
      cost: { amount: 2, description: 'per family' },
      locationIds: [library, hall],
      sessions: [{ byday: 'SA', opensAt: '09:30', closesAt: '11:00', termTimeOnly: true }],
    })
  ).id
  ids.toddler = (
    await aService(db, {
      name: 'Toddler talk time',
      categories: ['early-language'],
      childMinMonths: 18,
      childMaxMonths: 47,
      locationIds: [neighbour],
      sessions: [{ byday: 'MO', opensAt: '13:00', closesAt: '14:00' }],
    })
  ).id
  ids.helpline = (
    await aService(db, {
      name: 'Money helpline',
      categories: ['money-housing'],
      delivery: ['telephone'],
      forPregnancy: true,
      sessions: [],
    })
  ).id
  ids.draft = (await aService(db, { name: 'Secret draft group', workflowStatus: 'draft', locationIds: [hub] })).id
  ids.faraway = (await aService(db, { name: 'Far away group', locationIds: [hall] })).id
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

async function search(query: string): Promise<{ status: number; body: string; names: string[] }> {
  const response = await app.app.inject({ method: 'GET', url: `/find-support?${query}` })
  const names = [
    ...response.body.matchAll(
      /<h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="\/find-support\/services\/[^"]+">([^<]+)<\/a>/g,
    ),
  ].map(match => match[1] ?? '')
  return { status: response.statusCode, body: response.body, names }
}

describe('search by postcode or place', () => {
  it('shows the search form without a location', async () => {
    const { status, body } = await search('')
    expect(status).toBe(200)
    expect(body).toContain('Postcode or place')
    expect(body).not.toContain('results-heading')
  })

  it('suggests a real family hub’s postcode or town as an example, and the example finds services', async () => {
    const { body } = await search('')
    const hint = /id="location-hint"[^>]*>\s*For example, ([^<]+?)\s*</.exec(body)?.[1] ?? ''
    expect(hint).not.toBe('')
    const example = hint.split(' or ')[0] ?? ''
    const found = await search(`location=${encodeURIComponent(example)}&radius=5`)
    expect(found.status).toBe(200)
    expect(found.body).toContain('id="results-heading"')
  })

  it('lists services within the distance, nearest first, with a count, and services without a venue last', async () => {
    const { status, body, names } = await search('location=QQ1+1AA&radius=5')
    expect(status).toBe(200)
    expect(names).toEqual(['Baby feeding group', 'Antenatal evening class', 'Saturday stay and play', 'Money helpline'])
    expect(body).toContain('4 services near QQ1 1AA')
    expect(body).toContain('0.2 miles')
    expect(body).not.toContain('Secret draft group')
  })

  it('crosses local authority boundaries within the radius', async () => {
    const { names } = await search('location=QQ1+1AA&radius=10')
    expect(names).toContain('Toddler talk time')
    expect(names).not.toContain('Far away group')
    expect((await search('location=QQ1+1AA&radius=20')).names).toContain('Far away group')
  })

  it('accepts a postcode typed in any case and spacing, the first half of a postcode, and a place', async () => {
    expect((await search('location=qq11aa&radius=5')).names[0]).toBe('Baby feeding group')
    const outward = await search('location=QQ1&radius=5')
    expect(outward.status).toBe(200)
    expect(outward.body).toContain('near QQ1')
    const place = await search('location=quayside&radius=5')
    expect(place.status).toBe(200)
    expect(place.body).toContain('near Quayside')
    expect(place.names[0]).toBe('Baby feeding group')
  })

  it('explains a malformed postcode, keeping what was typed', async () => {
    const { status, body } = await search('location=QQ1+1A1&radius=5')
    expect(status).toBe(400)
    expect(body).toContain('govuk-error-summary')
    expect(body).toContain('Enter a full postcode, like NM1 1AA, or the name of a town or area')
    expect(body).toContain('value="QQ1 1A1"')
  })

  it('says clearly when a postcode or place is not known, rather than showing an empty page', async () => {
    const unknown = await search('location=QQ7+7ZZ&radius=5')
    expect(unknown.status).toBe(400)
    expect(unknown.body).toContain('We could not find the postcode QQ7 7ZZ')
    const place = await search('location=Atlantis&radius=5')
    expect(place.body).toContain('We could not find a place called Atlantis')
    expect((await search('location=&radius=5')).body).toContain('Enter a postcode, or the name of a town or area')
  })

  it('refuses a distance that is not one of the choices', async () => {
    for (const radius of ['0', '50', 'far', '-1']) {
      const { status, body } = await search(`location=QQ1+1AA&radius=${radius}`)
      expect(status).toBe(400)
      expect(body).toContain('Choose a distance from the list')
    }
  })

  it('pages through results', async () => {
    const db = database.db
    await aPostcode(db, 'QQ5 5AA', 55.5, -1.5)
    const location = await aLocation(db, { name: 'Busy Centre', latitude: 55.51, longitude: -1.5 })
    for (let i = 0; i < 21; i++) {
      await aService(db, {
        name: `Busy group ${String(i).padStart(2, '0')}`,
        categories: ['parenting'],
        locationIds: [location],
      })
    }
    const first = await search('location=QQ5+5AA&radius=5&category=parenting')
    expect(first.body).toContain('21 services near QQ5 5AA')
    expect(first.names).toHaveLength(20)
    expect(first.body).toContain('govuk-pagination')
    const second = await search('location=QQ5+5AA&radius=5&category=parenting&page=2')
    expect(second.names).toEqual(['Busy group 20'])
  })
})

describe('filters', () => {
  const base = 'location=QQ1+1AA&radius=10'
  const cases: [string, string[]][] = [
    ['age=pregnant-28-42', ['Baby feeding group', 'Antenatal evening class', 'Money helpline']],
    ['age=pregnant-0-12', ['Money helpline']],
    ['age=baby-2-5', ['Baby feeding group', 'Saturday stay and play', 'Money helpline']],
    ['age=child-24-35', ['Saturday stay and play', 'Toddler talk time', 'Money helpline']],
    ['category=infant-feeding', ['Baby feeding group']],
    ['category=infant-feeding&category=early-language', ['Baby feeding group', 'Toddler talk time']],
    ['free=yes', ['Baby feeding group', 'Antenatal evening class', 'Toddler talk time', 'Money helpline']],
    ['delivery=telephone', ['Money helpline']],
    ['when=evenings', ['Antenatal evening class']],
    ['when=weekends', ['Saturday stay and play']],
    ['when=evenings&when=weekends', ['Antenatal evening class', 'Saturday stay and play']],
    ['day=MO', ['Toddler talk time']],
    ['language=pl', ['Baby feeding group']],
    ['access=step-free', ['Baby feeding group']],
    ['access=hearing-loop', ['Antenatal evening class', 'Saturday stay and play']],
    ['access=step-free&access=hearing-loop', []],
    ['age=child-24-35&free=yes', ['Toddler talk time', 'Money helpline']],
  ]
  for (const [filter, expected] of cases) {
    it(filter, async () => {
      const { status, names, body } = await search(`${base}&${filter}`)
      expect(status).toBe(200)
      expect(names.filter(name => !name.startsWith('Busy group'))).toEqual(expected)
      if (!expected.length) {
        expect(body).toContain('No services match all your filters')
      }
    })
  }

  it('shows how many services each category would give, and keeps the ticked filters', async () => {
    const { body } = await search(`${base}&category=infant-feeding&free=yes`)
    expect(body).toMatch(/Infant feeding \(1\)/)
    expect(body).toMatch(/Early language and learning \(1\)/)
    expect(body).toMatch(/value="infant-feeding" checked/)
    expect(body).toMatch(/value="yes" checked/)
  })

  it('ignores filter values that are not on the form', async () => {
    const { status, names } = await search(
      `${base}&category=nonsense&delivery=teleport&language=xx&access=moat&day=XX&age=ancient`,
    )
    expect(status).toBe(200)
    expect(names).toContain('Baby feeding group')
  })
})

describe('service page', () => {
  it('shows what a parent needs: who, cost, when and where, access, languages and contact', async () => {
    const response = await app.app.inject({
      method: 'GET',
      url: `/find-support/services/${ids.feeding ?? ''}?location=QQ1+1AA&radius=5`,
    })
    expect(response.statusCode).toBe(200)
    const body = response.body
    expect(body).toContain('<h1 class="govuk-heading-l">Baby feeding group</h1>')
    expect(body).toContain('During pregnancy, from 28 weeks. Babies under 1')
    expect(body).toContain('Free')
    expect(body).toContain('Wednesdays, 10am to 11:30am')
    expect(body).toContain('Quayside Family Hub')
    expect(body).toContain('Step-free access')
    expect(body).toContain('Polish')
    expect(body).toContain('tel:01632960123')
    expect(body).toContain('0.2 miles away')
    expect(body).toContain('Back to search results')
  })

  it('says term time only and the cost of a paid service', async () => {
    const body = (await app.app.inject({ method: 'GET', url: `/find-support/services/${ids.play ?? ''}` })).body
    expect(body).toContain('Saturdays, 9:30am to 11am, term time only')
    expect(body).toContain('£2 per family')
  })

  it('is not found for a draft, an unknown id or a malformed id', async () => {
    for (const id of [ids.draft ?? '', '6f1c1b3e-8d2a-4c55-9a7e-2b1f0e9d4c3a', 'nope']) {
      const response = await app.app.inject({ method: 'GET', url: `/find-support/services/${id}` })
      expect(response.statusCode).toBe(404)
      expect(response.body).toContain('We cannot find that service')
    }
  })
})

describe('Start for Life offer', () => {
  it('groups a family hub network’s services the way parents think, with where and when', async () => {
    const response = await app.app.inject({ method: 'GET', url: `/start-for-life/${network.slug}` })
    expect(response.statusCode).toBe(200)
    const body = response.body
    const order = [
      'During pregnancy',
      'After your baby is born',
      'Your baby’s first year',
      'Toddlers (1 to 3 years)',
      'Pre-school children (3 to 5 years)',
    ].map(text => body.indexOf(`>${text}</h2>`))
    expect(order.every(index => index > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    const pregnancy = body.slice(order[0], order[1])
    expect(pregnancy).toContain('Antenatal evening class')
    expect(pregnancy).toContain('Baby feeding group')
    expect(pregnancy).not.toContain('Saturday stay and play')
    expect(body).toContain('Family hub:</strong> Quayside Family Hub')
    expect(body).toContain('Also at:</strong> Quayside Library')
    expect(body).toContain('/find-support/directory.css')
    expect(body).not.toContain('Toddler talk time')
  })

  it('has an offer for the whole area, and a clear page for an unknown network', async () => {
    const area = await app.app.inject({ method: 'GET', url: '/start-for-life' })
    expect(area.statusCode).toBe(200)
    expect(area.body).toContain(`Start for Life offer in ${testConfig.authority.name}`)
    expect(area.body).toContain(`/start-for-life/${network.slug}`)
    expect(area.body).toContain('Baby feeding group')
    expect((await app.app.inject({ method: 'GET', url: '/start-for-life/no-such-hub' })).statusCode).toBe(404)
  })

  it('serves print styles', async () => {
    const css = await app.app.inject({ method: 'GET', url: '/find-support/directory.css' })
    expect(css.statusCode).toBe(200)
    expect(css.headers['content-type']).toContain('text/css')
    expect(css.body).toContain('@media print')
  })
})

describe('shortlist', () => {
  it('signs the list so that it cannot be changed, and packs it into a short token', () => {
    const token = encodeShortlist([ids.feeding ?? '', ids.play ?? ''], 'secret-one')
    expect(decodeShortlist(token, 'secret-one')).toEqual([ids.feeding, ids.play])
    expect(decodeShortlist(token, 'secret-two')).toBeUndefined()
    expect(decodeShortlist(`${token}x`, 'secret-one')).toBeUndefined()
    expect(decodeShortlist('garbage', 'secret-one')).toBeUndefined()
    expect(token.length).toBeLessThan(80)
    expect(normaliseUkMobile('07700 900 982')).toBe('+447700900982')
    expect(normaliseUkMobile('+44 7700 900982')).toBe('+447700900982')
    expect(normaliseUkMobile('01632 960 000')).toBeUndefined()
  })

  it('saves services without JavaScript or sign-in, shows, shares, removes and sends them', async () => {
    const browser = new Browser(app.app)
    const add = await browser.post(
      '/shortlist/add',
      { serviceId: ids.feeding ?? '', returnTo: '/find-support?location=QQ1+1AA&radius=5' },
      { csrfFrom: `/find-support/services/${ids.antenatal ?? ''}` },
    )
    expect(add.statusCode).toBe(303)
    expect(add.headers.location).toBe('/find-support?location=QQ1+1AA&radius=5')
    await browser.post(
      '/shortlist/add',
      { serviceId: ids.play ?? '' },
      { csrfFrom: `/find-support/services/${ids.antenatal ?? ''}` },
    )
    await browser.post(
      '/shortlist/add',
      { serviceId: ids.draft ?? '' },
      { csrfFrom: `/find-support/services/${ids.antenatal ?? ''}` },
    )
    const list = await browser.get('/shortlist')
    expect(list.body).toContain('Baby feeding group')
    expect(list.body).toContain('Saturday stay and play')
    expect(list.body).not.toContain('Secret draft group')
    const results = await browser.get('/find-support?location=QQ1+1AA&radius=5')
    expect(results.body).toContain('Saved to your shortlist')

    const shareLink = /href="(\/shortlist\/shared\/[^"]+)"/.exec(list.body)?.[1] ?? ''
    expect(shareLink).not.toBe('')
    const stranger = new Browser(app.app)
    const shared = await stranger.get(shareLink)
    expect(shared.statusCode).toBe(200)
    expect(shared.body).toContain('Someone shared these services with you')
    expect(shared.body).toContain('Baby feeding group')
    const tampered = await stranger.get(`${shareLink.slice(0, -3)}abc`)
    expect(tampered.statusCode).toBe(404)
    await stranger.post('/shortlist/import', { token: shareLink.split('/').pop() ?? '' }, { csrfFrom: shareLink })
    expect((await stranger.get('/shortlist')).body).toContain('Saturday stay and play')

    const noChannel = await browser.post('/shortlist/send', {})
    expect(noChannel.statusCode).toBe(400)
    expect(noChannel.body).toContain('Choose email or text message')
    const badPhone = await browser.post('/shortlist/send', { channel: 'sms', phone: '12345' })
    expect(badPhone.statusCode).toBe(400)
    expect(badPhone.body).toContain('Enter a UK mobile number')
    expect(badPhone.body).toContain('value="12345"')
    const sent = await browser.post('/shortlist/send', { channel: 'email', email: 'parent@example.com' })
    expect(sent.statusCode).toBe(200)
    expect(sent.body).toContain('Shortlist sent')
    const message = await database.db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('recipient', '=', 'parent@example.com')
      .executeTakeFirstOrThrow()
    expect(message.template).toBe('directory-shortlist-email')
    expect(message.channel).toBe('email')
    expect(String(message.personalisation.link)).toContain('/shortlist/shared/')
    expect(String(message.personalisation.services)).toContain('Baby feeding group')
    const sms = await browser.post('/shortlist/send', { channel: 'sms', phone: '07700 900 982' })
    expect(sms.statusCode).toBe(200)
    expect(
      (
        await database.db
          .selectFrom('outbox_messages')
          .select('template')
          .where('recipient', '=', '+447700900982')
          .executeTakeFirstOrThrow()
      ).template,
    ).toBe('directory-shortlist-sms')
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'directory-shortlist.send')
      .execute()
    expect(audit).toHaveLength(2)
    expect(JSON.stringify(audit)).not.toContain('parent@example.com')

    await browser.post('/shortlist/remove', { serviceId: ids.feeding ?? '' }, { csrfFrom: '/shortlist' })
    const after = await browser.get('/shortlist')
    expect(after.body).not.toContain('Baby feeding group')
    expect(after.body).toContain('Saturday stay and play')
  })

  describe('repeated searches (answered from the page cache)', () => {
    const url = '/find-support?location=QQ1+1AA&radius=5'
    const nonceOf = (html: string) => /<script nonce="([^"]+)"/.exec(html)?.[1]

    it('gives every visitor their own CSRF token and nonce, which work', async () => {
      const first = new Browser(app.app)
      const second = new Browser(app.app)
      const a = await first.get(url)
      const b = await second.get(url)
      expect(a.statusCode).toBe(200)
      expect(b.body.length).toBeGreaterThan(1000)
      expect(csrfTokenOf(a.body)).not.toBe(csrfTokenOf(b.body))
      expect(nonceOf(a.body)).toBeDefined()
      expect(nonceOf(a.body)).not.toBe(nonceOf(b.body))
      expect(b.headers['content-security-policy']).toContain(`'nonce-${nonceOf(b.body) ?? ''}'`)
      expect(b.body).not.toContain('bs-hole-')
      // The second visitor saves a service with the token from the cached page.
      const add = await second.post(
        '/shortlist/add',
        { serviceId: ids.feeding ?? '', returnTo: url },
        { csrf: csrfTokenOf(b.body) },
      )
      expect(add.statusCode).toBe(303)
      expect((await second.get(url)).body).toContain('Saved to your shortlist')
      expect((await first.get(url)).body).not.toContain('Saved to your shortlist')
    })

    it('shows a change to the directory at the next search', async () => {
      const before = await search('location=QQ1+1AB&radius=5')
      expect(before.names).not.toContain('Pop-up baby clinic')
      const service = await aService(database.db, {
        name: 'Pop-up baby clinic',
        locationIds: [
          (
            await database.db
              .selectFrom('directory_locations')
              .select('id')
              .where('name', '=', 'Quayside Family Hub')
              .executeTakeFirstOrThrow()
          ).id,
        ],
      })
      const after = await search('location=QQ1+1AB&radius=5')
      expect(after.names).toContain('Pop-up baby clinic')
      await database.db
        .updateTable('directory_services')
        .set({ workflow_status: 'archived' })
        .where('id', '=', service.id)
        .execute()
      expect((await search('location=QQ1+1AB&radius=5')).names).not.toContain('Pop-up baby clinic')
    })

    it('never serves a signed-in page to someone else, nor a cached page to someone signed in', async () => {
      const before = await app.app.inject({ method: 'GET', url })
      expect(before.body).not.toContain('Sign out')
      const staff = await signIn(app.app, await aUser(database.db, { role: 'practitioner' }))
      const signedIn = await staff.get(url)
      expect(signedIn.body).toContain('Sign out')
      expect(signedIn.headers['cache-control']).toBe('no-store')
      const after = await app.app.inject({ method: 'GET', url })
      expect(after.body).not.toContain('Sign out')
    })
  })

  it('does not follow a returnTo that leaves the site', async () => {
    const browser = new Browser(app.app)
    const add = await browser.post(
      '/shortlist/add',
      { serviceId: ids.feeding ?? '', returnTo: '//evil.example/' },
      { csrfFrom: `/find-support/services/${ids.antenatal ?? ''}` },
    )
    expect(add.headers.location).toBe('/shortlist')
  })
})
