/**
 * Confidential venues (refuges): the address lines, postcode, coordinates, UPRN and real name of such a venue never
 * leave the service, on any surface — service page, search results, the Start for Life offer (and its print view),
 * the shortlist and the messages it sends, the ORUK API, the HSDS CSV export — and our own ORUK output imports as it
 * is. Each test searches the raw response for the venue's secrets. See docs/adr/0010-confidential-venues.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aLocation, aNetwork, aPostcode, aPostcodeGrid, aService } from '../../../test/builders/services.js'
import { Browser, createTestApp, testConfig } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { exportHsdsCsv } from './hsds-export.js'
import { importOrukFeed } from './oruk-import.js'
import { orukSchemas, ukProfileBase } from './oruk-schemas.js'
import { directoryIndexOptions } from './search-index.js'

let database: DatabaseHandle
directoryIndexOptions.checkEveryMs = 0
let app: App
let refugeId: string
let refugeSalId: string
let networkSlug: string
const laCode = testConfig.authority.code

/** Everything that would place the refuge. */
const secrets = {
  name: 'Haven House',
  address: '17 Sanctuary Row',
  postcode: 'NM1 9QZ',
  latitude: '54.21234',
  longitude: '2.08765',
  uprn: '100012345678',
}

function expectNoSecrets(body: string, where: string): void {
  for (const [what, secret] of Object.entries(secrets)) {
    expect(body.includes(secret), `${where} shows the refuge's ${what}`).toBe(false)
  }
  // The coordinates in any other spelling: 54.2123…, -2.0876…
  expect(/54\.2123/.test(body), `${where} shows the refuge's latitude`).toBe(false)
  expect(/2\.0876/.test(body), `${where} shows the refuge's longitude`).toBe(false)
}

async function get(url: string): Promise<string> {
  const response = await app.app.inject({ method: 'GET', url })
  expect(response.statusCode, url).toBe(200)
  return response.body
}

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  const db = database.db
  await aPostcodeGrid(db, { size: 10, laCode })
  const network = await aNetwork(db, { name: 'Sanctuary Family Hub', laCode })
  networkSlug = network.slug
  const hub = await aLocation(db, { name: 'Sanctuary Family Hub building', networkId: network.id, laCode })
  const refuge = await aLocation(db, {
    name: `${secrets.name} refuge`,
    networkId: network.id,
    siteRole: 'outreach',
    postcode: secrets.postcode,
    latitude: 54.212345,
    longitude: -2.087654,
    laCode,
    accessibility: ['step-free'],
  })
  await db
    .updateTable('directory_locations')
    .set({
      confidential: true,
      address_1: secrets.address,
      external_identifier: secrets.uprn,
      external_identifier_type: 'uprn',
      description: `Behind ${secrets.address}`,
    })
    .where('id', '=', refuge)
    .execute()
  await db
    .updateTable('directory_location_accessibility')
    .set({ details: `Ramp at ${secrets.address}` })
    .where('location_id', '=', refuge)
    .execute()
  const service = await aService(db, {
    name: 'Refuge family support',
    categories: ['domestic-abuse'],
    locationIds: [refuge],
    phone: '01632 960 111',
    childMinMonths: 0,
    childMaxMonths: 59,
  })
  refugeId = service.id
  refugeSalId = service.salIds[0] ?? ''
  await aService(db, { name: 'Sanctuary stay and play', locationIds: [hub] })
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

describe('public pages', () => {
  it('the service page says the address is given on contact, with no distance', async () => {
    const body = await get(`/find-support/services/${refugeId}?location=NM1%201AA&radius=10`)
    expectNoSecrets(body, 'service page')
    expect(body).toContain('Confidential venue')
    expect(body).toContain('The address is given when you contact the service.')
    expect(body).not.toMatch(/miles? away/)
    expect(body).toContain('01632 960 111')
    // Nor the family hub network, which would place it in a district.
    expect(body).not.toContain('Sanctuary Family Hub')
  })

  it('search results show the service without the venue’s place or distance', async () => {
    const body = await get('/find-support?location=NM1%201AA&radius=10')
    expectNoSecrets(body, 'search results')
    const card = body.slice(body.indexOf('Refuge family support'), body.indexOf('Refuge family support') + 2500)
    expect(card).toContain('Confidential venue. The address is given when you contact the service.')
    expect(card).not.toMatch(/contact the service\.\s*\(/)
  })

  it('the Start for Life offer, for the area and the hub, on screen and in print view', async () => {
    for (const url of [
      '/start-for-life',
      '/start-for-life?print=1',
      `/start-for-life/${networkSlug}`,
      `/start-for-life/${networkSlug}?print=1`,
    ]) {
      const body = await get(url)
      expectNoSecrets(body, url)
      expect(body, url).toContain('Refuge family support')
      expect(body, url).toMatch(/[Cc]onfidential venue/)
    }
    const hub = await get(`/start-for-life/${networkSlug}`)
    expect(hub).toContain('<strong>Outreach sessions at:</strong> Confidential venue, The address is given')
  })

  it('the shortlist, its shared link, and the email and text message it sends', async () => {
    const browser = new Browser(app.app)
    const added = await browser.post(
      '/shortlist/add',
      { serviceId: refugeId, returnTo: '/shortlist' },
      { csrfFrom: `/find-support/services/${refugeId}` },
    )
    expect(added.statusCode).toBe(303)
    const shortlist = await browser.get('/shortlist')
    expect(shortlist.body).toContain('Refuge family support')
    expectNoSecrets(shortlist.body, 'shortlist')
    const shared = /href="(\/shortlist\/shared\/[^"]+)"/.exec(shortlist.body)?.[1] ?? ''
    expectNoSecrets((await browser.get(shared)).body, 'shared shortlist')
    await database.db.deleteFrom('outbox_messages').execute()
    const forms: Record<string, string>[] = [
      { channel: 'email', email: 'parent@example.org' },
      { channel: 'sms', phone: '07700 900 982' },
    ]
    for (const form of forms) {
      const sent = await browser.post('/shortlist/send', form, { csrfFrom: '/shortlist/send' })
      expect(sent.statusCode).toBe(200)
    }
    const messages = await database.db.selectFrom('outbox_messages').select(['personalisation']).execute()
    expect(messages).toHaveLength(2)
    expectNoSecrets(JSON.stringify(messages), 'shortlist messages')
  })
})

