import { describe, expect, it } from 'vitest'
import { generateGeography } from './demo-county-geography.js'
import { createSampler } from './demo-county-random.js'

const postcodeFormat = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$/

describe('demo county geography', () => {
  it('has 5 districts and ~350 small areas at scale 1, inside the bounding box, with 10–30 NM postcodes each', () => {
    const geography = generateGeography(createSampler(1), 1)
    expect(geography.districts).toHaveLength(5)
    expect(geography.smallAreas.length).toBeGreaterThanOrEqual(340)
    expect(geography.smallAreas.length).toBeLessThanOrEqual(360)
    for (const area of geography.smallAreas) {
      expect(area.code).toMatch(/^E01\d{6}$/)
      expect(area.name).toMatch(/^[A-Za-z ]+ \d{3}[A-Z]$/)
      expect(area.latitude).toBeGreaterThanOrEqual(52.6)
      expect(area.latitude).toBeLessThanOrEqual(53.1)
      expect(area.longitude).toBeGreaterThanOrEqual(-1.9)
      expect(area.longitude).toBeLessThanOrEqual(-1.1)
      expect(area.postcodes.length).toBeGreaterThanOrEqual(10)
      expect(area.postcodes.length).toBeLessThanOrEqual(30)
      for (const postcode of area.postcodes) {
        expect(postcode).toMatch(postcodeFormat)
        expect(postcode.startsWith('NM')).toBe(true)
      }
    }
    const rows = [...geography.postcodeRows(1000)].flat()
    expect(rows).toHaveLength(geography.postcodeCount)
    const areas = new Map(geography.smallAreas.map(area => [area.code, area]))
    for (const row of rows) {
      const area = areas.get(row.lsoaCode)
      expect(area?.postcodes).toContain(row.postcode)
      // Within about 2 km of the small area's centroid.
      expect(Math.abs(row.latitude - (area?.latitude ?? 0))).toBeLessThan(0.02)
    }
  })

  it('makes the urban district more deprived than the affluent one', () => {
    const geography = generateGeography(createSampler(3), 1)
    const meanDecile = (district: string): number => {
      const areas = geography.smallAreas.filter(area => area.district.name === district)
      return areas.reduce((sum, area) => sum + area.imdDecile, 0) / areas.length
    }
    expect(meanDecile('Kettlewick')).toBeLessThan(4.6)
    expect(meanDecile('Stanmere')).toBeGreaterThan(6.5)
    const deciles = new Set(geography.smallAreas.map(area => area.imdDecile))
    expect(deciles.size).toBe(10)
  })

  it('keeps postcodes unique and well formed at the largest scale (100)', () => {
    const geography = generateGeography(createSampler(1), 100)
    const seen = new Set<string>()
    for (const area of geography.smallAreas) {
      expect(area.postcodes.length).toBeGreaterThan(0)
      for (const postcode of area.postcodes) {
        seen.add(postcode)
      }
    }
    expect(seen.size).toBe(geography.postcodeCount)
    expect(geography.postcodeCount).toBeGreaterThan(600_000)
    for (const postcode of [...seen].filter((_, index) => index % 997 === 0)) {
      expect(postcode).toMatch(postcodeFormat)
    }
  })

  it('is the same for the same seed and different for another', () => {
    const a = generateGeography(createSampler(5), 0.2)
    const b = generateGeography(createSampler(5), 0.2)
    const c = generateGeography(createSampler(6), 0.2)
    const summary = (g: typeof a) =>
      g.smallAreas.map(
        area => `${area.code} ${String(area.imdDecile)} ${String(area.latitude)} ${area.postcodes.join(',')}`,
      )
    expect(summary(a)).toEqual(summary(b))
    expect(summary(a)).not.toEqual(summary(c))
  })
})
