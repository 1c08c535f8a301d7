/**
 * The growth API (/api/growth) as an RCPCH Digital Growth Charts API client sees it: response keys compared with
 * RCPCH's documented MeasurementObject field by field, every 200 and 422 body validated against our own OpenAPI
 * schemas, chart coordinates compared with the RCPCH API's published chart data, FastAPI-style 422s, 404/413/415
 * JSON errors and CORS. Runs through the full app (createApp) when it registers the plugin, otherwise through a bare
 * Fastify instance holding only the plugin; the plugin alone is also checked.
 */
import { readFileSync } from 'node:fs'
import * as ajv2020 from 'ajv/dist/2020.js'
import * as ajvFormats from 'ajv-formats'
import Fastify, { type FastifyInstance, type LightMyRequestResponse, type RouteOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { createTestApp, testConfig } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { growthApi, THREE_PERCENT_CENTILES } from './growth-api.js'
import { GROWTH_API_PATHS } from './growth-openapi.js'
import { handleCalculationRequest, measurementRequestSchema, midParentalHeight } from './growth/index.js'
import type { MeasurementMethod, Sex } from './growth/index.js'

const Ajv2020 = ajv2020.default.default
const addFormats = ajvFormats.default.default

const PREFIX = '/api/growth'

async function bareApp(): Promise<{ app: FastifyInstance; declared: RouteOptions[] }> {
  const app = Fastify({ logger: false })
  const declared: RouteOptions[] = []
  app.addHook('onRoute', route => {
    declared.push(route)
  })
  await app.register(growthApi({ config: testConfig }), { prefix: PREFIX })
  await app.ready()
  return { app, declared }
}

let database: DatabaseHandle | undefined
let full: App | undefined
let bare: Awaited<ReturnType<typeof bareApp>>
/** the full app when it registers the growth API, else the bare instance */
let target: FastifyInstance

const registeredInApp = await (async () => {
  database = await createTestDb()
  full = await createTestApp(database.db)
  return full.app.hasRoute({ method: 'POST', url: `${PREFIX}/:reference/calculation` })
})()

beforeAll(async () => {
  bare = await bareApp()
  target = registeredInApp && full ? full.app : bare.app
})
afterAll(async () => {
  await bare.app.close()
  await full?.app.close()
  await database?.close()
})

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return target.inject({
    method: 'POST',
    url: `${PREFIX}${path}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

// ---- the OpenAPI document, compiled once to validate responses ----

let openApi: Record<string, unknown>
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)

beforeAll(async () => {
  const response = await target.inject({ method: 'GET', url: `${PREFIX}/openapi.json` })
  openApi = JSON.parse(response.body) as Record<string, unknown>
  ajv.addSchema(openApi, 'growth-openapi')
})

function expectSchema(name: string, data: unknown): void {
  const validate = ajv.getSchema(`growth-openapi#/components/schemas/${name}`)
  expect(validate, `schema ${name}`).toBeDefined()
  const valid = validate?.(data)
  expect(validate?.errors ?? [], `${name}: ${JSON.stringify(validate?.errors?.slice(0, 3))}`).toEqual([])
  expect(valid).toBe(true)
}

async function expect200(path: string, body: unknown, schema: string): Promise<Record<string, unknown>> {
  const response = await post(path, body)
  expect(response.statusCode, response.body).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  const json = response.json<Record<string, unknown>>()
  expectSchema(schema, json)
  return json
}

interface Detail {
  type: string
  loc: (string | number)[]
  msg: string
  input?: unknown
}

async function expect422(path: string, body: unknown): Promise<Detail[]> {
  const response = await post(path, body)
  expect(response.statusCode, response.body).toBe(422)
  expect(response.headers['access-control-allow-origin']).toBe('*')
  const json = response.json<{ detail: Detail[] }>()
  expectSchema('HTTPValidationError', json)
  expect(json.detail.length).toBeGreaterThan(0)
  return json.detail
}

// ---- RCPCH's documented shapes (growth.md §3.3, server schemas/response_schema_classes.py) ----

const POINT_KEYS = [
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
const RCPCH_KEYS = {
  top: [
    'birth_data',
    'measurement_dates',
    'child_observation_value',
    'measurement_calculated_values',
    'plottable_data',
    'bone_age',
    'events_data',
    'provenance',
  ],
  birth_data: [
    'birth_date',
    'gestation_weeks',
    'gestation_days',
    'estimated_date_delivery',
    'estimated_date_delivery_string',
    'sex',
  ],
  measurement_dates: [
    'observation_date',
    'chronological_decimal_age',
    'corrected_decimal_age',
    'chronological_calendar_age',
    'corrected_calendar_age',
    'corrected_gestational_age',
    'comments',
    'corrected_decimal_age_error',
    'chronological_decimal_age_error',
  ],
  corrected_gestational_age: ['corrected_gestation_weeks', 'corrected_gestation_days'],
  comments: [
    'clinician_corrected_decimal_age_comment',
    'lay_corrected_decimal_age_comment',
    'clinician_chronological_decimal_age_comment',
    'lay_chronological_decimal_age_comment',
  ],
  child_observation_value: ['measurement_method', 'observation_value', 'observation_value_error'],
  measurement_calculated_values: [
    'corrected_sds',
    'corrected_centile',
    'corrected_centile_band',
    'chronological_sds',
    'chronological_centile',
    'chronological_centile_band',
    'corrected_measurement_error',
    'chronological_measurement_error',
    'corrected_percentage_median_bmi',
    'chronological_percentage_median_bmi',
  ],
  plottable_data: ['centile_data', 'sds_data'],
  plottable_pair: ['chronological_decimal_age_data', 'corrected_decimal_age_data'],
  chronological_point: POINT_KEYS,
  corrected_point: [...POINT_KEYS, 'corrected_gestational_age'],
  bone_age: ['bone_age', 'bone_age_type', 'bone_age_sds', 'bone_age_centile', 'bone_age_text'],
  events_data: ['events_text'],
  provenance: ['growth_reference', 'calculation_engine'],
  calculation_engine: ['name', 'version', 'commit'],
  mid_parental_height: [
    'mid_parental_height',
    'mid_parental_height_sds',
    'mid_parental_height_centile',
    'mid_parental_height_centile_data',
    'mid_parental_height_lower_centile_data',
    'mid_parental_height_upper_centile_data',
    'mid_parental_height_lower_value',
    'mid_parental_height_upper_value',
  ],
}

const sorted = (keys: readonly string[]) => [...keys].sort()
const keysOf = (value: unknown) => sorted(Object.keys(value as object))
type Json = Record<string, unknown>
const at = (value: unknown, ...path: string[]): Json =>
  path.reduce<Json>((node, key) => node[key] as Json, value as Json)

/** The RCPCH API's example body (server routers/ukwho.py), with bone age and events. */
const RCPCH_EXAMPLE = {
  birth_date: '2020-04-12',
  observation_date: '2028-06-12',
  observation_value: 115,
  sex: 'female',
  gestation_weeks: 40,
  gestation_days: 0,
  measurement_method: 'height',
  bone_age: 10,
  bone_age_centile: 98,
  bone_age_sds: 2.0,
  bone_age_text: 'This bone age is advanced',
  bone_age_type: 'greulich-pyle',
  events_text: ['Growth hormone start', 'Growth Hormone Deficiency diagnosis'],
}

/** 32+0 weeks, measured at 6 months: corrected and chronological ages differ by 8 weeks. */
const PRETERM = {
  birth_date: '2020-01-01',
  observation_date: '2020-07-01',
  measurement_method: 'weight',
  observation_value: 6.5,
  sex: 'male',
  gestation_weeks: 32,
  gestation_days: 0,
}

describe('POST /{reference}/calculation', () => {
  it('answers the RCPCH MeasurementObject: every documented key at every level, nothing else', async () => {
    const body = await expect200('/uk-who/calculation', RCPCH_EXAMPLE, 'MeasurementObject')
    expect(keysOf(body)).toEqual(sorted(RCPCH_KEYS.top))
    for (const key of [
      'birth_data',
      'measurement_dates',
      'child_observation_value',
      'measurement_calculated_values',
      'plottable_data',
      'bone_age',
      'events_data',
      'provenance',
    ] as const) {
      expect(keysOf(body[key]), key).toEqual(sorted(RCPCH_KEYS[key]))
    }
    expect(keysOf(at(body, 'measurement_dates', 'corrected_gestational_age'))).toEqual(
      sorted(RCPCH_KEYS.corrected_gestational_age),
    )
    expect(keysOf(at(body, 'measurement_dates', 'comments'))).toEqual(sorted(RCPCH_KEYS.comments))
    expect(keysOf(at(body, 'provenance', 'calculation_engine'))).toEqual(sorted(RCPCH_KEYS.calculation_engine))
    for (const kind of ['centile_data', 'sds_data']) {
      expect(keysOf(at(body, 'plottable_data', kind)), kind).toEqual(sorted(RCPCH_KEYS.plottable_pair))
      expect(keysOf(at(body, 'plottable_data', kind, 'chronological_decimal_age_data'))).toEqual(
        sorted(RCPCH_KEYS.chronological_point),
      )
      expect(keysOf(at(body, 'plottable_data', kind, 'corrected_decimal_age_data'))).toEqual(
        sorted(RCPCH_KEYS.corrected_point),
      )
    }

    // exactly the engine's answer (handleCalculationRequest), as JSON
    const engine = handleCalculationRequest(RCPCH_EXAMPLE, 'uk-who')
    expect(engine.status).toBe(200)
    expect(body).toEqual(JSON.parse(JSON.stringify(engine.body)))

    // values: dates, pass-through of bone age and events, provenance
    expect(body['birth_data']).toEqual({
      birth_date: '2020-04-12',
      gestation_weeks: 40,
      gestation_days: 0,
      estimated_date_delivery: '2020-04-12',
      estimated_date_delivery_string: 'Sun 12 April, 2020',
      sex: 'female',
    })
    expect(at(body, 'measurement_dates')['chronological_calendar_age']).toBe('8 years and 2 months')
    expect(body['bone_age']).toEqual({
      bone_age: 10,
      bone_age_type: 'greulich-pyle',
      bone_age_sds: 2,
      bone_age_centile: 98,
      bone_age_text: 'This bone age is advanced',
    })
    expect(body['events_data']).toEqual({ events_text: RCPCH_EXAMPLE.events_text })
    const point = at(body, 'plottable_data', 'centile_data', 'chronological_decimal_age_data')
    expect(point).toMatchObject({ b: 10, bone_age_label: 'This bone age is advanced', age_type: 'chronological_age' })
    expect(at(body, 'provenance')['growth_reference']).toBe('uk-who')
    const values = at(body, 'measurement_calculated_values')
    expect(typeof values['chronological_sds']).toBe('number')
    // centiles to 4 d.p.
    const centile = values['chronological_centile'] as number
    expect(Math.round(centile * 1e4) / 1e4).toBe(centile)
  })

  it('gives corrected and chronological values for a preterm baby', async () => {
    const body = await expect200('/uk-who/calculation', PRETERM, 'MeasurementObject')
    const dates = at(body, 'measurement_dates')
    expect(dates['chronological_decimal_age']).toBeCloseTo(0.4982888433, 10)
    expect(dates['corrected_decimal_age']).toBeCloseTo(0.3449691992, 10)
    expect(dates['chronological_calendar_age']).toBe('6 months')
    expect(dates['corrected_calendar_age']).toBe('4 months and 5 days')
    expect(at(body, 'birth_data')['estimated_date_delivery']).toBe('2020-02-26')
    expect(at(body, 'measurement_dates', 'comments')).toEqual({
      clinician_corrected_decimal_age_comment: 'Correction for gestational age has been made.',
      lay_corrected_decimal_age_comment:
        'Because your child was born at 32+0 weeks gestation an adjustment has been made to take this into account.',
      clinician_chronological_decimal_age_comment: 'No correction has been made for gestational age.',
      lay_chronological_decimal_age_comment:
        "This is your child's age without taking into account their gestation at birth.",
    })
    const values = at(body, 'measurement_calculated_values')
    expect(values['chronological_sds']).toBeCloseTo(-1.7874654372, 10)
    expect(values['corrected_sds']).toBeCloseTo(-0.7524570442, 10)
    expect(values['chronological_centile']).toBe(3.6931)
    expect(values['corrected_centile']).toBe(22.5888)
    // −0.75 SD is within a quarter centile space of the 25th centile line (−2/3 SD); −1.79 SD is between lines
    expect(values['corrected_centile_band']).toBe('This weight measurement is on or near the 25th centile.')
    expect(values['chronological_centile_band']).toBe('This weight measurement is between the 2nd and 9th centiles.')
    const corrected = at(body, 'plottable_data', 'centile_data', 'corrected_decimal_age_data')
    expect(corrected).toMatchObject({ x: dates['corrected_decimal_age'], y: 6.5, age_type: 'corrected_age' })
    expect(corrected['sds']).toBeCloseTo(-0.7524570442, 10)
    const sdsPoint = at(body, 'plottable_data', 'sds_data', 'chronological_decimal_age_data')
    expect(sdsPoint).toMatchObject({ x: dates['chronological_decimal_age'], sds: null })
    expect(sdsPoint['y']).toBeCloseTo(-1.7874654372, 10)
  })

  it('serves each reference: uk-who, trisomy-21 and turner (turners-syndrome)', async () => {
    const birth = '2015-06-15'
    // the reference medians: SDS 0 (values from the reference tables, as in the engine's tests)
    const t21 = await expect200(
      '/trisomy-21/calculation',
      {
        birth_date: birth,
        observation_date: birth,
        observation_value: 49.45262,
        sex: 'female',
        measurement_method: 'height',
      },
      'MeasurementObject',
    )
    expect(at(t21, 'measurement_calculated_values')['corrected_sds']).toBe(0)
    expect(at(t21, 'provenance')['growth_reference']).toBe('trisomy-21')
    const turner = await expect200(
      '/turner/calculation',
      {
        birth_date: birth,
        observation_date: '2019-06-15',
        observation_value: 91.72,
        sex: 'female',
        measurement_method: 'height',
      },
      'MeasurementObject',
    )
    expect(at(turner, 'measurement_calculated_values')['corrected_sds']).toBe(0)
    expect(at(turner, 'provenance')['growth_reference']).toBe('turners-syndrome')
    // the same child on different references gives different SDS
    const child = {
      birth_date: '2012-03-01',
      observation_date: '2020-03-01',
      observation_value: 115,
      sex: 'female',
      measurement_method: 'height',
    }
    const sds = []
    for (const reference of ['uk-who', 'trisomy-21', 'turner']) {
      const body = await expect200(`/${reference}/calculation`, child, 'MeasurementObject')
      expect(body).toEqual(
        JSON.parse(
          JSON.stringify(
            handleCalculationRequest(child, reference === 'turner' ? 'turners-syndrome' : (reference as 'uk-who')).body,
          ),
        ),
      )
      sds.push(at(body, 'measurement_calculated_values')['chronological_sds'])
    }
    expect(new Set(sds).size).toBe(3)
  })

  describe('422 with field-level detail, as the RCPCH API', () => {
    const valid = {
      birth_date: '2020-01-01',
      observation_date: '2021-01-01',
      observation_value: 75,
      sex: 'female',
      measurement_method: 'height',
    }

    it('observation before birth', async () => {
      expect(await expect422('/uk-who/calculation', { ...valid, observation_date: '2019-12-31' })).toEqual([
        {
          type: 'value_error',
          loc: ['body', 'birth_date'],
          msg: 'Value error, Birth date cannot be after observation date.',
          input: '2020-01-01',
        },
      ])
    })

    it('gestation outside 22-44 weeks, days outside 0-6, not whole', async () => {
      expect(await expect422('/uk-who/calculation', { ...valid, gestation_weeks: 21 })).toEqual([
        {
          type: 'greater_than_equal',
          loc: ['body', 'gestation_weeks'],
          msg: 'Input should be greater than or equal to 22',
          input: 21,
        },
      ])
      expect((await expect422('/uk-who/calculation', { ...valid, gestation_weeks: 45 }))[0]).toMatchObject({
        type: 'less_than_equal',
        loc: ['body', 'gestation_weeks'],
        msg: 'Input should be less than or equal to 44',
      })
      expect((await expect422('/uk-who/calculation', { ...valid, gestation_days: 7 }))[0]).toMatchObject({
        loc: ['body', 'gestation_days'],
      })
      expect((await expect422('/uk-who/calculation', { ...valid, gestation_weeks: 30.5 }))[0]).toMatchObject({
        type: 'int_from_float',
        loc: ['body', 'gestation_weeks'],
      })
    })

    it('negative, zero, non-numeric and absurd values', async () => {
      expect(await expect422('/uk-who/calculation', { ...valid, observation_value: -3 })).toEqual([
        { type: 'greater_than', loc: ['body', 'observation_value'], msg: 'Input should be greater than 0', input: -3 },
      ])
      expect((await expect422('/uk-who/calculation', { ...valid, observation_value: 0 }))[0]?.type).toBe('greater_than')
      expect((await expect422('/uk-who/calculation', { ...valid, observation_value: '75' }))[0]).toMatchObject({
        type: 'float_type',
        loc: ['body', 'observation_value'],
      })
      // 300 cm at 1 year is beyond +8 SD: refused with the RCPCH server's wording
      expect(await expect422('/uk-who/calculation', { ...valid, observation_value: 300 })).toEqual([
        {
          type: 'value_error',
          loc: ['body'],
          msg: 'A height of 300.0 cm in a girl of 1 year is more than +8 SD. Please recheck the measurement and date of birth.',
          input: 'observation_value',
        },
      ])
      expect(
        (await expect422('/uk-who/calculation', { ...valid, measurement_method: 'weight', observation_value: 0.5 }))[0]
          ?.msg,
      ).toMatch(/^A weight of 0\.5 kg in a girl of 1 year is less than -8 SD/)
    })

    it('unknown measurement method or sex, missing fields', async () => {
      expect(await expect422('/uk-who/calculation', { ...valid, measurement_method: 'length' })).toEqual([
        {
          type: 'literal_error',
          loc: ['body', 'measurement_method'],
          msg: "Input should be 'height', 'weight', 'ofc' or 'bmi'",
          input: 'length',
        },
      ])
      expect((await expect422('/uk-who/calculation', { ...valid, sex: 'F' }))[0]).toMatchObject({
        type: 'literal_error',
        loc: ['body', 'sex'],
      })
      const { sex: _sex, observation_date: _date, ...partial } = valid
      expect(await expect422('/uk-who/calculation', partial)).toEqual([
        { type: 'missing', loc: ['body', 'observation_date'], msg: 'Field required' },
        { type: 'missing', loc: ['body', 'sex'], msg: 'Field required' },
      ])
    })

    it('malformed dates', async () => {
      expect(await expect422('/uk-who/calculation', { ...valid, birth_date: '2020-02-30' })).toEqual([
        {
          type: 'value_error',
          loc: ['body', 'birth_date'],
          msg: "Value error, time data '2020-02-30' does not match format '%Y-%m-%d'",
          input: '2020-02-30',
        },
      ])
      expect((await expect422('/uk-who/calculation', { ...valid, observation_date: '01/01/2021' }))[0]).toMatchObject({
        type: 'date_from_datetime_parsing',
        loc: ['body', 'observation_date'],
        msg: 'Input should be a valid date in the format YYYY-MM-DD',
      })
      expect((await expect422('/uk-who/calculation', { ...valid, observation_date: 20210101 }))[0]).toMatchObject({
        type: 'string_type',
        loc: ['body', 'observation_date'],
      })
    })

    it('Turner: boys and measurements other than height are refused, as the RCPCH turner router does', async () => {
      const turner = { ...valid, birth_date: '2010-01-01', observation_date: '2016-01-01', observation_value: 110 }
      expect(await expect422('/turner/calculation', { ...turner, sex: 'male' })).toEqual([
        { type: 'value_error', loc: ['body'], msg: 'Turner reference data only exists in girls.', input: 'sex' },
      ])
      // a baby boy too (the engine's own check would name the age first)
      expect(
        (
          await expect422('/turner/calculation', {
            ...turner,
            sex: 'male',
            observation_date: '2010-06-01',
            observation_value: 65,
          })
        )[0]?.msg,
      ).toBe('Turner reference data only exists in girls.')
      expect(
        await expect422('/turner/calculation', { ...turner, measurement_method: 'weight', observation_value: 20 }),
      ).toEqual([
        {
          type: 'value_error',
          loc: ['body'],
          msg: 'Turner reference data only exists for height',
          input: 'measurement_method',
        },
      ])
      // field errors still come first, and the age rule still applies to girls
      expect((await expect422('/turner/calculation', { ...turner, sex: 'boy' }))[0]?.loc).toEqual(['body', 'sex'])
      expect(
        (
          await expect422('/turner/calculation', { ...turner, observation_date: '2010-06-01', observation_value: 65 })
        )[0]?.msg,
      ).toBe('There is no reference data below 1 year.')
    })

    it('a body that is not a JSON object, or none', async () => {
      expect(await expect422('/uk-who/calculation', '[1, 2]')).toEqual([
        {
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input: [1, 2],
        },
      ])
      expect(await expect422('/uk-who/calculation', '')).toEqual([
        { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
      ])
    })
  })
})

describe('POST /{reference}/chart-coordinates', () => {
  type Segment = Record<string, Record<Sex, Record<MeasurementMethod, Line[] | null> | null>>
  interface Line {
    sds: number
    centile: number
    data: { l: number; x: number; y: number | null }[] | null
  }
  const linesOf = (body: Json, index: number, segment: string, sex: Sex, method: MeasurementMethod): Line[] =>
    (body['centile_data'] as Segment[])[index]?.[segment]?.[sex]?.[method] ?? []

  for (const sex of ['female', 'male'] as const) {
    for (const method of ['height', 'weight', 'bmi', 'ofc'] as const) {
      it(`uk-who ${sex} ${method}: the RCPCH API's published chart data (cole-nine-centiles), to 4 d.p.`, async () => {
        const body = await expect200(
          '/uk-who/chart-coordinates',
          { sex, measurement_method: method },
          'ChartCoordinatesResponse',
        )
        expect(Object.keys(body)).toEqual(['centile_data'])
        const expected = JSON.parse(
          readFileSync(
            new URL(`./growth/fixtures/cole-nine-centiles-uk-who-${sex}-${method}.json`, import.meta.url),
            'utf8',
          ),
        ) as Segment[]
        const actual = body['centile_data'] as Segment[]
        expect(actual.map(segment => Object.keys(segment))).toEqual(expected.map(segment => Object.keys(segment)))
        let points = 0
        expected.forEach((segment, i) => {
          const name = Object.keys(segment)[0] ?? ''
          expect(actual[i]?.[name]?.[sex === 'male' ? 'female' : 'male']).toBeNull()
          for (const other of ['height', 'weight', 'bmi', 'ofc'] as const) {
            if (other !== method) {
              expect(actual[i]?.[name]?.[sex]?.[other]).toBeNull()
            }
          }
          const expectedLines = segment[name]?.[sex]?.[method] ?? []
          const actualLines = linesOf(body, i, name, sex, method)
          expect(actualLines.map(line => [line.sds, line.centile])).toEqual(
            expectedLines.map(line => [line.sds, line.centile]),
          )
          expectedLines.forEach((line, j) => {
            const data = actualLines[j]?.data ?? null
            if (line.data === null) {
              expect(data).toBeNull()
              return
            }
            expect(data?.map(p => [p.l, p.x + 0])).toEqual(line.data.map(p => [p.l, p.x + 0]))
            line.data.forEach((p, k) => {
              expect(Math.abs((data?.[k]?.y ?? NaN) - (p.y ?? NaN))).toBeLessThanOrEqual(1.0000001e-4)
              points++
            })
          })
        })
        expect(points).toBeGreaterThan(1000)
      })
    }
  }

  it('three-percent centiles, custom centiles, SDS lines', async () => {
    const three = await expect200(
      '/uk-who/chart-coordinates',
      { sex: 'male', measurement_method: 'weight', centile_format: 'three-percent-centiles' },
      'ChartCoordinatesResponse',
    )
    const infant = linesOf(three, 1, 'uk_who_infant', 'male', 'weight')
    expect(infant.map(line => line.centile)).toEqual([...THREE_PERCENT_CENTILES])
    expect(infant[0]?.sds).toBe(-1.88)
    expect(infant[0]?.data?.[0]?.l).toBe(3)

    const custom = await expect200(
      '/uk-who/chart-coordinates',
      { sex: 'female', measurement_method: 'height', centile_format: [10, 90] },
      'ChartCoordinatesResponse',
    )
    expect(linesOf(custom, 3, 'uk90_child', 'female', 'height').map(line => line.sds)).toEqual([-1.28, 1.28])

    const sdsLines = await expect200(
      '/uk-who/chart-coordinates',
      { sex: 'female', measurement_method: 'height', centile_format: [-2, 0, 2], is_sds: true },
      'ChartCoordinatesResponse',
    )
    const child = linesOf(sdsLines, 3, 'uk90_child', 'female', 'height')
    expect(child.map(line => line.sds)).toEqual([-2, 0, 2])
    expect(child[1]?.centile).toBe(50)
  })

  it('trisomy-21 and turner charts are one segment each; Turner is girls height only', async () => {
    const t21 = await expect200(
      '/trisomy-21/chart-coordinates',
      { sex: 'male', measurement_method: 'ofc' },
      'ChartCoordinatesResponse',
    )
    expect((t21['centile_data'] as Segment[]).map(segment => Object.keys(segment)[0])).toEqual(['trisomy-21'])
    expect(linesOf(t21, 0, 'trisomy-21', 'male', 'ofc')).toHaveLength(9)
    const turner = await expect200(
      '/turner/chart-coordinates',
      { sex: 'female', measurement_method: 'height' },
      'ChartCoordinatesResponse',
    )
    const median = linesOf(turner, 0, 'turners-syndrome', 'female', 'height')[4]
    expect(median?.data?.[0]).toEqual({ l: 50, x: 1, y: 65.41 })
    expect(await expect422('/turner/chart-coordinates', { sex: 'male', measurement_method: 'height' })).toEqual([
      { type: 'value_error', loc: ['body', 'sex'], msg: 'Turner data only exists for height in girls.', input: 'male' },
    ])
    expect(
      (await expect422('/turner/chart-coordinates', { sex: 'female', measurement_method: 'bmi' }))[0]?.loc,
    ).toEqual(['body', 'measurement_method'])
  })

  it('refuses bad requests with field-level 422s', async () => {
    const base = { sex: 'female', measurement_method: 'height' }
    expect((await expect422('/uk-who/chart-coordinates', { ...base, measurement_method: 'length' }))[0]).toMatchObject({
      type: 'literal_error',
      loc: ['body', 'measurement_method'],
    })
    expect(await expect422('/uk-who/chart-coordinates', { measurement_method: 'height' })).toEqual([
      { type: 'missing', loc: ['body', 'sex'], msg: 'Field required' },
    ])
    expect((await expect422('/uk-who/chart-coordinates', { ...base, centile_format: 'nine' }))[0]).toMatchObject({
      type: 'literal_error',
      loc: ['body', 'centile_format'],
    })
    expect((await expect422('/uk-who/chart-coordinates', { ...base, centile_format: [] }))[0]?.msg).toMatch(
      /Empty list/,
    )
    const sixteen = Array.from({ length: 16 }, (_, i) => i * 5 + 10)
    expect((await expect422('/uk-who/chart-coordinates', { ...base, centile_format: sixteen }))[0]?.msg).toBe(
      'Value error, Centile formats cannot exceed 15 items.',
    )
    expect((await expect422('/uk-who/chart-coordinates', { ...base, centile_format: [0, 50] }))[0]?.msg).toMatch(
      /greater than 0 and less than 100/,
    )
    expect((await expect422('/uk-who/chart-coordinates', { ...base, centile_format: ['50'] }))[0]?.type).toBe(
      'float_type',
    )
    expect(
      (await expect422('/uk-who/chart-coordinates', { ...base, centile_format: [9], is_sds: true }))[0]?.msg,
    ).toMatch(/between -8 and 8/)
    expect((await expect422('/uk-who/chart-coordinates', { ...base, is_sds: 'yes' }))[0]).toMatchObject({
      type: 'bool_type',
      loc: ['body', 'is_sds'],
    })
  })
})

describe('POST /{reference}/mid-height', () => {
  it("answers RCPCH's mid-parental height response (rcpchgrowth 4.6 rules)", async () => {
    const request = { height_paternal: 180, height_maternal: 165, sex: 'male' } as const
    const body = await expect200('/uk-who/mid-height', request, 'MidParentalHeightResponse')
    expect(keysOf(body)).toEqual(sorted(RCPCH_KEYS.mid_parental_height))
    expect(body).toEqual(JSON.parse(JSON.stringify(midParentalHeight(request))))
    expect(body['mid_parental_height_lower_value']).toBeLessThan(body['mid_parental_height'] as number)
    expect(body['mid_parental_height_upper_value']).toBeGreaterThan(body['mid_parental_height'] as number)
    const lines = body['mid_parental_height_centile_data'] as Segment[]
    type Segment = Record<string, Record<Sex, Record<MeasurementMethod, { sds: number }[] | null> | null>>
    expect(lines.map(segment => Object.keys(segment)[0])).toEqual([
      'uk90_preterm',
      'uk_who_infant',
      'uk_who_child',
      'uk90_child',
    ])
    expect(lines[3]?.['uk90_child']?.male?.height?.[0]?.sds).toBe(body['mid_parental_height_sds'])
  })

  it('refuses bad heights, parents beyond ±8 SD, and references other than UK-WHO', async () => {
    expect(
      (await expect422('/uk-who/mid-height', { height_paternal: 180, height_maternal: 40, sex: 'male' }))[0],
    ).toMatchObject({
      type: 'greater_than_equal',
      loc: ['body', 'height_maternal'],
    })
    expect(await expect422('/uk-who/mid-height', { height_paternal: 180, height_maternal: 60, sex: 'female' })).toEqual(
      [
        {
          type: 'value_error',
          loc: ['body', 'height_maternal'],
          msg: 'The maternal height of 60.0 cm is below -8 SD and considered to be an error.',
          input: 60,
        },
      ],
    )
    expect(await expect422('/uk-who/mid-height', { height_paternal: 180, height_maternal: 165 })).toEqual([
      { type: 'missing', loc: ['body', 'sex'], msg: 'Field required' },
    ])
    for (const reference of ['trisomy-21', 'turner']) {
      expect(
        (await expect422(`/${reference}/mid-height`, { height_paternal: 180, height_maternal: 165, sex: 'female' }))[0],
      ).toMatchObject({
        loc: ['path', 'reference'],
        input: reference,
      })
    }
  })
})

describe('errors are JSON, CORS is open', () => {
  const body = JSON.stringify(PRETERM)

  it('malformed JSON is a 422 naming the problem and where it is', async () => {
    const response = await post('/uk-who/calculation', '{"birth_date": "2020-01-01",}')
    expect(response.statusCode).toBe(422)
    const json = response.json<{ detail: (Detail & { ctx: { error: string } })[] }>()
    expectSchema('HTTPValidationError', json)
    expect(json.detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body', 28], msg: 'JSON decode error' })
    expect(json.detail[0]?.ctx.error).toMatch(/JSON/)
  })

  it('unknown reference and unknown endpoints are 404 JSON', async () => {
    const unknown = await post('/cdc/calculation', body)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual({
      detail: "Unknown growth reference 'cdc'. Use one of: uk-who, trisomy-21, turner.",
    })
    expect(unknown.headers['access-control-allow-origin']).toBe('*')
    // the reference is checked before the body is read
    expect((await post('/cdc/calculation', 'not json', { 'content-type': 'text/plain' })).statusCode).toBe(404)
    expect((await post('/__proto__/calculation', body)).statusCode).toBe(404)
    const endpoint = await target.inject({ method: 'GET', url: `${PREFIX}/uk-who/calculation` })
    expect(endpoint.statusCode).toBe(404)
    expect(endpoint.headers['content-type']).toMatch(/^application\/json/)
    expectSchema('ErrorMessage', endpoint.json())
    expect(endpoint.headers['access-control-allow-origin']).toBe('*')
  })

  it('a body that is not application/json is a 415 JSON answer; an oversized one 413', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const response = await post('/uk-who/calculation', body, { 'content-type': type })
      expect(response.statusCode, type).toBe(415)
      expect(response.json<{ detail: string }>().detail).toContain('application/json')
      expect(response.headers['access-control-allow-origin']).toBe('*')
    }
    const none = await target.inject({ method: 'POST', url: `${PREFIX}/uk-who/calculation`, payload: body })
    // light-my-request adds no content type for a string payload
    expect(none.statusCode).toBe(415)
    expect(
      (await post('/uk-who/calculation', body, { 'content-type': 'application/json; charset=utf-8' })).statusCode,
    ).toBe(200)
    const large = await post('/uk-who/calculation', { ...PRETERM, events_text: ['x'.repeat(70_000)] })
    expect(large.statusCode).toBe(413)
    expectSchema('ErrorMessage', large.json())
  })

  it('answers browsers from any origin: Access-Control-Allow-Origin * and a preflight; no cookies', async () => {
    const preflight = await target.inject({
      method: 'OPTIONS',
      url: `${PREFIX}/uk-who/calculation`,
      headers: {
        origin: 'https://charts.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST')
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('content-type')
    expect(Number(preflight.headers['access-control-max-age'])).toBeGreaterThan(0)

    const response = await post('/uk-who/calculation', body, { origin: 'https://charts.example.org' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['access-control-allow-origin']).toBe('*')
    expect(response.headers['access-control-allow-credentials']).toBeUndefined()
    expect(response.headers['set-cookie']).toBeUndefined()
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin')
  })
})

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every path and route', async () => {
    const response = await target.inject({ method: 'GET', url: `${PREFIX}/openapi.json` })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.headers['access-control-allow-origin']).toBe('*')
    const document = JSON.parse(response.body) as {
      openapi: string
      servers: { url: string }[]
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> }
    }
    expect(document.openapi).toMatch(/^3\.1\.\d+$/)
    expect(document.servers[0]?.url).toBe(`${testConfig.publicBaseUrl}${PREFIX}`)
    expect(Object.keys(document.paths).sort()).toEqual([...GROWTH_API_PATHS].sort())
    // every route the plugin registers is documented (OPTIONS preflight and HEAD aside)
    const routes = bare.declared
      .flatMap(route =>
        (Array.isArray(route.method) ? route.method : [route.method]).map(method => ({ method, url: route.url })),
      )
      .filter(route => route.method !== 'OPTIONS' && route.method !== 'HEAD')
    expect(routes.length).toBe(5)
    for (const route of routes) {
      const path = route.url.slice(PREFIX.length).replace(/:([a-z]+)/g, '{$1}') || '/'
      expect(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined()
    }
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') {
          continue
        }
        const responses = (operation as { responses: Record<string, unknown> }).responses
        expect(responses['200'], `${method} ${path}`).toBeDefined()
        if (method === 'post') {
          expect(responses['422'], `${method} ${path}`).toBeDefined()
        }
      }
    }
    // the documented request matches the engine's schema field for field
    expect(Object.keys(document.components.schemas['MeasurementRequest']?.properties ?? {}).sort()).toEqual(
      Object.keys(measurementRequestSchema.shape).sort(),
    )
    // every $ref resolves
    for (const name of Object.keys(document.components.schemas)) {
      expect(ajv.getSchema(`growth-openapi#/components/schemas/${name}`), name).toBeDefined()
    }
  })
})

