/**
 * Bringing data in and out: the ONS Postcode Directory import (streamed, validated, idempotent), the ORUK 3.0 feed
 * import (per-record errors, nothing half-imported, re-import updates) and the HSDS tabular CSV export.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { ValidationError } from '../../platform/errors.js'
import { aLocation, aService } from '../../../test/builders/services.js'
import { createTestApp } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { directoryExportCommand, directoryImportCommand } from '../../cli/directory-command.js'
import { postcodesImportCommand } from '../../cli/postcodes-command.js'
import { hsdsTables, exportHsdsCsv } from './hsds-export.js'
import { importOrukFeed, parseFeed } from './oruk-import.js'
import { orukSchemas, ukProfileBase } from './oruk-schemas.js'
import { importPostcodes } from './postcode-import.js'
import { clearPostcodeCache } from './postcodes.js'
import { directoryIndexOptions } from './search-index.js'

let database: DatabaseHandle
// Every request checks the directory's change counter, so fixtures added straight to the database show at once.
directoryIndexOptions.checkEveryMs = 0
let app: App
const fixtures = path.resolve('test/fixtures/oruk')
const readFeed = (name: string) => parseFeed(fs.readFileSync(path.join(fixtures, name), 'utf8'))

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

async function count(
  table:
    | 'directory_services'
    | 'directory_locations'
    | 'directory_organisations'
    | 'directory_schedules'
    | 'directory_service_at_locations'
    | 'postcodes',
) {
  const row = await database.db
    .selectFrom(table)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

const onspdHeader = 'pcd,pcd2,pcds,dointr,doterm,oscty,oslaua,osward,lat,long,lsoa11,lsoa21'

describe('postcodes import (ONS Postcode Directory format)', () => {
  it('loads postcodes, normalising them, and skips terminated ones, ones without coordinates and malformed ones', async () => {
    const csv = [
      onspdHeader,
      'EA1 1AA,EA1  1AA,EA1 1AA,199001,,E10000097,E06000097,E05000001,54.6100,-1.5500,E01000001,E01100001',
      'EA11AB,EA1  1AB,ea1 1ab,199001,,E10000097,E06000097,E05000001,54.6110,-1.5510,E01000001,E01100002',
      'EA1 1AD,EA1  1AD,EA1 1AD,199001,201001,E10000097,E06000097,E05000001,54.6120,-1.5520,E01000001,E01100003',
      'EA1 1AE,EA1  1AE,EA1 1AE,199001,,E10000097,E06000097,E05000001,99.999999,0.000000,,',
      'EA1 1XX1,,EA1 1XX1,199001,,E10000097,E06000097,E05000001,54.6,-1.5,,',
    ].join('\n')
    const result = await importPostcodes(database.db, Readable.from([csv]))
    expect(result.imported).toBe(2)
    expect(result.rows).toBe(5)
    expect(result.skipped).toEqual({ invalidPostcode: 1, noCoordinates: 1, terminated: 1 })
    expect(result.problems).toEqual([
      { line: 6, message: '"EA1 1XX1" is not a valid UK postcode (expected something like NM1 1AA)' },
    ])
    const rows = await database.db
      .selectFrom('postcodes')
      .selectAll()
      .where('postcode', 'like', 'EA1 %')
      .orderBy('postcode')
      .execute()
    expect(rows).toEqual([
      { postcode: 'EA1 1AA', latitude: 54.61, longitude: -1.55, lsoa_code: 'E01100001', la_code: 'E06000097' },
      { postcode: 'EA1 1AB', latitude: 54.611, longitude: -1.551, lsoa_code: 'E01100002', la_code: 'E06000097' },
    ])
  })

  it('updates postcodes on a second import instead of duplicating them, and accepts plain column names', async () => {
    const before = await count('postcodes')
    const csv = 'postcode,latitude,longitude,lsoa_code,la_code\r\nEA1 1AA,54.62,-1.56,E01100001,E06000097\r\n'
    const result = await importPostcodes(database.db, Readable.from([csv]))
    expect(result.imported).toBe(1)
    expect(await count('postcodes')).toBe(before)
    const row = await database.db
      .selectFrom('postcodes')
      .select('latitude')
      .where('postcode', '=', 'EA1 1AA')
      .executeTakeFirstOrThrow()
    expect(row.latitude).toBe(54.62)
    clearPostcodeCache()
  })

  it('explains a file without the columns it needs', async () => {
    await expect(importPostcodes(database.db, Readable.from(['name,town\nA,B\n']))).rejects.toThrow(ValidationError)
    await expect(importPostcodes(database.db, Readable.from(['name,town\nA,B\n']))).rejects.toThrow(
      /no postcode, latitude, longitude column/,
    )
  })

  it('changes nothing when the file fails part-way (all or nothing)', async () => {
    const before = await count('postcodes')
    function* lines() {
      yield 'postcode,latitude,longitude\n'
      for (let i = 0; i < 30; i++) {
        yield `ZZ1 ${String(i % 10)}A${'ABDEFGHJLN'[Math.floor(i / 10)] ?? 'A'},54.5,-1.5\n`
      }
      throw new Error('The disk went away')
    }
    await expect(importPostcodes(database.db, Readable.from(lines()), { batchSize: 10 })).rejects.toThrow(
      'The disk went away',
    )
    expect(await count('postcodes')).toBe(before)
  })

  it('streams a large file in batches with flat memory', async () => {
    const rows = 60_000
    const letters = 'ABDEFGHJLNPQRSTUWXYZ'
    function* lines() {
      yield `${onspdHeader}\n`
      for (let i = 0; i < rows; i++) {
        const pc = `ZE${String(1 + (i % 9))} ${String(Math.floor(i / 400) % 10)}${letters[Math.floor(i / 20) % 20] ?? 'A'}${letters[i % 20] ?? 'A'}`
        yield `${pc},${pc},${pc},199001,,E10000097,E06000097,E05000001,${(60 + (i % 1000) / 10000).toFixed(4)},-1.2,E01000001,E01100001\n`
      }
    }
    global.gc?.()
    const heapBefore = process.memoryUsage().heapUsed
    let peak = heapBefore
    const result = await importPostcodes(database.db, Readable.from(lines()), {
      batchSize: 1000,
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed)
      },
    })
    expect(result.rows).toBe(rows)
    expect(result.imported).toBeGreaterThan(10_000)
    expect(peak - heapBefore).toBeLessThan(150 * 1024 * 1024)
  })

  it('the CLI command checks its arguments before touching the database', async () => {
    await expect(postcodesImportCommand.run([], { out: () => undefined, err: () => undefined })).rejects.toThrow(
      'Give one CSV file',
    )
    await expect(
      postcodesImportCommand.run(['/no/such/file.csv'], { out: () => undefined, err: () => undefined }),
    ).rejects.toThrow('There is no file')
    await expect(
      directoryImportCommand.run(['a.json', '--status', 'live'], { out: () => undefined, err: () => undefined }),
    ).rejects.toThrow()
    await expect(directoryExportCommand.run([], { out: () => undefined, err: () => undefined })).rejects.toThrow(
      'Give one directory',
    )
  })
})

describe('ORUK 3.0 feed import', () => {
  it('imports a valid feed: services, shared venues, sessions, costs, languages, categories and eligibility', async () => {
    const result = await importOrukFeed(database.db, readFeed('feed-valid.json'), { source: 'import:feed-valid.json' })
    expect(result).toMatchObject({ ok: true, services: 3, created: 3, updated: 0, locations: 2, organisations: 2 })
    const bumps = (
      await app.app.inject({ method: 'GET', url: '/api/oruk/services/7d2a6c74-ab2f-4e0a-9b80-2e3b5b8d9c01' })
    ).json<Record<string, unknown>>()
    expect(orukSchemas().validate(`${ukProfileBase}compiled/service.json`, bumps)).toEqual([])
    expect(bumps).toMatchObject({
      name: 'Eastdale bumps and babies',
      minimum_age: 0,
      maximum_age: 1,
      assured_date: '2026-01-15',
    })
    const attributes = (bumps.attributes as { taxonomy_term: { name: string } }[])
      .map(attribute => attribute.taxonomy_term.name)
      .sort()
    expect(attributes).toEqual(['Baby groups', 'During pregnancy', 'Stay and play'])
    expect((bumps.schedules as unknown[]).length).toBe(2)
    const location = (
      bumps.service_at_locations as {
        location: { addresses: { postal_code: string }[]; accessibility: { description: string }[] }
      }[]
    )[0]?.location
    expect(location?.addresses[0]?.postal_code).toBe('EA1 1AA')
    expect(location?.accessibility[0]?.description).toBe('Step-free access from the car park')
    const bank = await database.db
      .selectFrom('directory_services')
      .select(['is_free', 'workflow_status', 'source'])
      .where('id', '=', '7d2a6c74-ab2f-4e0a-9b80-2e3b5b8d9c21')
      .executeTakeFirstOrThrow()
    expect(bank).toEqual({ is_free: true, workflow_status: 'published', source: 'import:feed-valid.json' })
    const course = (
      await app.app.inject({ method: 'GET', url: '/api/oruk/services/7d2a6c74-ab2f-4e0a-9b80-2e3b5b8d9c31' })
    ).json<Record<string, unknown>>()
    expect(course.status).toBe('temporarily closed')
    expect(course.cost_options).toEqual([expect.objectContaining({ amount: 25.5 })])
    const page = await app.app.inject({
      method: 'GET',
      url: '/find-support/services/7d2a6c74-ab2f-4e0a-9b80-2e3b5b8d9c01',
    })
    expect(page.body).toContain('Tuesdays, 10am to 11:30am')
    expect(page.body).toContain('Saturday 6 July 2030, 11am to 3pm')
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'directory-import.run')
      .execute()
    expect(audit.at(-1)?.details).toMatchObject({ services: 3, created: 3 })
  })

  it('re-importing the same feed updates in place and duplicates nothing', async () => {
    const before = await Promise.all([
      count('directory_services'),
      count('directory_locations'),
      count('directory_organisations'),
      count('directory_schedules'),
      count('directory_service_at_locations'),
    ])
    const feed = readFeed('feed-valid.json') as Record<string, unknown>[]
    const first = feed[0] ?? {}
    first.name = 'Eastdale bumps, babies and toddlers'
    const result = await importOrukFeed(database.db, feed, { source: 'import:feed-valid.json' })
    expect(result).toMatchObject({ ok: true, created: 0, updated: 3 })
    const after = await Promise.all([
      count('directory_services'),
      count('directory_locations'),
      count('directory_organisations'),
      count('directory_schedules'),
      count('directory_service_at_locations'),
    ])
    expect(after).toEqual(before)
    const row = await database.db
      .selectFrom('directory_services')
      .select('name')
      .where('id', '=', '7d2a6c74-ab2f-4e0a-9b80-2e3b5b8d9c01')
      .executeTakeFirstOrThrow()
    expect(row.name).toBe('Eastdale bumps, babies and toddlers')
    const versions = await database.db
      .selectFrom('directory_service_versions')
      .select('kind')
      .where('service_id', '=', '7d2a6c74-ab2f-4e0a-9b80-2e3b5b8d9c01')
      .execute()
    expect(versions.map(version => version.kind)).toEqual(['imported', 'imported'])
  })

  it('rejects a feed with invalid records, naming each record’s problems, and imports none of it', async () => {
    const before = await Promise.all([
      count('directory_services'),
      count('directory_organisations'),
      count('directory_locations'),
    ])
    const result = await importOrukFeed(database.db, readFeed('feed-invalid.json'), {
      source: 'import:feed-invalid.json',
    })
    expect(result.ok).toBe(false)
    if (result.ok) {
      return
    }
    expect(result.records).toBe(4)
    expect(result.invalid.map(record => record.record)).toEqual([2, 3, 4])
    const messages = (n: number) =>
      (result.invalid.find(record => record.record === n)?.problems ?? []).map(
        problem => `${problem.path} ${problem.message}`,
      )
    expect(messages(2)).toEqual(
      expect.arrayContaining(["/ must have required property 'name'", '/email must match format "email"']),
    )
    expect(messages(3)).toEqual(
      expect.arrayContaining([
        '/id must match format "uuid"',
        '/status must be equal to one of the allowed values',
        '/schedules/0/closes_at must be after opens_at',
      ]),
    )
    expect(messages(4)).toEqual(['/organization must be given: every service needs the organisation that provides it'])
    expect(
      await Promise.all([count('directory_services'), count('directory_organisations'), count('directory_locations')]),
    ).toEqual(before)
    const valid = await database.db
      .selectFrom('directory_services')
      .select('id')
      .where('id', '=', '7d2a6c74-ab2f-4e0a-9b80-2e3b5b8d9c61')
      .executeTakeFirst()
    expect(valid).toBeUndefined()
  })

  it('never overwrites a service made in this directory, and a dry run keeps nothing', async () => {
    const location = await aLocation(database.db)
    const local = await aService(database.db, { name: 'Local group', locationIds: [location] })
    const json = (await app.app.inject({ method: 'GET', url: `/api/oruk/services/${local.id}` })).json<
      Record<string, unknown>
    >()
    const result = await importOrukFeed(database.db, [{ ...json, name: 'Hijacked' }], { source: 'import:evil.json' })
    expect(result.ok).toBe(false)
    expect(
      (
        await database.db
          .selectFrom('directory_services')
          .select('name')
          .where('id', '=', local.id)
          .executeTakeFirstOrThrow()
      ).name,
    ).toBe('Local group')
    const fresh = {
      ...json,
      id: '9f4c8e96-cd41-4a2c-9da2-4a5d7d0f1e01',
      name: 'Dry run group',
      service_at_locations: undefined,
      schedules: undefined,
      cost_options: undefined,
      languages: undefined,
      contacts: undefined,
      attributes: undefined,
      phones: undefined,
    }
    const dry = await importOrukFeed(database.db, [fresh], { source: 'import:dry.json', dryRun: true })
    expect(dry).toMatchObject({ ok: true, dryRun: true, created: 1 })
    expect(
      await database.db.selectFrom('directory_services').select('id').where('id', '=', fresh.id).executeTakeFirst(),
    ).toBeUndefined()
  })

  it('never takes over a venue made in this directory, even for a new service from a new organisation', async () => {
    const location = await aLocation(database.db, { name: 'Our family hub' })
    const local = await aService(database.db, { name: 'Hub group', locationIds: [location] })
    const json = (await app.app.inject({ method: 'GET', url: `/api/oruk/services/${local.id}` })).json<
      Record<string, unknown>
    >()
    const [sal] = json.service_at_locations as { location: Record<string, unknown> }[]
    expect(sal?.location.id).toBe(location)
    const before = await database.db
      .selectFrom('directory_locations')
      .select(['name', 'directory_organisation_id', 'source'])
      .where('id', '=', location)
      .executeTakeFirstOrThrow()
    const taker = {
      ...json,
      id: '9f4c8e96-cd41-4a2c-9da2-4a5d7d0f1e11',
      name: 'Takeover group',
      organization: {
        ...(json.organization as Record<string, unknown>),
        id: '9f4c8e96-cd41-4a2c-9da2-4a5d7d0f1e12',
        organization_identifiers: [],
      },
      service_at_locations: [
        { ...sal, id: '9f4c8e96-cd41-4a2c-9da2-4a5d7d0f1e13', location: { ...sal?.location, name: 'Taken over' } },
      ],
    }
    const result = await importOrukFeed(database.db, [taker], { source: 'import:feed.example.org' })
    expect(result.ok).toBe(false)
    if (result.ok) {
      return
    }
    expect(result.invalid).toEqual([
      {
        record: 1,
        id: taker.id,
        name: 'Takeover group',
        problems: [
          {
            path: '/service_at_locations/0/location/id',
            message: 'belongs to a venue created in this directory, which an import may not overwrite',
          },
        ],
      },
    ])
    expect(
      await database.db
        .selectFrom('directory_locations')
        .select(['name', 'directory_organisation_id', 'source'])
        .where('id', '=', location)
        .executeTakeFirstOrThrow(),
    ).toEqual(before)
    expect(
      await database.db.selectFrom('directory_services').select('id').where('id', '=', taker.id).executeTakeFirst(),
    ).toBeUndefined()
  })

  it('checks with the same schemas the ORUK examples pass, and refuses the impossible latitude in one of them', async () => {
    const schemas = orukSchemas()
    const example = (name: string) =>
      JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8')) as Record<string, unknown>
    expect(schemas.validate(`${ukProfileBase}compiled/service.json`, example('service_full.json'))).toEqual([])
    expect(
      schemas.validate(`${ukProfileBase}compiled/service_at_location.json`, example('service_at_location_full.json')),
    ).toEqual([])
    expect(schemas.validate(`${ukProfileBase}compiled/organization.json`, example('organization_full.json'))).toEqual(
      [],
    )
    expect(schemas.validate(`${ukProfileBase}taxonomy.json`, example('taxonomy.json'))).toEqual([])
    expect(schemas.validate(`${ukProfileBase}taxonomy_term.json`, example('taxonomy_term.json'))).toEqual([])
    for (const item of example('service_list.json').contents as unknown[]) {
      expect(schemas.validate(`${ukProfileBase}compiled/service_list.json`, item)).toEqual([])
    }
    const result = await importOrukFeed(database.db, [example('service_full.json')], {
      source: 'import:service_full.json',
    })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.invalid[0]?.problems).toEqual([
        { path: '/service_at_locations/0/location/latitude', message: 'must be between -90 and 90' },
      ])
    }
  })

  it('reads pages, single services and NDJSON as well as arrays', () => {
    expect(parseFeed('{"contents":[{"id":"a"},{"id":"b"}]}')).toHaveLength(2)
    expect(parseFeed('{"id":"a"}')).toHaveLength(1)
    expect(parseFeed('{"id":"a"}\n{"id":"b"}\n')).toHaveLength(2)
    expect(parseFeed('{"id":"a"}\nnot json\n')[1]).toEqual({ __unparsable: 'line 2 is not JSON' })
  })
})

describe('HSDS tabular CSV export', () => {
  it('writes each HSDS table with its columns, published services only, and a data package', async () => {
    const location = await aLocation(database.db, { accessibility: ['hearing-loop'] })
    await aService(database.db, {
      name: 'Exported group',
      locationIds: [location],
      languages: ['en', 'pl'],
      cost: { amount: 3 },
    })
    await aService(database.db, { name: 'Unexported draft', workflowStatus: 'draft', locationIds: [location] })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-export-'))
    try {
      const counts = await exportHsdsCsv(database.db, dir)
      for (const [table, columns] of Object.entries(hsdsTables)) {
        const text = fs.readFileSync(path.join(dir, `${table}.csv`), 'utf8')
        expect(text.split('\n')[0], table).toBe(columns.join(','))
      }
      const services = parse<Record<string, string>>(fs.readFileSync(path.join(dir, 'services.csv')), { columns: true })
      const published = await database.db
        .selectFrom('directory_services')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('workflow_status', '=', 'published')
        .executeTakeFirstOrThrow()
      expect(services).toHaveLength(published.n)
      expect(counts.services).toBe(services.length)
      expect(services.map(service => service.name)).toContain('Exported group')
      expect(services.map(service => service.name)).not.toContain('Unexported draft')
      const exported = services.find(service => service.name === 'Exported group')
      const costs = parse<Record<string, string>>(fs.readFileSync(path.join(dir, 'cost_options.csv')), {
        columns: true,
      })
      expect(costs.find(cost => cost.service_id === exported?.id)).toMatchObject({ amount: '3', currency: 'GBP' })
      const languages = parse<Record<string, string>>(fs.readFileSync(path.join(dir, 'languages.csv')), {
        columns: true,
      })
      expect(
        languages
          .filter(language => language.service_id === exported?.id)
          .map(language => language.code)
          .sort(),
      ).toEqual(['en', 'pl'])
      const pack = JSON.parse(fs.readFileSync(path.join(dir, 'datapackage.json'), 'utf8')) as {
        resources: { path: string }[]
      }
      expect(pack.resources.map(resource => resource.path)).toContain('service_at_location.csv')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
