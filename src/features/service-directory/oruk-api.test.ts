/**
 * The ORUK validator's checks, repeated in our own suite (reference: shared service-directory.md §2.2–2.6): GET /,
 * every list endpoint's first, middle and last page, ten random ids per detail endpoint, all validated with ajv
 * against the ORUK 3.0 schemas (the UK profile's, as the OpenAPI document references them, and the validator's own
 * copies); then what the validator does not check: filters, AND semantics, proximity ordering, CORS, omission of
 * empty fields, unpublished services never leaking, and 400s that name the bad parameter.
 */
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import {
  aDirectoryOrganisation,
  aLocation,
  aPostcode,
  aPostcodeGrid,
  aService,
} from '../../../test/builders/services.js'
import { anOrganisation } from '../../../test/builders/users.js'
import { createTestApp, testConfig } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { seedDemoDirectory } from './demo-directory.js'
import { orukSchemas, ukProfileBase, validatorBase } from './oruk-schemas.js'
import { haversineMetres } from './postcodes.js'
import { loadTaxonomyIndex, Taxonomies } from './taxonomy.js'
import { directoryIndexOptions } from './search-index.js'

let database: DatabaseHandle
// Every request checks the directory's change counter, so fixtures added straight to the database show at once.
directoryIndexOptions.checkEveryMs = 0
let app: App
const schemas = orukSchemas()
const token = 'zqxjv' // a word no demo service uses, to scope filter tests with search=

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
  await aPostcodeGrid(database.db, { size: 20 })
  const orgIds = [
    await anOrganisation(database.db, { name: 'Northmoor County Council', kind: 'local_authority' }),
    await anOrganisation(database.db, { name: 'Northmoor Community Health NHS Trust', kind: 'nhs_trust' }),
    await anOrganisation(database.db, { name: 'Northmoor Family Friends', kind: 'voluntary_organisation' }),
  ]
  await seedDemoDirectory(database.db, { seed: 1, scale: 1, laCode: testConfig.authority.code, orgIds })
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

async function get(url: string): Promise<LightMyRequestResponse> {
  return app.app.inject({ method: 'GET', url })
}

async function getJson(url: string): Promise<{ response: LightMyRequestResponse; body: Record<string, unknown> }> {
  const response = await get(url)
  return { response, body: response.json<Record<string, unknown>>() }
}

function expectValid(schemaId: string, data: unknown, where: string): void {
  const problems = schemas.validate(schemaId, data)
  expect(problems, `${where} against ${schemaId}`).toEqual([])
}

/** ORUK: optional fields are omitted, never null or empty; every `id` and `*_id` is a UUID. */
function expectNoEmptyValues(value: unknown, path = ''): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      expectNoEmptyValues(item, `${path}[${String(i)}]`)
    })
    return
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      expect(child, `${path}.${key} is null`).not.toBeNull()
      expect(child, `${path}.${key} is empty`).not.toBe('')
      if (Array.isArray(child)) {
        expect(child.length, `${path}.${key} is an empty array`).toBeGreaterThan(0)
      }
      if ((key === 'id' || key.endsWith('_id')) && typeof child === 'string') {
        expect(child, `${path}.${key}`).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      }
      expectNoEmptyValues(child, `${path}.${key}`)
    }
  }
}

interface PageBody {
  total_items: number
  total_pages: number
  page_number: number
  size: number
  first_page: boolean
  last_page: boolean
  empty: boolean
  contents: { id: string; [key: string]: unknown }[]
}

function expectPage(body: unknown, pageNumber: number): PageBody {
  const page = body as PageBody
  for (const key of ['total_items', 'total_pages', 'page_number', 'size'] as const) {
    expect(Number.isInteger(page[key]), key).toBe(true)
  }
  for (const key of ['first_page', 'last_page', 'empty'] as const) {
    expect(typeof page[key], key).toBe('boolean')
  }
  expect(Array.isArray(page.contents)).toBe(true)
  expect(page.page_number).toBe(pageNumber)
  expect(page.first_page).toBe(pageNumber === 1)
  expect(page.last_page).toBe(pageNumber >= page.total_pages)
  expect(page.size).toBe(page.contents.length)
  expect(page.empty).toBe(page.contents.length === 0)
  return page
}

