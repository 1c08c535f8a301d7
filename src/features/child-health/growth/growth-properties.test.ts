import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { centileForSds, sdsForCentile } from './centiles.js'
import { calculateMeasurement } from './growth-calculation.js'
import { measurementForSds, sdsFor } from './growth-core.js'
import { calculateFast, createFastMeasurement } from './growth-fast.js'
import { formatIsoDate } from './dates.js'
import { METHOD_CODE, REFERENCE_CODE, SEX_CODE } from './growth-types.js'
import type { GrowthReference, MeasurementMethod, Sex } from './growth-types.js'

interface Domain {
  readonly reference: GrowthReference
  readonly method: MeasurementMethod
  readonly sex: Sex
  /** valid ages in whole days (corrected age) */
  readonly fromDay: number
  readonly toDay: number
}

// where each reference has data (23 weeks = -119 days, 25 weeks = -105, 2 weeks = 14, 17 y = 6209, 18 y = 6574)
const DOMAINS: readonly Domain[] = [
  ...(['male', 'female'] as const).flatMap(sex => [
    { reference: 'uk-who', method: 'weight', sex, fromDay: -119, toDay: 7305 } as const,
    { reference: 'uk-who', method: 'height', sex, fromDay: -105, toDay: 7305 } as const,
    { reference: 'uk-who', method: 'bmi', sex, fromDay: 14, toDay: 7305 } as const,
    { reference: 'uk-who', method: 'ofc', sex, fromDay: -119, toDay: sex === 'male' ? 6574 : 6209 } as const,
    { reference: 'trisomy-21', method: 'weight', sex, fromDay: 0, toDay: 7305 } as const,
    { reference: 'trisomy-21', method: 'height', sex, fromDay: 0, toDay: 7305 } as const,
    { reference: 'trisomy-21', method: 'bmi', sex, fromDay: 0, toDay: 6874 } as const,
    { reference: 'trisomy-21', method: 'ofc', sex, fromDay: 0, toDay: 6574 } as const,
  ]),
  { reference: 'turners-syndrome', method: 'height', sex: 'female', fromDay: 366, toDay: 7305 },
]

const codes = (d: Domain) => [REFERENCE_CODE[d.reference], METHOD_CODE[d.method], SEX_CODE[d.sex]] as const

/** a domain, an age in it (whole days, or any decimal age) and an SDS */
const sample = fc
  .tuple(
    fc.constantFrom(...DOMAINS),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.boolean(),
    fc.double({ min: -5, max: 5, noNaN: true }),
  )
  .map(([domain, position, wholeDays, z]) => {
    const days = domain.fromDay + position * (domain.toDay - domain.fromDay)
    const age = (wholeDays ? Math.round(days) : days) / 365.25
    return { domain, age, z }
  })

describe('property tests', () => {
  it('value -> SDS -> value and SDS -> value -> SDS round-trip at any age', () => {
    fc.assert(
      fc.property(sample, ({ domain, age, z }) => {
        const [reference, method, sex] = codes(domain)
        const value = measurementForSds(reference, method, sex, age, z)
        fc.pre(Number.isFinite(value) && value > 0)
        const back = sdsFor(reference, method, sex, age, value)
        expect(Math.abs(back - z)).toBeLessThan(1e-9)
        expect(Math.abs(measurementForSds(reference, method, sex, age, back) - value) / value).toBeLessThan(1e-12)
      }),
      { numRuns: 5000 },
    )
  })

  it('SDS increases with the measurement', () => {
    fc.assert(
      fc.property(sample, fc.double({ min: 0.001, max: 0.2, noNaN: true }), ({ domain, age, z }, step) => {
        const [reference, method, sex] = codes(domain)
        const value = measurementForSds(reference, method, sex, age, z)
        fc.pre(Number.isFinite(value) && value > 0)
        expect(sdsFor(reference, method, sex, age, value * (1 + step))).toBeGreaterThan(
          sdsFor(reference, method, sex, age, value),
        )
      }),
      { numRuns: 2000 },
    )
  })

  it('SDS -> centile -> SDS (upper tail limited by the precision of 1 − Φ near 1)', () => {
    fc.assert(
      fc.property(fc.double({ min: -7, max: 5, noNaN: true }), z => {
        expect(Math.abs(sdsForCentile(centileForSds(z)) - z)).toBeLessThan(1e-8)
      }),
    )
  })

  it('the API-shaped result and the fast path give identical numbers', () => {
    const fast = createFastMeasurement()
    fc.assert(
      fc.property(
        fc.constantFrom(...DOMAINS),
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 0, max: 7400 }),
        fc.integer({ min: 22, max: 44 }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: -4, max: 4, noNaN: true }),
        (domain, birthDay, ageDays, weeks, days, z) => {
          const [reference, method, sex] = codes(domain)
          const correctedAge = (ageDays - (280 - weeks * 7 - days)) / 365.25
          let value = measurementForSds(reference, method, sex, correctedAge, z)
          if (!Number.isFinite(value)) {
            value = domain.method === 'weight' ? 10 : domain.method === 'bmi' ? 17 : 80
          }
          const response = calculateMeasurement(
            {
              birth_date: formatIsoDate(birthDay),
              observation_date: formatIsoDate(birthDay + ageDays),
              observation_value: value,
              sex: domain.sex,
              measurement_method: domain.method,
              gestation_weeks: weeks,
              gestation_days: days,
              bone_age: null,
              bone_age_type: null,
              bone_age_sds: null,
              bone_age_centile: null,
              bone_age_text: null,
              events_text: null,
            },
            domain.reference,
          )
          calculateFast(reference, method, sex, birthDay, birthDay + ageDays, weeks, days, value, fast)
          const v = response.measurement_calculated_values
          expect(response.measurement_dates.chronological_decimal_age).toBe(fast.chronologicalAge)
          expect(response.measurement_dates.corrected_decimal_age).toBe(fast.correctedAge)
          expect(v.corrected_sds ?? Number.NaN).toBe(fast.correctedSds)
          expect(v.chronological_sds ?? Number.NaN).toBe(fast.chronologicalSds)
          expect(v.corrected_centile_band).toBe(fast.correctedBand)
          expect(v.chronological_centile_band).toBe(fast.chronologicalBand)
          if (v.corrected_centile !== null) {
            expect(v.corrected_centile).toBe(Number(fast.correctedCentile.toFixed(4)))
          }
        },
      ),
      { numRuns: 2000 },
    )
  })
})
