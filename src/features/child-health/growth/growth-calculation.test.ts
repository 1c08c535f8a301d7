import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { calculateMeasurement, handleCalculationRequest, measurementRequestSchema } from './growth-calculation.js'
import type { MeasurementRequestInput, MeasurementResponse } from './growth-calculation.js'
import type { GrowthReference } from './growth-types.js'
import { calculateFast, createFastMeasurement } from './growth-fast.js'
import { parseIsoDate } from './dates.js'
import { METHOD_CODE, REFERENCE_CODE, SEX_CODE } from './growth-types.js'

const request = (input: MeasurementRequestInput) => measurementRequestSchema.parse(input)
const calculate = (input: MeasurementRequestInput, reference: GrowthReference = 'uk-who'): MeasurementResponse =>
  calculateMeasurement(request(input), reference)
const outcome = (body: unknown, reference: GrowthReference = 'uk-who') => handleCalculationRequest(body, reference)

/** 'YYYY-MM-DD' that many days after 2015-06-15 */
const BIRTH = '2015-06-15'
const dayAfterBirth = (days: number): string => {
  const date = new Date(Date.UTC(2015, 5, 15 + days))
  return date.toISOString().slice(0, 10)
}

// Raw LMS rows, read independently of the engine, to check table selection at the boundaries.
type RawTable = { ages: number[]; l: number[]; m: number[]; s: number[] }
const raw = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../../reference-data/growth/${file}`, import.meta.url), 'utf8')) as {
    tables: Record<string, Record<string, RawTable | null>>
  }
const rawDaily = JSON.parse(
  readFileSync(new URL('../../../../reference-data/growth/who-2006-daily.json', import.meta.url), 'utf8'),
) as { tables: Record<string, Record<string, { l: number[]; m: number[]; s: number[] }>> }
const lmsZ = (l: number, m: number, s: number, x: number) =>
  l !== 0 ? ((x / m) ** l - 1) / (l * s) : Math.log(x / m) / s
const dailyZ = (method: string, sex: string, day: number, x: number) => {
  const t = rawDaily.tables[method]?.[sex]
  return lmsZ(t?.l[day] ?? NaN, t?.m[day] ?? NaN, t?.s[day] ?? NaN, x)
}
const rowZ = (file: string, method: string, sex: string, row: number, x: number) => {
  const t = raw(file).tables[method]?.[sex]
  return lmsZ(t?.l[row] ?? NaN, t?.m[row] ?? NaN, t?.s[row] ?? NaN, x)
}

describe('RCPCH API responses (digital-growth-charts-server 5.1.0 regression goldens, rcpchgrowth 4.6.4)', () => {
  // birth 2015-06-15; observation = birth + int(age × 365.25) days; expected values copied from the goldens
  const cases = [
    {
      name: 'uk-who female height, 730 days (last length day)',
      reference: 'uk-who',
      input: { observation_date: '2017-06-14', observation_value: 100, sex: 'female', measurement_method: 'height' },
      corrected: [4.2163592491664, 99.9988],
      chronological: [4.2163592491664, 99.9988],
      band: 'This height measurement is well outside the normal range. Please check its accuracy.',
      calendar: '1 year, 11 months, 4 weeks and 2 days',
    },
    {
      name: 'uk-who female BMI at 10 years',
      reference: 'uk-who',
      input: { observation_date: '2025-06-14', observation_value: 18, sex: 'female', measurement_method: 'bmi' },
      corrected: [0.48314762737354544, 68.5505],
      chronological: [0.48314762737354544, 68.5505],
      band: 'This body mass index measurement is between the 50th and 75th centiles.',
      percentageMedianBmi: [106.52615917923967, 106.52615917923967],
      calendar: '9 years, 11 months, 4 weeks and 2 days',
    },
    {
      name: 'uk-who male height, 32 weeks, corrected age just under 2 years',
      reference: 'uk-who',
      input: {
        observation_date: '2017-08-09',
        observation_value: 100,
        sex: 'male',
        measurement_method: 'height',
        gestation_weeks: 32,
      },
      corrected: [3.9933548338955247, 99.9967],
      chronological: [3.582505563123143, 99.983],
      band: 'This height measurement is above the normal range.',
      calendar: '2 years, 1 month, 3 weeks and 4 days',
      correctedCalendar: '1 year, 11 months, 4 weeks and 2 days',
      edd: ['2015-08-10', 'Mon 10 August, 2015'],
      layCorrected:
        'Because your child was born at 32+0 weeks gestation an adjustment has been made to take this into account.',
    },
    {
      name: 'uk-who female BMI 100 at 5 years (extreme but below +15 SD)',
      reference: 'uk-who',
      input: { observation_date: '2020-06-14', observation_value: 100, sex: 'female', measurement_method: 'bmi' },
      corrected: [7.886934552321614, 100],
      chronological: [7.886934552321614, 100],
      band: 'This body mass index measurement is well outside the normal range. Please check its accuracy.',
      percentageMedianBmi: [645.8668068837327, 645.8668068837327],
    },
    {
      name: 'uk-who male weight at exactly 4 years (first UK90 row)',
      reference: 'uk-who',
      input: { observation_date: '2019-06-15', observation_value: 20, sex: 'male', measurement_method: 'weight' },
      corrected: [1.561122932646595, 94.0753],
      chronological: [1.561122932646595, 94.0753],
      band: 'This weight measurement is between the 91st and 98th centiles.',
      calendar: '4 years',
    },
    {
      name: 'turner female height at 10 years',
      reference: 'turners-syndrome',
      input: { observation_date: '2025-06-14', observation_value: 100, sex: 'female', measurement_method: 'height' },
      corrected: [-3.4636151274697378, 0.0266],
      chronological: [-3.4636151274697378, 0.0266],
      band: 'This height measurement is below the normal range.',
    },
    {
      name: 'trisomy-21 female height at 10 years',
      reference: 'trisomy-21',
      input: { observation_date: '2025-06-14', observation_value: 100, sex: 'female', measurement_method: 'height' },
      corrected: [-4.394286634773094, 0.0006],
      chronological: [-4.394286634773094, 0.0006],
      band: 'This height measurement is well outside the normal range. Please check its accuracy.',
    },
    {
      name: 'trisomy-21 female weight at 4 years',
      reference: 'trisomy-21',
      input: { observation_date: '2019-06-15', observation_value: 20, sex: 'female', measurement_method: 'weight' },
      corrected: [2.032184059512314, 97.8932],
      chronological: [2.032184059512314, 97.8932],
      band: 'This weight measurement is on or near the 98th centile.',
    },
  ] as const

  for (const c of cases) {
    it(c.name, () => {
      const result = outcome({ birth_date: BIRTH, ...c.input }, c.reference)
      expect(result.status).toBe(200)
      if (result.status !== 200) {
        return
      }
      const r = result.body
      const v = r.measurement_calculated_values
      expect(v.corrected_sds).toBe(c.corrected[0])
      expect(v.corrected_centile).toBe(c.corrected[1])
      expect(v.chronological_sds).toBe(c.chronological[0])
      expect(v.chronological_centile).toBe(c.chronological[1])
      expect(v.corrected_centile_band).toBe(c.band)
      expect(r.provenance.growth_reference).toBe(c.reference)
      if ('percentageMedianBmi' in c) {
        expect(v.corrected_percentage_median_bmi).toBe(c.percentageMedianBmi[0])
        expect(v.chronological_percentage_median_bmi).toBe(c.percentageMedianBmi[1])
      }
      if ('calendar' in c) {
        expect(r.measurement_dates.chronological_calendar_age).toBe(c.calendar)
      }
      if ('correctedCalendar' in c) {
        expect(r.measurement_dates.corrected_calendar_age).toBe(c.correctedCalendar)
      }
      if ('edd' in c) {
        expect(r.birth_data.estimated_date_delivery).toBe(c.edd[0])
        expect(r.birth_data.estimated_date_delivery_string).toBe(c.edd[1])
      }
      if ('layCorrected' in c) {
        expect(r.measurement_dates.comments.lay_corrected_decimal_age_comment).toBe(c.layCorrected)
      }
    })
  }

  it('post-term 42+0 BMI at birth: corrected age 2 weeks has data, chronological age 0 does not', () => {
    const r = calculate({
      birth_date: BIRTH,
      observation_date: BIRTH,
      observation_value: 18,
      sex: 'female',
      measurement_method: 'bmi',
      gestation_weeks: 42,
    })
    expect(r.birth_data.estimated_date_delivery_string).toBe('Mon 01 June, 2015')
    expect(r.measurement_dates.corrected_decimal_age).toBe(0.038329911019849415)
    expect(r.measurement_dates.chronological_calendar_age).toBe('Birth date')
    expect(r.measurement_dates.corrected_calendar_age).toBe('2 weeks')
    expect(r.measurement_calculated_values).toEqual({
      corrected_sds: 3.2241578394699935,
      corrected_centile: 99.9368,
      corrected_centile_band: 'This body mass index measurement is above the normal range.',
      chronological_sds: null,
      chronological_centile: null,
      chronological_centile_band: null,
      corrected_measurement_error: null,
      chronological_measurement_error: 'UK-WHO BMI data does not exist below 2 weeks of age.',
      corrected_percentage_median_bmi: 133.8280012788009,
      chronological_percentage_median_bmi: null,
    })
    const point = r.plottable_data.sds_data.chronological_decimal_age_data
    expect(point.y).toBeNull()
    expect(point.observation_value_error).toBe('UK-WHO BMI data does not exist below 2 weeks of age.')
  })

  it('rcpchgrowth 4.6 contract vectors (test_measurement_contract.py)', () => {
    const term = calculate({
      birth_date: '2020-01-01',
      observation_date: '2021-01-01',
      observation_value: 75,
      sex: 'female',
      measurement_method: 'height',
    })
    expect(term.measurement_dates.chronological_decimal_age).toBeCloseTo(1.0020533881, 10)
    expect(term.measurement_calculated_values.corrected_sds).toBeCloseTo(0.3706868165, 10)
    expect(term.birth_data.estimated_date_delivery_string).toBe('Wed 01 January, 2020')
    expect(term.measurement_dates.chronological_calendar_age).toBe('1 year')

    const preterm = calculate({
      birth_date: '2020-01-01',
      observation_date: '2020-07-01',
      measurement_method: 'weight',
      observation_value: 6.5,
      sex: 'male',
      gestation_weeks: 32,
    })
    const dates = preterm.measurement_dates
    expect(dates.chronological_decimal_age).toBeCloseTo(0.4982888433, 10)
    expect(dates.corrected_decimal_age).toBeCloseTo(0.3449691992, 10)
    expect(dates.corrected_calendar_age).toBe('4 months and 5 days')
    const v = preterm.measurement_calculated_values
    expect(v.chronological_sds).toBeCloseTo(-1.7874654372, 10)
    expect(v.corrected_sds).toBeCloseTo(-0.7524570442, 10)
    // the engine's centiles are unrounded (the API rounds them to 4 d.p.)
    const fast = createFastMeasurement()
    calculateFast(
      0,
      METHOD_CODE.weight,
      SEX_CODE.male,
      parseIsoDate('2020-01-01') ?? 0,
      parseIsoDate('2020-07-01') ?? 0,
      32,
      0,
      6.5,
      fast,
    )
    expect(fast.chronologicalCentile).toBeCloseTo(3.6931146757, 9)
    expect(fast.correctedCentile).toBeCloseTo(22.5888126476, 9)
    expect(v.chronological_centile).toBe(3.6931)
    expect(v.corrected_centile).toBe(22.5888)
  })
})

describe('response shape (Measurement.measurement as the API returns it)', () => {
  const r = calculate({
    birth_date: '2020-01-01',
    observation_date: '2021-01-01',
    measurement_method: 'height',
    observation_value: 75,
    sex: 'female',
    bone_age: 1.2,
    bone_age_type: 'greulich-pyle',
    bone_age_sds: 0.3,
    bone_age_centile: 61.8,
    bone_age_text: 'Concordant bone age',
    events_text: ['Growth review'],
  })
  const pointKeys = [
    'x',
    'y',
    'b',
    'centile',
    'sds',
    'events_text',
    'bone_age_label',
    'bone_age_type',
    'bone_age_sds',
    'bone_age_centile',
    'observation_error',
    'age_type',
    'calendar_age',
    'lay_comment',
    'clinician_comment',
    'age_error',
    'centile_band',
    'observation_value_error',
  ]

  it('has the RCPCH keys at every level', () => {
    expect(Object.keys(r)).toEqual([
      'birth_data',
      'measurement_dates',
      'child_observation_value',
      'measurement_calculated_values',
      'plottable_data',
      'bone_age',
      'events_data',
      'provenance',
    ])
    expect(Object.keys(r.birth_data).sort()).toEqual([
      'birth_date',
      'estimated_date_delivery',
      'estimated_date_delivery_string',
      'gestation_days',
      'gestation_weeks',
      'sex',
    ])
    expect(Object.keys(r.measurement_dates).sort()).toEqual([
      'chronological_calendar_age',
      'chronological_decimal_age',
      'chronological_decimal_age_error',
      'comments',
      'corrected_calendar_age',
      'corrected_decimal_age',
      'corrected_decimal_age_error',
      'corrected_gestational_age',
      'observation_date',
    ])
    for (const data of [r.plottable_data.centile_data, r.plottable_data.sds_data]) {
      expect(Object.keys(data.chronological_decimal_age_data).sort()).toEqual([...pointKeys].sort())
      expect(Object.keys(data.corrected_decimal_age_data).sort()).toEqual(
        [...pointKeys, 'corrected_gestational_age'].sort(),
      )
    }
    expect(Object.keys(r.provenance.calculation_engine).sort()).toEqual(['commit', 'name', 'version'])
  })

  it('passes bone age and events through to the plottable points', () => {
    expect(r.bone_age).toEqual({
      bone_age: 1.2,
      bone_age_type: 'greulich-pyle',
      bone_age_sds: 0.3,
      bone_age_centile: 61.8,
      bone_age_text: 'Concordant bone age',
    })
    expect(r.events_data).toEqual({ events_text: ['Growth review'] })
    const point = r.plottable_data.centile_data.corrected_decimal_age_data
    expect(point).toMatchObject({
      y: 75,
      b: 1.2,
      bone_age_label: 'Concordant bone age',
      events_text: ['Growth review'],
    })
    expect(r.plottable_data.sds_data.corrected_decimal_age_data.y).toBe(r.measurement_calculated_values.corrected_sds)
    expect(r.plottable_data.sds_data.corrected_decimal_age_data.sds).toBeNull()
  })

  it('gives the same SDS as the fast path, and the fast centile rounded to 4 d.p.', () => {
    const fast = createFastMeasurement()
    calculateFast(
      REFERENCE_CODE['uk-who'],
      0,
      1,
      parseIsoDate('2020-01-01') ?? 0,
      parseIsoDate('2021-01-01') ?? 0,
      40,
      0,
      75,
      fast,
    )
    expect(r.measurement_calculated_values.corrected_sds).toBe(fast.correctedSds)
    expect(r.measurement_calculated_values.chronological_sds).toBe(fast.chronologicalSds)
    expect(r.measurement_calculated_values.corrected_centile).toBe(Number(fast.correctedCentile.toFixed(4)))
    expect(r.measurement_calculated_values.corrected_centile_band).toBe(fast.correctedBand)
  })
})

describe('preterm babies 23-42 weeks, measured at birth', () => {
  const preterm = raw('uk90-preterm.json').tables
  for (let weeks = 23; weeks <= 42; weeks++) {
    it(`${weeks}+0 weeks`, () => {
      const weightRow = weeks - 23
      const weightM = preterm['weight']?.['male']?.m[weightRow] ?? NaN
      const r = calculate({
        birth_date: BIRTH,
        observation_date: BIRTH,
        observation_value: weightM,
        sex: 'male',
        measurement_method: 'weight',
        gestation_weeks: weeks,
      })
      // corrected age is the gestation as decimal age, an exact UK90 preterm row: weight at its median is SDS 0;
      // 42 weeks is exactly 2 weeks after term, which belongs to WHO (ties go to the older table)
      expect(r.measurement_dates.corrected_decimal_age).toBe((weeks * 7 - 280) / 365.25)
      expect(r.measurement_calculated_values.corrected_sds).toBe(
        weeks === 42 ? dailyZ('weight', 'male', 14, weightM) : 0,
      )
      // chronological age 0 is the 40-week row
      expect(r.measurement_calculated_values.chronological_sds).toBe(
        rowZ('uk90-preterm.json', 'weight', 'male', 17, weightM),
      )
      const gestationalAge = r.measurement_dates.corrected_gestational_age
      expect(gestationalAge).toEqual(
        weeks === 42
          ? { corrected_gestation_weeks: null, corrected_gestation_days: null }
          : { corrected_gestation_weeks: weeks, corrected_gestation_days: 0 },
      )
      if (weeks < 40) {
        expect(r.plottable_data.centile_data.corrected_decimal_age_data.corrected_gestational_age).toBe(
          `${weeks} + 0 weeks`,
        )
        // before the due date there is no corrected calendar age
        expect(r.measurement_dates.corrected_calendar_age).toBeNull()
        expect(r.measurement_dates.chronological_decimal_age_error).toBe(
          'The due date is after the observation date - a calendar age cannot be calculated.',
        )
      }
      if (weeks !== 40) {
        expect(r.measurement_dates.comments.clinician_corrected_decimal_age_comment).toBe(
          'Correction for gestational age has been made.',
        )
      }

      const length = calculate({
        birth_date: BIRTH,
        observation_date: BIRTH,
        observation_value: 40,
        sex: 'male',
        measurement_method: 'height',
        gestation_weeks: weeks,
      }).measurement_calculated_values
      if (weeks < 25) {
        expect(length.corrected_sds).toBeNull()
        expect(length.corrected_measurement_error).toBe(
          'UK-WHO length data does not exist in infants below 25 weeks gestation.',
        )
      } else if (weeks === 42) {
        expect(length.corrected_sds).toBe(dailyZ('height', 'male', 14, 40))
      } else {
        expect(length.corrected_sds).toBe(rowZ('uk90-preterm.json', 'height', 'male', weeks - 25, 40))
      }
    })
  }

  it('22 weeks is below the charts', () => {
    const r = calculate({
      birth_date: BIRTH,
      observation_date: BIRTH,
      observation_value: 0.5,
      sex: 'female',
      measurement_method: 'weight',
      gestation_weeks: 22,
      gestation_days: 6,
    })
    expect(r.measurement_calculated_values.corrected_measurement_error).toBe(
      'There is no UK90 reference data below 23 weeks gestation',
    )
    expect(r.measurement_dates.comments.lay_corrected_decimal_age_comment).toBe(
      'Your child has been born below the threshold of the charts.',
    )
    const rejected = outcome({
      ...request({
        birth_date: BIRTH,
        observation_date: BIRTH,
        observation_value: 0.5,
        sex: 'female',
        measurement_method: 'weight',
        gestation_weeks: 22,
      }),
    })
    expect(rejected).toEqual({
      status: 422,
      body: {
        detail: [
          {
            type: 'value_error',
            loc: ['body'],
            msg: 'There is no UK90 reference data below 23 weeks gestation',
            input: 'observation_value',
          },
        ],
      },
    })
  })

  it('interpolates between weekly rows (cubic inside the table, linear in the last two intervals)', () => {
    // 30+3: corrected age 30 weeks 3 days -> between rows; the SDS lies between those at 30+0 and 31+0
    const at = (weeks: number, days: number) =>
      calculate({
        birth_date: BIRTH,
        observation_date: BIRTH,
        observation_value: 1.5,
        sex: 'female',
        measurement_method: 'weight',
        gestation_weeks: weeks,
        gestation_days: days,
      }).measurement_calculated_values.corrected_sds ?? NaN
    const [z30, z303, z31] = [at(30, 0), at(30, 3), at(31, 0)]
    expect(z303).toBeLessThan(z30)
    expect(z303).toBeGreaterThan(z31)
    // a baby born at 41+3: linear between the 41- and 42-week rows
    const t = raw('uk90-preterm.json').tables['weight']?.['female']
    const lin = (p: 'l' | 'm' | 's') => (((t?.[p][19] ?? 0) - (t?.[p][18] ?? 0)) / 7) * 3 + (t?.[p][18] ?? 0)
    expect(at(41, 3)).toBeCloseTo(lmsZ(lin('l'), lin('m'), lin('s'), 1.5), 12)
  })
})

describe('reference boundaries: 2 weeks, 2 years, 4 years', () => {
  const sdsOnDay = (
    days: number,
    value: number,
    method: 'height' | 'weight' | 'bmi' | 'ofc' = 'weight',
    sex = 'male' as const,
  ) =>
    calculate({
      birth_date: BIRTH,
      observation_date: dayAfterBirth(days),
      observation_value: value,
      sex,
      measurement_method: method,
    }).measurement_calculated_values.corrected_sds

  it('2 weeks: day 13 is UK90 preterm (linear 41-42 weeks), day 14 and 15 are WHO daily rows', () => {
    const t = raw('uk90-preterm.json').tables['weight']?.['male']
    const lin = (p: 'l' | 'm' | 's') => (((t?.[p][19] ?? 0) - (t?.[p][18] ?? 0)) / 7) * 6 + (t?.[p][18] ?? 0)
    expect(sdsOnDay(13, 3.8)).toBeCloseTo(lmsZ(lin('l'), lin('m'), lin('s'), 3.8), 12)
    expect(sdsOnDay(14, 3.8)).toBe(dailyZ('weight', 'male', 14, 3.8))
    expect(sdsOnDay(15, 3.8)).toBe(dailyZ('weight', 'male', 15, 3.8))
    // BMI starts at exactly 2 weeks
    expect(sdsOnDay(13, 13, 'bmi')).toBeNull()
    expect(sdsOnDay(14, 13, 'bmi')).toBe(dailyZ('bmi', 'male', 14, 13))
  })

  it('2 years: length to day 730, height from day 731 (a measurement at 2.0 years is a height)', () => {
    expect(sdsOnDay(729, 87, 'height')).toBe(dailyZ('height', 'male', 729, 87))
    expect(sdsOnDay(730, 87, 'height')).toBe(dailyZ('height', 'male', 730, 87))
    expect(sdsOnDay(731, 87, 'height')).toBe(dailyZ('height', 'male', 731, 87))
    // standing height is ~0.7 cm less than supine length: the same 87 cm is a higher SDS as a height
    expect((sdsOnDay(731, 87, 'height') ?? 0) - (sdsOnDay(730, 87, 'height') ?? 0)).toBeGreaterThan(0.15)
    const lengthRow = rawDaily.tables['height']?.['male']
    expect((lengthRow?.m[730] ?? 0) - (lengthRow?.m[731] ?? 0)).toBeCloseTo(0.6715, 4)
  })

  it('4 years: day 1460 is WHO, day 1461 (exactly 4.0) is the first UK90 row, day 1462 is UK90 interpolated', () => {
    expect(sdsOnDay(1460, 17)).toBe(dailyZ('weight', 'male', 1460, 17))
    expect(sdsOnDay(1461, 17)).toBe(rowZ('uk90-child.json', 'weight', 'male', 0, 17))
    const z1462 = sdsOnDay(1462, 17) ?? NaN
    // first interval of the table: linear between 4.0 and 4 1/12 years
    const t = raw('uk90-child.json').tables['weight']?.['male']
    const f = (1462 / 365.25 - 4) / (1 / 12)
    const lin = (p: 'l' | 'm' | 's') => (t?.[p][0] ?? 0) + ((t?.[p][1] ?? 0) - (t?.[p][0] ?? 0)) * f
    expect(z1462).toBeCloseTo(lmsZ(lin('l'), lin('m'), lin('s'), 17), 10)
  })

  it('corrected age decides the table: a 32-weeker at chronological 2 years is still measured as a length', () => {
    const r = calculate({
      birth_date: BIRTH,
      observation_date: dayAfterBirth(731),
      observation_value: 85,
      sex: 'female',
      measurement_method: 'height',
      gestation_weeks: 32,
    })
    expect(r.measurement_calculated_values.chronological_sds).toBe(dailyZ('height', 'female', 731, 85))
    expect(r.measurement_calculated_values.corrected_sds).toBe(dailyZ('height', 'female', 731 - 56, 85))
  })

  it('OFC ends at 18 years for boys, 17 for girls; everything ends at 20', () => {
    const ofc = (sex: 'male' | 'female', days: number) =>
      calculate({
        birth_date: BIRTH,
        observation_date: dayAfterBirth(days),
        observation_value: 55,
        sex,
        measurement_method: 'ofc',
      }).measurement_calculated_values
    expect(ofc('female', 6209).corrected_sds).not.toBeNull() // 16.999 y
    expect(ofc('female', 6210).corrected_measurement_error).toBe(
      'UK-WHO head circumference data does not exist in girls over 17 y of age.',
    )
    expect(ofc('male', 6574).corrected_sds).not.toBeNull() // 17.999 y
    expect(ofc('male', 6575).corrected_measurement_error).toBe(
      'UK-WHO head circumference data does not exist in boys over 18 y of age.',
    )
    const adult = calculate({
      birth_date: BIRTH,
      observation_date: dayAfterBirth(7306),
      observation_value: 170,
      sex: 'male',
      measurement_method: 'height',
    })
    expect(adult.measurement_calculated_values.corrected_measurement_error).toBe(
      'There is no UK90 reference data above the age of 20 years.',
    )
    expect(adult.child_observation_value.observation_value_error).toBe(
      'There is no UK90 reference data above the age of 20 years.',
    )
  })
})

describe('extreme values', () => {
  const base = { birth_date: BIRTH, observation_date: '2020-06-14', sex: 'female' } as const

  it('the API rejects more than ±8 SD (height, weight, OFC) with 422, as the RCPCH server words it', () => {
    expect(outcome({ ...base, measurement_method: 'height', observation_value: 300 })).toEqual({
      status: 422,
      body: {
        detail: [
          {
            type: 'value_error',
            loc: ['body'],
            msg: 'A height of 300.0 cm in a girl of 4 years, 11 months, 4 weeks and 2 days is more than +8 SD. Please recheck the measurement and date of birth.',
            input: 'observation_value',
          },
        ],
      },
    })
    const small = outcome({ ...base, measurement_method: 'ofc', observation_value: 5 })
    expect(small.status === 422 && small.body.detail[0]?.msg).toBe(
      'A Head circumference of 5.0 cm in a girl of 4 years, 11 months, 4 weeks and 2 days is less than -8 SD. Please recheck the measurement and date of birth.',
    )
    const term14 = outcome({
      birth_date: BIRTH,
      observation_date: '2015-06-29',
      sex: 'female',
      measurement_method: 'weight',
      observation_value: 20,
    })
    expect(term14.status === 422 && term14.body.detail[0]?.msg).toBe(
      'A weight of 20.0 kg in a girl of 2 weeks is more than +8 SD. Please recheck the measurement and date of birth.',
    )
    // judged on the corrected age: a 25-weeker of 50 cm OFC at birth
    const ofc = outcome({
      birth_date: BIRTH,
      observation_date: BIRTH,
      sex: 'male',
      measurement_method: 'ofc',
      observation_value: 50,
      gestation_weeks: 25,
    })
    expect(ofc.status === 422 && ofc.body.detail[0]?.msg).toBe(
      'A Head circumference of 50.0 cm in a boy of Birth date is more than +8 SD. Please recheck the measurement and date of birth.',
    )
  })

  it('BMI is rejected only beyond ±15 SD', () => {
    expect(outcome({ ...base, measurement_method: 'bmi', observation_value: 100 }).status).toBe(200)
    const low = outcome({ ...base, measurement_method: 'bmi', observation_value: 3 })
    expect(low.status === 422 && low.body.detail[0]?.msg).toBe('Body mass index cannot be less than -15 SD.')
  })

  it('the engine still calculates, flags the value and gives the advisory band beyond ±4 SD', () => {
    const r = calculate({ ...base, measurement_method: 'height', observation_value: 301 })
    expect(r.measurement_calculated_values.corrected_sds).toBeGreaterThan(8)
    expect(r.child_observation_value.observation_value_error).toBe(
      'The height/length you have entered is very high and likely to be an error. Are you sure you meant a height of 301.0 centimetres?',
    )
    const tall = calculate({ ...base, measurement_method: 'height', observation_value: 160 })
    expect(tall.child_observation_value.observation_value_error).toBe(
      'The height/length of 160.0 cm in a child of 5.0 years is above +8 SD and considered to be an error.',
    )
    expect(tall.measurement_calculated_values.corrected_centile_band).toBe(
      'This height measurement is well outside the normal range. Please check its accuracy.',
    )
    const metres = calculate({ ...base, measurement_method: 'height', observation_value: 1.1 })
    expect(metres.child_observation_value.observation_value_error).toBe(
      'Height/length must be passed in cm, not metres',
    )
    const grams = calculate({ ...base, measurement_method: 'weight', observation_value: 1000 })
    expect(grams.child_observation_value.observation_value_error).toBe(
      '1000.0 kilograms is very high. Weight must be passed in kilograms.',
    )
    const thin = calculate({ ...base, measurement_method: 'bmi', observation_value: 3 })
    expect(thin.child_observation_value.observation_value_error).toBe(
      'The Body Mass Index measurement of 3.0 kg/m² is below -15 SD and considered to be an error.',
    )
  })
})

describe('syndrome references', () => {
  const at = (reference: GrowthReference, input: Partial<MeasurementRequestInput>) =>
    calculate(
      {
        birth_date: BIRTH,
        observation_date: '2025-06-14',
        observation_value: 120,
        sex: 'female',
        measurement_method: 'height',
        ...input,
      },
      reference,
    ).measurement_calculated_values

  it('Turner: girls height only, 1-20 years', () => {
    expect(at('turners-syndrome', { sex: 'male' }).corrected_measurement_error).toBe(
      "Turner's syndrome only affects girls and women.",
    )
    expect(
      at('turners-syndrome', { measurement_method: 'weight', observation_value: 30 }).corrected_measurement_error,
    ).toBe('There is no reference data for weight.')
    expect(
      at('turners-syndrome', { measurement_method: 'bmi', observation_value: 17 }).corrected_measurement_error,
    ).toBe('There is no reference data for BMI (body mass index).')
    expect(
      at('turners-syndrome', { measurement_method: 'ofc', observation_value: 50 }).corrected_measurement_error,
    ).toBe('There is no reference data for head circumference.')
    expect(
      at('turners-syndrome', { observation_date: '2016-06-14', observation_value: 65 }).corrected_measurement_error,
    ).toBe('There is no reference data below 1 year.')
    // exactly 1 year (day 365.25 is not a date; 2016-06-15 is 1.0020 y) and exactly a table row at 4 years
    expect(at('turners-syndrome', { observation_date: '2019-06-15', observation_value: 91.72 }).corrected_sds).toBe(0)
  })

  it('Trisomy 21: from term to 20 years; BMI to 18.82, OFC to 18', () => {
    expect(
      at('trisomy-21', { gestation_weeks: 36, observation_date: BIRTH, observation_value: 45 })
        .corrected_measurement_error,
    ).toBe('No reference data exists below 40 weeks gestation')
    expect(at('trisomy-21', { observation_date: BIRTH, observation_value: 49.45262 }).corrected_sds).toBe(0)
    expect(
      at('trisomy-21', { observation_date: '2034-04-13', measurement_method: 'bmi', observation_value: 22 })
        .corrected_measurement_error,
    ).toBe('Trisomy BMI reference data does not exist > 18.82 y.')
    expect(
      at('trisomy-21', { observation_date: '2033-06-16', measurement_method: 'ofc', observation_value: 52 })
        .corrected_measurement_error,
    ).toBe('Trisomy head circumference reference data does not exist > 18 y')
    expect(at('trisomy-21', { observation_date: '2035-06-16' }).corrected_measurement_error).toBe(
      'Trisomy 21 reference data does not exist over the age of 20y.',
    )
    const rejected = outcome(
      {
        birth_date: BIRTH,
        observation_date: '2035-06-15',
        observation_value: 50,
        sex: 'female',
        measurement_method: 'ofc',
      },
      'trisomy-21',
    )
    expect(rejected.status === 422 && rejected.body.detail[0]?.msg).toBe(
      'Trisomy head circumference reference data does not exist > 18 y',
    )
  })
})

describe('bad input gives field-level 422 errors like the RCPCH API', () => {
  const valid = {
    birth_date: '2020-01-01',
    observation_date: '2021-01-01',
    observation_value: 75,
    sex: 'female',
    measurement_method: 'height',
  } as const
  const detail = (body: unknown) => {
    const result = outcome(body)
    expect(result.status).toBe(422)
    return result.status === 422 ? result.body.detail : []
  }

  it('observation before birth', () => {
    expect(detail({ ...valid, birth_date: '2021-01-02' })).toEqual([
      {
        type: 'value_error',
        loc: ['body', 'birth_date'],
        msg: 'Value error, Birth date cannot be after observation date.',
        input: '2021-01-02',
      },
    ])
  })

  it('gestation outside 22-44 weeks or 0-6 days, or not whole', () => {
    expect(detail({ ...valid, gestation_weeks: 21 })).toEqual([
      {
        type: 'greater_than_equal',
        loc: ['body', 'gestation_weeks'],
        msg: 'Input should be greater than or equal to 22',
        input: 21,
      },
    ])
    expect(detail({ ...valid, gestation_weeks: 45 })[0]).toMatchObject({
      type: 'less_than_equal',
      msg: 'Input should be less than or equal to 44',
    })
    expect(detail({ ...valid, gestation_days: 7 })[0]).toMatchObject({
      loc: ['body', 'gestation_days'],
      msg: 'Input should be less than or equal to 6',
    })
    expect(detail({ ...valid, gestation_weeks: 30.5 })[0]).toMatchObject({ type: 'int_from_float' })
    expect(detail({ ...valid, gestation_weeks: 'thirty' })[0]).toMatchObject({
      type: 'int_type',
      msg: 'Input should be a valid integer',
    })
  })

  it('negative, zero and non-numeric values', () => {
    expect(detail({ ...valid, observation_value: -3 })).toEqual([
      { type: 'greater_than', loc: ['body', 'observation_value'], msg: 'Input should be greater than 0', input: -3 },
    ])
    expect(detail({ ...valid, observation_value: 0 })[0]).toMatchObject({ type: 'greater_than' })
    expect(detail({ ...valid, observation_value: 'tall' })[0]).toMatchObject({
      type: 'float_type',
      msg: 'Input should be a valid number',
    })
  })

  it('unknown measurement method or sex, missing fields', () => {
    expect(detail({ ...valid, measurement_method: 'length' })).toEqual([
      {
        type: 'literal_error',
        loc: ['body', 'measurement_method'],
        msg: "Input should be 'height', 'weight', 'ofc' or 'bmi'",
        input: 'length',
      },
    ])
    expect(detail({ ...valid, sex: 'M' })[0]).toMatchObject({
      type: 'literal_error',
      msg: "Input should be 'male' or 'female'",
    })
    const { sex: _sex, observation_value: _value, ...partial } = valid
    expect(detail(partial)).toEqual([
      { type: 'missing', loc: ['body', 'observation_value'], msg: 'Field required' },
      { type: 'missing', loc: ['body', 'sex'], msg: 'Field required' },
    ])
    expect(detail('not json object')[0]).toMatchObject({
      loc: ['body'],
      msg: 'Input should be a valid dictionary or object to extract fields from',
    })
  })

  it('malformed dates', () => {
    expect(detail({ ...valid, birth_date: '2020-02-30' })).toEqual([
      {
        type: 'value_error',
        loc: ['body', 'birth_date'],
        msg: "Value error, time data '2020-02-30' does not match format '%Y-%m-%d'",
        input: '2020-02-30',
      },
    ])
    expect(detail({ ...valid, observation_date: '01/01/2021' })[0]).toMatchObject({
      type: 'date_from_datetime_parsing',
      loc: ['body', 'observation_date'],
    })
    expect(detail({ ...valid, observation_date: 20210101 })[0]).toMatchObject({ type: 'string_type' })
  })

  it('accepts datetimes by truncating at T, and defaults gestation to 40+0', () => {
    const result = outcome({ ...valid, observation_date: '2021-01-01T09:30:00Z' })
    expect(result.status).toBe(200)
    if (result.status === 200) {
      expect(result.body.measurement_dates.observation_date).toBe('2021-01-01')
      expect(result.body.birth_data.gestation_weeks).toBe(40)
      expect(result.body.birth_data.gestation_days).toBe(0)
    }
  })

  it('the engine itself reports dates errors when called without validation', () => {
    const r = calculateMeasurement({ ...request(valid), birth_date: '2021-06-01' })
    expect(r.measurement_dates.corrected_decimal_age).toBeNull()
    expect(r.measurement_dates.corrected_decimal_age_error).toBe('Birth date cannot be after the date of observation.')
    expect(r.measurement_calculated_values.corrected_measurement_error).toBe('Dates error. Calculations impossible.')
    expect(r.measurement_calculated_values.chronological_sds).toBeNull()
  })
})