const endpoints: {
  list: string
  perPage: number
  itemSchema: string
  extraItemSchema?: string
  pageSchema: string | undefined
  detailSchemas: string[]
}[] = [
  {
    list: '/api/oruk/services',
    perPage: 25,
    itemSchema: `${ukProfileBase}compiled/service_list.json`,
    pageSchema: `${validatorBase}service_list.json`,
    detailSchemas: [`${ukProfileBase}compiled/service.json`, `${validatorBase}service.json`],
  },
  {
    list: '/api/oruk/service_at_locations',
    perPage: 50,
    itemSchema: `${ukProfileBase}compiled/service_at_location_list.json`,
    pageSchema: `${validatorBase}service_at_location_list.json`,
    // The ORUK 3.0 OpenAPI points this at compiled/service.json; HSDS and the validator at service_at_location.
    detailSchemas: [
      `${ukProfileBase}compiled/service.json`,
      `${ukProfileBase}compiled/service_at_location.json`,
      `${validatorBase}service_at_location.json`,
    ],
  },
  {
    list: '/api/oruk/taxonomies',
    perPage: 2,
    itemSchema: `${ukProfileBase}taxonomy.json`,
    pageSchema: `${validatorBase}taxonomy_list.json`,
    detailSchemas: [`${ukProfileBase}taxonomy.json`, `${validatorBase}taxonomy.json`],
  },
  {
    list: '/api/oruk/taxonomy_terms',
    perPage: 10,
    itemSchema: `${ukProfileBase}taxonomy_term.json`,
    pageSchema: `${validatorBase}taxonomy_term_list.json`,
    detailSchemas: [`${ukProfileBase}taxonomy_term.json`, `${validatorBase}taxonomy_term.json`],
  },
  {
    list: '/api/oruk/organizations',
    perPage: 2,
    // HSDS 3.0 only (not in the ORUK site's spec). The validator's older spec points the whole page at its
    // organization_list.json, which is an item schema (a defect there), so that schema is applied to each item.
    itemSchema: `${ukProfileBase}compiled/organization_list.json`,
    extraItemSchema: `${validatorBase}organization_list.json`,
    pageSchema: undefined,
    detailSchemas: [`${ukProfileBase}compiled/organization.json`, `${validatorBase}organization.json`],
  },
]

