/**
 * Importing an ORUK feed from a web address: another directory's API (here our own, served on a loopback port) is
 * read page by page, each service in full, and imported into a second database; bad addresses say what went wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aLocation, aPostcodeGrid, aService } from '../../../test/builders/services.js'
import { createTestApp, testConfig } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { FeedFetchError, fetchOrukFeed } from './oruk-feed-fetch.js'
import { importOrukFeed } from './oruk-import.js'
import { directoryIndexOptions } from './search-index.js'

let source: DatabaseHandle
let target: DatabaseHandle
let app: App
let base: string
const names = ['Baby massage', 'Bumps and babies', 'Dads’ Saturday club', 'Early words', 'Infant feeding cafe']
directoryIndexOptions.checkEveryMs = 0

beforeAll(async () => {
  source = await createTestDb()
  target = await createTestDb()
  await aPostcodeGrid(source.db, { size: 5, laCode: testConfig.authority.code })
  const venue = await aLocation(source.db, { name: 'Riverside Family Hub', laCode: testConfig.authority.code })
  for (const name of names) {
    await aService(source.db, {
      name,
      locationIds: [venue],
      sessions: [{ byday: 'SA', opensAt: '10:00', closesAt: '11:30' }],
    })
  }
  await aService(source.db, { name: 'Unpublished draft', workflowStatus: 'draft', locationIds: [venue] })
  app = await createTestApp(source.db)
  await app.app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.app.server.address()
  base = `http://127.0.0.1:${String(typeof address === 'object' && address ? address.port : 0)}`
}, 120_000)
afterAll(async () => {
  await app.app.close()
  await source.close()
  await target.close()
})

describe('directory import from a web address', () => {
  it('reads every page of a services list and each service in full, and imports them; again updates', async () => {
    const progress: string[] = []
    const feed = await fetchOrukFeed(`${base}/api/oruk/services?per_page=2`, {
      onProgress: message => progress.push(message),
    })
    expect(feed).toHaveLength(names.length)
    expect(progress).toContain('Read page 3 of 3')
    const first = await importOrukFeed(target.db, feed, { source: 'import:partner', status: 'published' })
    expect(first).toMatchObject({ ok: true, services: names.length, created: names.length })
    const imported = await target.db
      .selectFrom('directory_services as s')
      .innerJoin('directory_schedules as sc', 'sc.service_id', 's.id')
      .select(['s.name', 'sc.byday', 'sc.opens_at'])
      .orderBy('s.name')
      .execute()
    expect(imported.map(row => row.name)).toEqual(names)
    expect(imported.every(row => row.byday === 'SA' && row.opens_at?.startsWith('10:00'))).toBe(true)
    const again = await importOrukFeed(target.db, await fetchOrukFeed(`${base}/api/oruk/services`), {
      source: 'import:partner',
      status: 'published',
    })
    expect(again).toMatchObject({ ok: true, created: 0, updated: names.length })
  })

  it('takes one service, or any page, as it is', async () => {
    const list = (await fetchOrukFeed(`${base}/api/oruk/services`)) as { id: string }[]
    const one = await fetchOrukFeed(`${base}/api/oruk/services/${list[0]?.id ?? ''}`)
    expect(one).toHaveLength(1)
    expect(await fetchOrukFeed(`${base}/api/oruk/service_at_locations?per_page=50`)).toHaveLength(names.length)
  })

  it('says what went wrong with a bad address', async () => {
    await expect(fetchOrukFeed(`${base}/api/oruk/nothing-here`)).rejects.toThrow(/answered 404/)
    await expect(fetchOrukFeed(`${base}/find-support`)).rejects.toThrow(/did not answer with JSON/)
    await expect(fetchOrukFeed('http://127.0.0.1:1/services')).rejects.toThrow(/could not be reached/)
    await expect(fetchOrukFeed('ftp://example.org/feed')).rejects.toThrow(FeedFetchError)
    await expect(fetchOrukFeed('not an address')).rejects.toThrow(/not a web address/)
  })
})
