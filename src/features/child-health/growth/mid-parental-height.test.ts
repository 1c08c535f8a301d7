import { describe, expect, it } from 'vitest'
import {
  classicMidParentalHeight,
  midParentalHeight,
  midParentalHeightRequestSchema,
  midParentalHeightSds,
  parentalHeightSds,
} from './mid-parental-height.js'
import { measurementForSds } from './growth-core.js'

describe('mid-parental height', () => {
  it('matches rcpchgrowth 4.6 (tests/test_mid_parental_height.py)', () => {
    expect(classicMidParentalHeight(151, 167, 'male')).toBe(165.5)
    expect(classicMidParentalHeight(151, 167, 'female')).toBe(152.5)
    expect(midParentalHeightSds(151, 167)).toBeCloseTo(-0.8943229, 6)
  })

  it('matches the RCPCH API response (digital-growth-charts-server 5.1.0 goldens, father 178 cm, mother 165 cm)', () => {
    const boy = midParentalHeight(
      { height_paternal: 178, height_maternal: 165, sex: 'male' },
      { includeCentileData: false },
    )
    expect(boy).toEqual({
      mid_parental_height: 177.9,
      mid_parental_height_sds: 0.08,
      mid_parental_height_centile: 53.19,
      mid_parental_height_centile_data: null,
      mid_parental_height_lower_centile_data: null,
      mid_parental_height_upper_centile_data: null,
      mid_parental_height_lower_value: 168.1,
      mid_parental_height_upper_value: 187.7,
    })
    const girl = midParentalHeight({ height_paternal: 178, height_maternal: 165, sex: 'female' })
    expect(girl.mid_parental_height).toBe(164.1)
    expect(girl.mid_parental_height_sds).toBe(0.08)
    // target range is the mid-parental SDS ± 1.4 (Wright & Cheetham 1999), drawn as centile lines
    const upper = girl.mid_parental_height_upper_centile_data?.[3]?.['uk90_child']?.female?.height?.[0]
    expect(upper?.sds).toBe(1.48)
    expect(upper?.centile).toBeCloseTo(93.05633766666683, 12)
    expect(upper?.data?.at(-1)?.l).toBe(1.48)
    const line = girl.mid_parental_height_centile_data?.[0]?.['uk90_preterm']
    expect(line?.male).toBeNull()
  })

  it('parental heights are compared with UK-WHO at 20 years', () => {
    const median = measurementForSds(0, 0, 1, 20, 0)
    expect(parentalHeightSds(median, 'maternal')).toBe(0)
  })

  it('rejects parental heights beyond ±8 SD', () => {
    expect(() => midParentalHeightSds(60, 178)).toThrow(
      'The maternal height of 60.0 cm is below -8 SD and considered to be an error.',
    )
    expect(() => midParentalHeightSds(165, 260)).toThrow(
      'The paternal height of 260.0 cm is above +8 SD and considered to be an error.',
    )
  })

  it('validates the request like the API (50-245 cm)', () => {
    expect(
      midParentalHeightRequestSchema.safeParse({ height_paternal: 49, height_maternal: 160, sex: 'male' }).success,
    ).toBe(false)
    expect(
      midParentalHeightRequestSchema.safeParse({ height_paternal: 180, height_maternal: 160, sex: 'male' }).success,
    ).toBe(true)
  })
})
