import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { centileBandForSds, centileForSds, COLE_NINE_SDS, createCentileLines, sdsForCentile } from './centiles.js'
import type { CentileLine } from './centiles.js'
import { MEASUREMENT_METHODS, SEXES } from './growth-types.js'
import type { MeasurementMethod, Sex } from './growth-types.js'
import { normalCdf, normalQuantile } from './normal.js'

describe('SDS <-> centile', () => {
  it('Φ and Φ⁻¹ to double precision', () => {
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15)
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 16)
    expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 12)
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 12)
    for (const p of [1e-12, 0.004, 0.02, 0.09, 0.25, 0.5, 0.75, 0.91, 0.98, 0.996]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 13)
    }
    expect(centileForSds(0.48314762737354544)).toBeCloseTo(68.5505, 4)
    expect(sdsForCentile(50)).toBe(0)
  })

  it('the nine Cole centile lines are exact multiples of 2/3 SD', () => {
    expect(COLE_NINE_SDS).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4].map(k => (k === 0 ? 0 : k * (2 / 3))))
  })
})

describe('centile band wording (rcpchgrowth centile_bands.py, 4.6 texts)', () => {
  const band = (z: number, method: MeasurementMethod = 'height') => centileBandForSds(z, method)

  it('on or near a centile within a quarter centile space, between centiles otherwise', () => {
    expect(band(0)).toBe('This height measurement is on or near the 50th centile.')
    expect(band(0.1664)).toBe('This height measurement is on or near the 50th centile.')
    // windows are half-open [lower, upper)
    expect(band(0.1665)).toBe('This height measurement is between the 50th and 75th centiles.')
    expect(band(-0.1665)).toBe('This height measurement is on or near the 50th centile.')
    expect(band(0.48314762737354544, 'bmi')).toBe(
      'This body mass index measurement is between the 50th and 75th centiles.',
    )
    expect(band(2.66, 'ofc')).toBe('This head circumference measurement is on or near the 99.6th centile.')
    expect(band(-2.65, 'weight')).toBe('This weight measurement is on or near the 0.4th centile.')
    expect(band(1.561122932646595, 'weight')).toBe('This weight measurement is between the 91st and 98th centiles.')
    expect(band(-1.2)).toBe('This height measurement is on or near the 9th centile.')
    expect(band(-1.9)).toBe('This height measurement is on or near the 2nd centile.')
    expect(band(1.4)).toBe('This height measurement is on or near the 91st centile.')
  })

  it('below/above the normal range, and the ±4 SD advisory', () => {
    expect(band(-3)).toBe('This height measurement is below the normal range.')
    expect(band(3)).toBe('This height measurement is above the normal range.')
    expect(band(4)).toBe('This height measurement is above the normal range.')
    expect(band(4.0001)).toBe('This height measurement is well outside the normal range. Please check its accuracy.')
    expect(band(-7, 'bmi')).toBe(
      'This body mass index measurement is well outside the normal range. Please check its accuracy.',
    )
    const lowestEdge = -4 * (2 / 3) - 0.25 * 0.666
    expect(band(lowestEdge)).toBe('This height measurement is below the normal range.')
    // RCPCH quirk kept: exactly on the highest window edge matches no branch
    expect(band(4 * (2 / 3) + 0.25 * 0.666)).toBeNull()
  })
})

describe('centile lines vs the RCPCH API chart data (digital-growth-charts-server chart-data/)', () => {
  type Segment = Record<string, Record<Sex, Record<MeasurementMethod, CentileLine[] | null> | null>>

  for (const sex of SEXES) {
    for (const method of MEASUREMENT_METHODS) {
      it(`${sex} ${method}`, () => {
        const expected = JSON.parse(
          readFileSync(new URL(`./fixtures/cole-nine-centiles-uk-who-${sex}-${method}.json`, import.meta.url), 'utf8'),
        ) as Segment[]
        const actual = createCentileLines({ measurementMethod: method, sex })
        expect(actual.map(segment => Object.keys(segment)[0])).toEqual(expected.map(segment => Object.keys(segment)[0]))
        let points = 0
        let maxDifference = 0
        expected.forEach((segment, i) => {
          const name = Object.keys(segment)[0] ?? ''
          const otherSex = sex === 'male' ? 'female' : 'male'
          expect(actual[i]?.[name]?.[otherSex]).toBeNull()
          const expectedLines = segment[name]?.[sex]?.[method] ?? []
          const actualLines = actual[i]?.[name]?.[sex]?.[method] ?? []
          expect(actualLines.map(line => [line.sds, line.centile])).toEqual(
            expectedLines.map(line => [line.sds, line.centile]),
          )
          expectedLines.forEach((line, j) => {
            const actualData = actualLines[j]?.data ?? null
            if (line.data === null) {
              expect(actualData).toBeNull()
              return
            }
            // (+ 0 folds the -0.0 ages of the published file into 0)
            expect(actualData?.map(p => [p.l, p.x + 0])).toEqual(line.data.map(p => [p.l, p.x + 0]))
            line.data.forEach((point, k) => {
              const y = actualData?.[k]?.y ?? NaN
              maxDifference = Math.max(maxDifference, Math.abs(y - (point.y ?? NaN)))
              points++
            })
          })
        })
        expect(points).toBeGreaterThan(2500)
        // values are published to 4 d.p.; one female height point differs in the last digit (a rounding tie)
        expect(maxDifference).toBeLessThanOrEqual(1.0000001e-4)
      })
    }
  }

  it('draws SDS lines, custom centiles, and each syndrome reference', () => {
    const sdsLines = createCentileLines({ measurementMethod: 'weight', sex: 'male', centileFormat: 'sds' })
    const infant = sdsLines[1]?.['uk_who_infant']?.male?.weight ?? []
    expect(infant.map(line => line.sds)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4])
    // the median line at 2 weeks is the WHO table's M
    expect(infant[4]?.data?.[0]).toEqual({ l: 0, x: 0.0383, y: 3.7529 })

    const turner = createCentileLines({ reference: 'turners-syndrome', measurementMethod: 'height', sex: 'female' })
    const median = turner[0]?.['turners-syndrome']?.female?.height?.[4]
    expect(median?.data?.[0]).toEqual({ l: 50, x: 1, y: 65.41 })
    expect(median?.data?.at(-1)).toEqual({ l: 50, x: 20, y: 143.32 })

    const t21 = createCentileLines({
      reference: 'trisomy-21',
      measurementMethod: 'ofc',
      sex: 'male',
      centileFormat: [3, 97],
    })
    const lines = t21[0]?.['trisomy-21']?.male?.ofc ?? []
    expect(lines.map(line => line.centile)).toEqual([3, 97])
    expect(lines[0]?.sds).toBe(-1.88)
  })
})