describe('open data', () => {
  it('the ORUK API: service, service list, service_at_locations (with proximity) and the detail', async () => {
    const schemas = orukSchemas()
    const service = await get(`/api/oruk/services/${refugeId}`)
    expectNoSecrets(service, 'ORUK service')
    const parsed = JSON.parse(service) as { service_at_locations: { location: Record<string, unknown> }[] }
    const location = parsed.service_at_locations[0]?.location
    expect(location).toMatchObject({ name: 'Confidential venue', location_type: 'physical' })
    expect(location).not.toHaveProperty('latitude')
    expect(location).not.toHaveProperty('longitude')
    expect(location).not.toHaveProperty('addresses')
    expect(location).not.toHaveProperty('external_identifier')
    expect(schemas.validate(`${ukProfileBase}compiled/service.json`, parsed)).toEqual([])
    for (const url of [
      '/api/oruk/services?per_page=100',
      '/api/oruk/services?per_page=100&full=true',
      '/api/oruk/service_at_locations?per_page=100',
      '/api/oruk/service_at_locations?postcode=NM1%201AA&proximity=20000&per_page=100',
      `/api/oruk/service_at_locations/${refugeSalId}`,
    ]) {
      const body = await get(url)
      expectNoSecrets(body, url)
      if (url.startsWith('/api/oruk/service_at_locations')) {
        expect(body, url).toContain('Confidential venue')
      }
    }
  })

  it('the HSDS CSV export', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-confidential-'))
    try {
      await exportHsdsCsv(database.db, dir)
      const all = fs
        .readdirSync(dir)
        .map(file => fs.readFileSync(path.join(dir, file), 'utf8'))
        .join('\n')
      expectNoSecrets(all, 'HSDS CSV')
      const locations = fs.readFileSync(path.join(dir, 'locations.csv'), 'utf8')
      expect(locations).toContain('Confidential venue')
      const addresses = fs.readFileSync(path.join(dir, 'addresses.csv'), 'utf8')
      expect(addresses).toContain('1 High Street')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('our ORUK output for the refuge imports as it is, into another directory', async () => {
    const feed = [JSON.parse(await get(`/api/oruk/services/${refugeId}`)) as unknown]
    const other = await createTestDb()
    try {
      const result = await importOrukFeed(other.db, feed, { source: 'import:partner.json', status: 'published' })
      expect(result.ok).toBe(true)
      const rows = await other.db
        .selectFrom('directory_locations')
        .select(['name', 'address_1', 'postal_code', 'latitude', 'longitude'])
        .execute()
      expect(rows).toEqual([
        { name: 'Confidential venue', address_1: null, postal_code: null, latitude: null, longitude: null },
      ])
    } finally {
      await other.close()
    }
  })
})

describe('searching near a confidential venue', () => {
  it('measures from a coarse position (a 0.05-degree square), so results cannot place the refuge', async () => {
    // About 1.2 km from the refuge but 2.8 km from the centre of its square (54.2, -2.1); and that centre itself.
    await aPostcode(database.db, 'NM9 9RA', 54.2215, -2.0785, laCode)
    await aPostcode(database.db, 'NM9 9RB', 54.2, -2.1, laCode)
    const near = await get('/find-support?location=NM9+9RA&radius=1')
    expect(near).not.toContain('Refuge family support')
    expect(await get('/find-support?location=NM9+9RB&radius=1')).toContain('Refuge family support')
    const api = (postcode: string) =>
      get(`/api/oruk/service_at_locations?postcode=${postcode}&proximity=1609`).then(body =>
        (JSON.parse(body) as { contents: { id: string }[] }).contents.map(item => item.id),
      )
    expect(await api('NM9%209RA')).not.toContain(refugeSalId)
    expect(await api('NM9%209RB')).toContain(refugeSalId)
  })
})
