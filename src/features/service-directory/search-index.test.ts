/**
 * The in-memory search index must give the same answers as the SQL search it stands in for (bounding box on the
 * position index, haversine in SQL). Random combinations of every filter, on the demo directory.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { aPostcodeGrid } from '../../../test/builders/services.js'
import { anOrganisation } from '../../../test/builders/users.js'
import { testConfig } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { seedDemoDirectory } from './demo-directory.js'
import type { DirectoryFilters } from './directory-search.js'
import { searchServiceAtLocationsSql, searchServicesSql } from './directory-search-queries.js'
import { findPostcode, type Origin } from './postcodes.js'
import {
  directoryIndex,
  directoryIndexOptions,
  searchServiceAtLocationsInIndex,
  searchServicesInIndex,
} from './search-index.js'
import { loadTaxonomyIndex, Taxonomies, type TaxonomyIndex } from './taxonomy.js'

let database: DatabaseHandle
let taxonomies: TaxonomyIndex
let origins: Origin[]
directoryIndexOptions.checkEveryMs = 0

beforeAll(async () => {
  database = await createTestDb()
  const postcodes = await aPostcodeGrid(database.db, { size: 20 })
  const orgIds = [
    await anOrganisation(database.db, { kind: 'local_authority' }),
    await anOrganisation(database.db, { kind: 'voluntary_organisation' }),
    await anOrganisation(database.db, { kind: 'nhs_trust' }),
  ]
  await seedDemoDirectory(database.db, { seed: 7, scale: 1, laCode: testConfig.authority.code, orgIds })
  // A service area somewhere else, so that coverage matters.
  await database.db
    .insertInto('postcodes')
    .values({ postcode: 'ZZ9 9ZZ', latitude: 54.21, longitude: -2.11, la_code: 'E06000001', lsoa_code: null })
    .execute()
  taxonomies = await loadTaxonomyIndex(database.db)
  origins = [
    ...(
      await Promise.all(
        [postcodes[0], postcodes[150], postcodes[399]].map(postcode => findPostcode(database.db, postcode ?? '')),
      )
    ).filter(origin => origin !== undefined),
    (await findPostcode(database.db, 'ZZ9 9ZZ')) as Origin,
  ]
}, 120_000)
afterAll(async () => {
  await database.close()
})

function filtersArbitrary(): fc.Arbitrary<DirectoryFilters> {
  const categories = taxonomies.termsOf(Taxonomies.startForLife).map(term => term.id)
  const anyTerms = taxonomies.terms.map(term => term.id)
  const features = taxonomies.termsOf(Taxonomies.accessibility).map(term => term.code)
  return fc
    .record({
      termGroups: fc.array(fc.array(fc.constantFrom(...categories, ...anyTerms), { minLength: 1, maxLength: 3 }), {
        maxLength: 2,
      }),
      taxonomyId: fc.constantFrom(...taxonomies.taxonomies.map(taxonomy => taxonomy.id)),
      childMonths: fc.record({
        min: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        max: fc.option(fc.integer({ min: 0, max: 72 }), { nil: undefined }),
      }),
      pregnancyWeeks: fc
        .integer({ min: 0, max: 42 })
        .chain(min => fc.integer({ min, max: 42 }).map(max => ({ min, max }))),
      freeOnly: fc.boolean(),
      languages: fc.array(fc.constantFrom('en', 'pl', 'ur', 'bn', 'ar'), { minLength: 1, maxLength: 2 }),
      accessibility: fc.array(fc.constantFrom(...features), { minLength: 1, maxLength: 2 }),
      schedule: fc.record(
        {
          dayMask: fc.integer({ min: 1, max: 127 }),
          evenings: fc.boolean(),
          weekends: fc.boolean(),
          opensFrom: fc.constantFrom('09:00', '10:00', '13:00', '17:00'),
          closesBy: fc.constantFrom('11:00', '12:00', '17:00', '21:00'),
        },
        { requiredKeys: [] },
      ),
      modifiedAfter: fc.constantFrom(new Date(Date.now() - 30 * 86_400_000), new Date(Date.now() - 120 * 86_400_000)),
      origin: fc.constantFrom(...origins),
      radiusMetres: fc.constantFrom(1000, 3000, 8000, 20_000),
      includeServicesWithoutVenue: fc.boolean(),
      text: fc.constantFrom('feeding', 'group', 'dads', 'helpline'),
    })
    .chain(all =>
      fc.shuffledSubarray(Object.keys(all) as (keyof DirectoryFilters)[], { minLength: 1, maxLength: 3 }).map(keys => {
        // A few filters at a time, so that many searches still find something.
        const kept: DirectoryFilters = {}
        for (const key of keys) {
          Object.assign(kept, { [key]: (all as DirectoryFilters)[key] })
        }
        if (keys.includes('radiusMetres')) {
          kept.origin = all.origin
        }
        return kept
      }),
    )
}

describe('the in-memory index answers as the SQL search does', () => {
  it('services: same services, same totals, same distances, same order', async () => {
    await directoryIndex(database.db)
    let nonEmpty = 0
    await fc.assert(
      fc.asyncProperty(filtersArbitrary(), async filters => {
        const page = { limit: 10_000, offset: 0 }
        const sql = await searchServicesSql(database.db, filters, taxonomies, page)
        const memory = await searchServicesInIndex(database.db, filters, taxonomies, page)
        expect(memory.total).toBe(sql.total)
        nonEmpty += memory.total > 0 ? 1 : 0
        expect(memory.hits.map(hit => hit.serviceId)).toEqual(sql.hits.map(hit => hit.serviceId))
        memory.hits.forEach((hit, i) => {
          const other = sql.hits[i]?.distance ?? null
          if (hit.distance === null || other === null) {
            expect(hit.distance).toBe(other)
          } else {
            expect(Math.abs(hit.distance - other)).toBeLessThan(0.01)
          }
        })
      }),
      { numRuns: 150 },
    )
    // The filters are random but must not be so strict that most searches find nothing.
    expect(nonEmpty).toBeGreaterThan(40)
  }, 120_000)

  it('service-at-locations: same rows in the same order, and the same page slices', async () => {
    await fc.assert(
      fc.asyncProperty(filtersArbitrary(), fc.integer({ min: 0, max: 3 }), async (filters, pageNumber) => {
        const page = { limit: 7, offset: pageNumber * 7 }
        const sql = await searchServiceAtLocationsSql(database.db, filters, taxonomies, page)
        const memory = await searchServiceAtLocationsInIndex(database.db, filters, taxonomies, page)
        expect(memory.total).toBe(sql.total)
        expect(memory.hits.map(hit => hit.id)).toEqual(sql.hits.map(hit => hit.id))
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('sees a change made straight in the database at the next request', async () => {
    const before = await directoryIndex(database.db)
    const service = before.services[0]
    await database.db
      .updateTable('directory_services')
      .set({ workflow_status: 'archived' })
      .where('id', '=', service?.id ?? '')
      .execute()
    const after = await directoryIndex(database.db)
    expect(after.generation).toBeGreaterThan(before.generation)
    expect(after.serviceById.has(service?.id ?? '')).toBe(false)
  })
})