describe('the plugin', () => {
  it('declares every route public, and works on its own (no database)', async () => {
    expect(bare.declared.length).toBeGreaterThan(0)
    for (const route of bare.declared) {
      expect(route.config?.access, `${String(route.method)} ${route.url}`).toEqual({ public: true })
    }
    const response = await bare.app.inject({
      method: 'POST',
      url: `${PREFIX}/uk-who/calculation`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(PRETERM),
    })
    expect(response.statusCode).toBe(200)
    const index = await bare.app.inject({ method: 'GET', url: `${PREFIX}/` })
    expectSchema('ApiIndex', index.json())
  })
})

describe.runIf(registeredInApp)('through the full app (createApp)', () => {
  it('is registered at /api/growth with public access, beside the app’s own JSON and HTML handling', async () => {
    const app = full?.app
    if (!app || !full) {
      throw new Error('no app')
    }
    const growthRoutes = full.routes.filter(route => route.url.startsWith(PREFIX))
    expect(growthRoutes.map(route => `${route.method} ${route.url}`).sort()).toEqual(
      [
        'GET /api/growth',
        'GET /api/growth/openapi.json',
        'OPTIONS /api/growth/*',
        'POST /api/growth/:reference/calculation',
        'POST /api/growth/:reference/chart-coordinates',
        'POST /api/growth/:reference/mid-height',
      ].sort(),
    )
    for (const route of growthRoutes) {
      expect(route.access).toEqual({ public: true })
    }
    // the app parses forms elsewhere (formbody); here a form is refused, without a CSRF check or a session
    const form = await app.inject({
      method: 'POST',
      url: `${PREFIX}/uk-who/calculation`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'birth_date=2020-01-01',
    })
    expect(form.statusCode).toBe(415)
    expect(form.headers['set-cookie']).toBeUndefined()
    // the app's error pages stay HTML outside the API
    const page = await app.inject({ method: 'GET', url: '/no-such-page' })
    expect(page.headers['content-type']).toMatch(/^text\/html/)
  })
})