describe('ORUK validator checks', () => {
  it('GET / names the version, profile and OpenAPI document (Level 1)', async () => {
    const { response, body } = await getJson('/api/oruk/')
    expect(response.statusCode).toBe(200)
    expectValid(`${validatorBase}api_details.json`, body, 'GET /')
    expect(body.version).toBe('HSDS-UK-3.0')
    expect(String(body.version).replace('HSDS-UK-', '').replace('V', '')).toBe('3.0')
    expect(body.profile).toBe('https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md')
    expect(body.openapi_url).toBe(`${testConfig.publicBaseUrl}/api/oruk/openapi.json`)
    expect((await get('/api/oruk')).statusCode).toBe(200)
  })

  it('serves the OpenAPI document with all nine ORUK endpoints and our server', async () => {
    const { response, body } = await getJson('/api/oruk/openapi.json')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('application/json')
    expect(body.openapi).toBe('3.0.0')
    expect(Object.keys(body.paths as object)).toEqual(
      expect.arrayContaining([
        '/',
        '/services',
        '/services/{id}',
        '/service_at_locations',
        '/service_at_locations/{id}',
        '/taxonomies',
        '/taxonomies/{id}',
        '/taxonomy_terms',
        '/taxonomy_terms/{id}',
      ]),
    )
    expect(body.servers).toEqual([{ url: `${testConfig.publicBaseUrl}/api/oruk` }])
  })

  for (const endpoint of endpoints) {
    it(`${endpoint.list}: first, middle and last page validate, and ten random ids validate`, async () => {
      const first = await getJson(`${endpoint.list}?page=1&per_page=${String(endpoint.perPage)}`)
      expect(first.response.statusCode).toBe(200)
      const firstPage = expectPage(first.body, 1)
      expect(firstPage.contents.length, 'EMPTY_FEED_WARNING').toBeGreaterThan(0)
      expect(firstPage.total_pages, 'enough data for a middle page').toBeGreaterThan(2)
      expect(firstPage.total_pages).toBe(Math.ceil(firstPage.total_items / endpoint.perPage))
      const pages = [1, Math.ceil(firstPage.total_pages / 2), firstPage.total_pages]
      const ids: string[] = []
      for (const pageNumber of pages) {
        const { response, body } = await getJson(
          `${endpoint.list}?page=${String(pageNumber)}&per_page=${String(endpoint.perPage)}`,
        )
        expect(response.statusCode).toBe(200)
        const page = expectPage(body, pageNumber)
        expect(page.total_items).toBe(firstPage.total_items)
        expect(page.contents.length).toBe(
          pageNumber === firstPage.total_pages
            ? firstPage.total_items - endpoint.perPage * (firstPage.total_pages - 1)
            : endpoint.perPage,
        )
        if (endpoint.pageSchema) {
          expectValid(endpoint.pageSchema, body, `${endpoint.list} page ${String(pageNumber)}`)
        }
        page.contents.forEach((item, i) => {
          for (const schema of [endpoint.itemSchema, endpoint.extraItemSchema]) {
            if (schema) {
              expectValid(schema, item, `${endpoint.list} page ${String(pageNumber)} item ${String(i)}`)
            }
          }
        })
        expectNoEmptyValues(body)
        ids.push(...page.contents.map(item => item.id))
      }
      expect(new Set(ids).size, 'ids are unique across pages').toBe(ids.length)
      const sample = [...ids].sort(() => Math.random() - 0.5).slice(0, 10)
      for (const id of sample) {
        const { response, body } = await getJson(`${endpoint.list}/${id}`)
        expect(response.statusCode, `${endpoint.list}/${id}`).toBe(200)
        expect(body.id).toBe(id)
        for (const schema of endpoint.detailSchemas) {
          expectValid(schema, body, `${endpoint.list}/${id}`)
        }
        expectNoEmptyValues(body)
      }
    })
  }

  it('a page past the end is empty, not an error', async () => {
    const { response, body } = await getJson('/api/oruk/services?page=999&per_page=50')
    expect(response.statusCode).toBe(200)
    const page = expectPage(body, 999)
    expect(page.empty).toBe(true)
    expect(page.total_items).toBeGreaterThan(0)
  })

  it('a fully nested service carries its venues, sessions, costs, languages, contacts and categories', async () => {
    const list = expectPage((await getJson('/api/oruk/services?per_page=200&search=stay')).body, 1)
    const id = list.contents[0]?.id ?? ''
    const { body } = await getJson(`/api/oruk/services/${id}`)
    expect(body).toMatchObject({
      id,
      status: expect.any(String) as unknown,
      organization: { id: expect.any(String) as unknown },
    })
    for (const key of ['service_at_locations', 'schedules', 'cost_options', 'languages', 'contacts', 'attributes']) {
      expect(Array.isArray(body[key]), key).toBe(true)
    }
    const sal = (body.service_at_locations as { location: { addresses?: unknown[]; location_type: string } }[])[0]
    expect(sal?.location.location_type).toBeDefined()
  })

  it('answers every request, errors included, with Access-Control-Allow-Origin: * and no sign-in', async () => {
    for (const url of [
      '/api/oruk/',
      '/api/oruk/services',
      '/api/oruk/services/not-a-uuid',
      '/api/oruk/services/00000000-0000-4000-8000-000000000000',
      '/api/oruk/nothing-here',
      '/api/oruk/openapi.json',
    ]) {
      const response = await get(url)
      expect(response.headers['access-control-allow-origin'], url).toBe('*')
      expect(response.headers['content-type'], url).toContain('application/json')
    }
    const preflight = await app.app.inject({
      method: 'OPTIONS',
      url: '/api/oruk/services',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
    expect(preflight.headers['access-control-allow-methods']).toContain('GET')
  })

  it('answers in well under the validator’s 5 second limit', async () => {
    const started = performance.now()
    await get('/api/oruk/service_at_locations?postcode=NM1%201AA&proximity=5000')
    expect(performance.now() - started).toBeLessThan(5000)
  })
})

describe('unpublished services never leak', () => {
  it('drafts, services awaiting approval and archived services are not listed, fetched or counted', async () => {
    const organisation = await aDirectoryOrganisation(database.db, { name: `Hidden provider ${token}` })
    const location = await aLocation(database.db, { latitude: 54.2, longitude: -2.1 })
    const hidden = []
    for (const status of ['draft', 'awaiting_approval', 'archived'] as const) {
      hidden.push(
        await aService(database.db, {
          name: `Hidden ${status} ${token}`,
          workflowStatus: status,
          directoryOrganisationId: organisation,
          locationIds: [location],
        }),
      )
    }
    for (const url of [
      `/api/oruk/services?search=${token}`,
      `/api/oruk/service_at_locations?search=${token}`,
      `/api/oruk/services?organization_id=${organisation}`,
    ]) {
      const page = expectPage((await getJson(url)).body, 1)
      expect(page.total_items, url).toBe(0)
    }
    for (const service of hidden) {
      expect((await get(`/api/oruk/services/${service.id}`)).statusCode).toBe(404)
      expect((await get(`/api/oruk/service_at_locations/${service.salIds[0] ?? ''}`)).statusCode).toBe(404)
    }
    expect((await get(`/api/oruk/organizations/${organisation}`)).statusCode).toBe(404)
    const all = expectPage((await getJson('/api/oruk/services?per_page=500')).body, 1)
    const published = await database.db
      .selectFrom('directory_services')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('workflow_status', '=', 'published')
      .executeTakeFirstOrThrow()
    expect(all.total_items).toBe(published.n)
  })
})

describe('filters (not checked by the validator)', () => {
  let ids: Record<string, string>
  let salIds: Record<string, string[]>
  let termId: string
  let taxonomyId: string
  let organisationId: string

  beforeAll(async () => {
    const db = database.db
    const index = await loadTaxonomyIndex(db)
    termId = index.term(Taxonomies.startForLife, 'infant-feeding')?.id ?? ''
    taxonomyId = index.taxonomyByCode.get(Taxonomies.dfe)?.id ?? ''
    organisationId = await aDirectoryOrganisation(db)
    await aPostcode(db, 'ZZ1 1AA', 54.2, -2.1)
    await aPostcode(db, 'ZZ9 9ZZ', 54.6, -2.1, 'E06000099')
    const near = await aLocation(db, { latitude: 54.201, longitude: -2.1 })
    const middle = await aLocation(db, { latitude: 54.22, longitude: -2.1 })
    const far = await aLocation(db, { latitude: 54.3, longitude: -2.1 })
    const feeding = await aService(db, {
      name: `Feeding ${token}`,
      categories: ['infant-feeding'],
      childMinMonths: 0,
      childMaxMonths: 11,
      locationIds: [near],
      sessions: [{ byday: 'MO', opensAt: '09:30', closesAt: '11:00' }],
      directoryOrganisationId: organisationId,
    })
    const evening = await aService(db, {
      name: `Evening ${token}`,
      categories: ['parenting'],
      childMinMonths: 24,
      childMaxMonths: 59,
      locationIds: [middle, far],
      sessions: [{ byday: 'TU,TH', opensAt: '18:00', closesAt: '20:00' }],
      updatedAt: new Date('2020-01-01T00:00:00Z'),
    })
    const weekend = await aService(db, {
      name: `Weekend ${token}`,
      categories: ['stay-and-play'],
      forPregnancy: true,
      forChildren: false,
      locationIds: [far],
      sessions: [{ byday: 'SA', opensAt: '10:00', closesAt: '12:00' }],
      updatedAt: new Date('2020-01-01T00:00:00Z'),
    })
    const residents = await aService(db, { name: `Residents ${token}`, areas: ['E06000099'], locationIds: [middle] })
    await db
      .insertInto('directory_service_terms')
      .values({ service_id: evening.id, term_id: index.term(Taxonomies.dfe, 'parenting-support')?.id ?? '' })
      .execute()
    ids = { feeding: feeding.id, evening: evening.id, weekend: weekend.id, residents: residents.id }
    salIds = { feeding: feeding.salIds, evening: evening.salIds, weekend: weekend.salIds, residents: residents.salIds }
  })

  async function names(query: string, endpoint = 'services'): Promise<string[]> {
    const { response, body } = await getJson(`/api/oruk/${endpoint}?search=${token}&per_page=100&${query}`)
    expect(response.statusCode, query).toBe(200)
    const page = body as unknown as PageBody
    return page.contents
      .map(
        item =>
          String(endpoint === 'services' ? item.name : (item.service as { name: string }).name).split(' ')[0] ?? '',
      )
      .sort()
  }

  it('search finds by words of the name or description', async () => {
    expect(await names('')).toEqual(['Evening', 'Feeding', 'Residents', 'Weekend'])
  })

  it('taxonomy_term_id and taxonomy_id', async () => {
    expect(await names(`taxonomy_term_id=${termId}`)).toEqual(['Feeding'])
    expect(await names(`taxonomy_id=${taxonomyId}`)).toEqual(['Evening'])
    const pregnancy = (await loadTaxonomyIndex(database.db)).term(Taxonomies.eligibility, 'pregnancy')?.id ?? ''
    expect(await names(`taxonomy_term_id=${pregnancy}`)).toEqual(['Weekend'])
  })

  it('minimum_age and maximum_age match services serving any age in the range (overlap, documented)', async () => {
    expect(await names('minimum_age=3')).toEqual(['Evening', 'Residents'])
    expect(await names('maximum_age=0.5')).toEqual(['Feeding', 'Residents'])
    expect(await names('minimum_age=0&maximum_age=1')).toEqual(['Feeding', 'Residents'])
    expect(await names('minimum_age=1&maximum_age=1.5')).toEqual(['Residents'])
  })

  it('day, start_time and end_time', async () => {
    expect(await names('day=SA')).toEqual(['Weekend'])
    expect(await names('day=TU,SA')).toEqual(['Evening', 'Weekend'])
    expect(await names('start_time=17:00')).toEqual(['Evening'])
    expect(await names('end_time=11:30')).toEqual(['Feeding', 'Residents'])
    expect(await names('day=MO&start_time=09:00&end_time=11:00')).toEqual(['Feeding'])
  })

  it('modified_after', async () => {
    expect(await names('modified_after=2024-01-01T00:00:00Z')).toEqual(['Feeding', 'Residents'])
    expect(await names('modified_after=2019-12-31')).toEqual(['Evening', 'Feeding', 'Residents', 'Weekend'])
  })

  it('organization_id', async () => {
    expect(await names(`organization_id=${organisationId}`)).toEqual(['Feeding'])
  })

  it('filters are cumulative (AND)', async () => {
    expect(await names('day=SA&minimum_age=0')).toEqual([])
    expect(await names(`day=MO&taxonomy_term_id=${termId}`)).toEqual(['Feeding'])
    expect(await names(`day=TU&taxonomy_term_id=${termId}`)).toEqual([])
  })

  it('postcode + proximity keeps venues within the distance, nearest first', async () => {
    expect(await names('postcode=ZZ1%201AA&proximity=1000', 'service_at_locations')).toEqual(['Feeding'])
    expect(await names('postcode=zz11aa&proximity=5000', 'service_at_locations')).toEqual(['Evening', 'Feeding'])
    const { body } = await getJson(
      `/api/oruk/service_at_locations?search=${token}&postcode=ZZ1%201AA&proximity=20000&per_page=100`,
    )
    const page = body as unknown as PageBody
    const distances = page.contents.map(item => {
      const location = item.location as { latitude: number; longitude: number }
      return haversineMetres({ latitude: 54.2, longitude: -2.1 }, location)
    })
    expect(distances.length).toBe(4)
    expect([...distances].sort((a, b) => a - b)).toEqual(distances)
    expect(page.contents[0]?.id).toBe(salIds.feeding?.[0])
    expect(await names('postcode=ZZ1%201AA&proximity=5000')).toEqual(['Evening', 'Feeding'])
  })

  it('postcode keeps services with a service area to postcodes inside it, across local authority boundaries otherwise', async () => {
    expect(await names('postcode=ZZ1%201AA', 'service_at_locations')).not.toContain('Residents')
    expect(await names('postcode=ZZ9%209ZZ', 'service_at_locations')).toEqual([
      'Evening',
      'Evening',
      'Feeding',
      'Residents',
      'Weekend',
    ])
    expect(ids.residents).toBeDefined()
  })

  it('full=true returns fully nested services', async () => {
    const { body } = await getJson(`/api/oruk/services?search=${token}&full=true&taxonomy_term_id=${termId}`)
    const page = body as unknown as PageBody
    expect(page.contents[0]?.service_at_locations).toBeDefined()
    expectValid(`${ukProfileBase}compiled/service.json`, page.contents[0], 'full item')
  })
})

describe('bad parameters: 400 with a JSON body naming the parameter', () => {
  const cases: [string, string][] = [
    ['per_page=0', 'per_page'],
    ['per_page=100000', 'per_page'],
    ['page=abc', 'page'],
    ['page=0', 'page'],
    ['minimum_age=-1', 'minimum_age'],
    ['maximum_age=old', 'maximum_age'],
    ['minimum_age=5&maximum_age=2', 'minimum_age'],
    ['day=XX', 'day'],
    ['start_time=25:00', 'start_time'],
    ['end_time=5pm', 'end_time'],
    ['modified_after=yesterday', 'modified_after'],
    ['taxonomy_term_id=not-a-uuid', 'taxonomy_term_id'],
    ['taxonomy_id=123', 'taxonomy_id'],
    ['postcode=NOTAPOSTCODE', 'postcode'],
    ['postcode=ZZ99%209ZZ', 'postcode'],
    ['proximity=1000', 'postcode'],
    ['postcode=NM1%201AA&proximity=1000000', 'proximity'],
    ['postcode=NM1%201AA&proximity=-5', 'proximity'],
    ['postcode=NM1%201AA&proximity=far', 'proximity'],
    ['format=ndjson', 'format'],
    ['page=1&page=2', 'page'],
  ]
  for (const [query, parameter] of cases) {
    it(`${query} → 400 naming ${parameter}`, async () => {
      for (const endpoint of ['services', 'service_at_locations']) {
        const { response, body } = await getJson(`/api/oruk/${endpoint}?${query}`)
        expect(response.statusCode, endpoint).toBe(400)
        expect(body).toMatchObject({ status: 400, error: 'invalid_parameter', parameter })
        expect(String(body.message)).toContain(parameter)
        expect(response.headers['access-control-allow-origin']).toBe('*')
      }
    })
  }

  it('a malformed id is a 400 naming id; an unknown one a 404', async () => {
    for (const endpoint of ['services', 'service_at_locations', 'taxonomies', 'taxonomy_terms', 'organizations']) {
      const bad = await getJson(`/api/oruk/${endpoint}/12345`)
      expect(bad.response.statusCode).toBe(400)
      expect(bad.body.parameter).toBe('id')
      const unknown = await getJson(`/api/oruk/${endpoint}/6f1c1b3e-8d2a-4c55-9a7e-2b1f0e9d4c3a`)
      expect(unknown.response.statusCode).toBe(404)
      expect(unknown.body.status).toBe(404)
    }
  })
})
