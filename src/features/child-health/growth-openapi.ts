// The OpenAPI 3.1 document of the growth API (/api/growth): RCPCH Digital Growth Charts API compatible calculation,
// chart-coordinates and mid-parental height endpoints. Schemas are strict (every key required, no others) so that the
// tests can validate real responses against them field by field.
import { BONE_AGE_TYPES, GROWTH_REFERENCES, MEASUREMENT_METHODS, SEXES } from './growth/index.js'

type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })
const orNull = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] })
const nullableString = (description?: string): Schema => ({
  type: ['string', 'null'],
  ...(description ? { description } : {}),
})
const nullableNumber = (description?: string): Schema => ({
  type: ['number', 'null'],
  ...(description ? { description } : {}),
})
const nullableInteger: Schema = { type: ['integer', 'null'] }
const isoDate = (description: string): Schema => ({ type: 'string', format: 'date', description })
const sex: Schema = { type: 'string', enum: [...SEXES] }
const measurementMethod: Schema = {
  type: 'string',
  enum: [...MEASUREMENT_METHODS],
  description: 'height (also supine length) and ofc in cm, weight in kg, bmi in kg/m² (computed by the caller)',
}
const boneAgeType: Schema = { enum: [...BONE_AGE_TYPES, null] }
const nullableStringList: Schema = { type: ['array', 'null'], items: { type: 'string' } }

/** A response object: every property is always present (missing values are null, not omitted). */
function strict(properties: Record<string, Schema>, description?: string): Schema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  }
}

const pointProperties: Record<string, Schema> = {
  x: nullableNumber('decimal age (years)'),
  y: nullableNumber('the measurement (centile_data) or the SDS (sds_data)'),
  b: nullableNumber('bone age'),
  centile: nullableNumber(),
  sds: nullableNumber('the SDS (centile_data only; null in sds_data, where it is y)'),
  events_text: nullableStringList,
  bone_age_label: nullableString(),
  bone_age_type: boneAgeType,
  bone_age_sds: nullableNumber(),
  bone_age_centile: nullableNumber(),
  observation_error: nullableString(),
  age_type: { type: 'string', enum: ['chronological_age', 'corrected_age'] },
  calendar_age: nullableString(),
  lay_comment: nullableString(),
  clinician_comment: nullableString(),
  age_error: nullableString(),
  centile_band: nullableString(),
  observation_value_error: nullableString(),
}

const { age_type: _ageType, ...pointWithoutAgeType } = pointProperties

const schemas: Record<string, Schema> = {
  MeasurementRequest: {
    type: 'object',
    description:
      'RCPCH MeasurementRequest. Unknown properties are ignored. Dates are YYYY-MM-DD (anything from a "T" on is discarded).',
    properties: {
      birth_date: isoDate('date of birth'),
      observation_date: isoDate('date of the measurement; not before birth_date'),
      observation_value: {
        type: 'number',
        exclusiveMinimum: 0,
        description:
          'cm (height, ofc), kg (weight) or kg/m² (bmi). Values beyond ±8 SD (BMI ±15 SD) at the corrected age are refused with 422, as the RCPCH API does.',
      },
      sex,
      measurement_method: measurementMethod,
      gestation_weeks: {
        type: ['integer', 'null'],
        minimum: 22,
        maximum: 44,
        default: 40,
        description: 'completed weeks of gestation at birth (default 40)',
      },
      gestation_days: { type: ['integer', 'null'], minimum: 0, maximum: 6, default: 0 },
      bone_age: nullableNumber('bone age in years (passed through for plotting)'),
      bone_age_type: boneAgeType,
      bone_age_sds: nullableNumber(),
      bone_age_centile: nullableNumber(),
      bone_age_text: nullableString(),
      events_text: nullableStringList,
    },
    required: ['birth_date', 'observation_date', 'observation_value', 'sex', 'measurement_method'],
  },
  MeasurementObject: strict(
    {
      birth_data: ref('BirthData'),
      measurement_dates: ref('MeasurementDates'),
      child_observation_value: ref('ChildObservationValue'),
      measurement_calculated_values: ref('MeasurementCalculatedValues'),
      plottable_data: ref('PlottableData'),
      bone_age: ref('BoneAge'),
      events_data: ref('EventsData'),
      provenance: ref('Provenance'),
    },
    'RCPCH MeasurementObject (rcpchgrowth Measurement.measurement). Centiles are to 4 d.p.; SDS unrounded.',
  ),
  BirthData: strict({
    birth_date: isoDate('date of birth'),
    gestation_weeks: { type: 'integer' },
    gestation_days: { type: 'integer' },
    estimated_date_delivery: isoDate('birth + 280 days − gestation'),
    estimated_date_delivery_string: { type: 'string', examples: ['Sun 12 April, 2020'] },
    sex,
  }),
  MeasurementDates: strict({
    observation_date: isoDate('date of the measurement'),
    chronological_decimal_age: { type: 'number' },
    corrected_decimal_age: nullableNumber('corrected for gestation at every age (UK-WHO rule)'),
    chronological_calendar_age: nullableString(),
    corrected_calendar_age: nullableString(),
    corrected_gestational_age: ref('CorrectedGestationalAge'),
    comments: ref('AgeComments'),
    corrected_decimal_age_error: nullableString(),
    chronological_decimal_age_error: nullableString(),
  }),
  CorrectedGestationalAge: strict(
    { corrected_gestation_weeks: nullableInteger, corrected_gestation_days: nullableInteger },
    'only before the due date + 14 days and up to 42+0 weeks; otherwise both null',
  ),
  AgeComments: strict({
    clinician_corrected_decimal_age_comment: nullableString(),
    lay_corrected_decimal_age_comment: nullableString(),
    clinician_chronological_decimal_age_comment: nullableString(),
    lay_chronological_decimal_age_comment: nullableString(),
  }),
  ChildObservationValue: strict({
    measurement_method: measurementMethod,
    observation_value: { type: 'number' },
    observation_value_error: nullableString(),
  }),
  MeasurementCalculatedValues: strict({
    corrected_sds: nullableNumber(),
    corrected_centile: nullableNumber('0-100, 4 d.p.'),
    corrected_centile_band: nullableString(),
    chronological_sds: nullableNumber(),
    chronological_centile: nullableNumber('0-100, 4 d.p.'),
    chronological_centile_band: nullableString(),
    corrected_measurement_error: nullableString(),
    chronological_measurement_error: nullableString(),
    corrected_percentage_median_bmi: nullableNumber(),
    chronological_percentage_median_bmi: nullableNumber(),
  }),
  PlottableData: strict({ centile_data: ref('PlottablePair'), sds_data: ref('PlottablePair') }),
  PlottablePair: strict({
    chronological_decimal_age_data: ref('ChronologicalPoint'),
    corrected_decimal_age_data: ref('CorrectedPoint'),
  }),
  ChronologicalPoint: strict({
    ...pointWithoutAgeType,
    age_type: { type: 'string', const: 'chronological_age' },
  }),
  CorrectedPoint: strict({
    ...pointWithoutAgeType,
    age_type: { type: 'string', const: 'corrected_age' },
    corrected_gestational_age: { type: 'string', description: "e.g. '34 + 2 weeks', or '' when not applicable" },
  }),
  BoneAge: strict({
    bone_age: nullableNumber(),
    bone_age_type: boneAgeType,
    bone_age_sds: nullableNumber(),
    bone_age_centile: nullableNumber(),
    bone_age_text: nullableString(),
  }),
  EventsData: strict({ events_text: nullableStringList }),
  Provenance: strict({
    growth_reference: { type: 'string', enum: [...GROWTH_REFERENCES] },
    calculation_engine: strict({ name: { type: 'string' }, version: { type: 'string' }, commit: { type: 'string' } }),
  }),

  ChartCoordinateRequest: {
    type: 'object',
    properties: {
      sex,
      measurement_method: measurementMethod,
      centile_format: {
        description:
          "'cole-nine-centiles' (default: 0.4th-99.6th at exact multiples of 2/3 SD, as the RCPCH API's published chart data), 'three-percent-centiles' (3rd, 5th, 10th, 25th, 50th, 75th, 90th, 95th, 97th), or up to 15 custom centiles (0 < c < 100), or SDS values (−8 to 8) when is_sds is true",
        anyOf: [
          { type: 'string', enum: ['cole-nine-centiles', 'three-percent-centiles'] },
          { type: 'array', items: { type: 'number' }, minItems: 1, maxItems: 15 },
          { type: 'null' },
        ],
        default: 'cole-nine-centiles',
      },
      is_sds: {
        type: ['boolean', 'null'],
        default: false,
        description: 'a custom centile_format list holds SDS values',
      },
    },
    required: ['sex', 'measurement_method'],
  },
  ChartCoordinatesResponse: strict(
    { centile_data: { type: 'array', items: ref('ChartSegment') } },
    'RCPCH Centile_Data: one entry per reference segment (UK-WHO: uk90_preterm, uk_who_infant, uk_who_child, uk90_child; otherwise trisomy-21 or turners-syndrome)',
  ),
  ChartSegment: {
    type: 'object',
    description: 'one key, the segment name',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: ref('ChartSexes'),
  },
  ChartSexes: strict(
    { male: orNull(ref('ChartMethods')), female: orNull(ref('ChartMethods')) },
    'the sex not requested is null',
  ),
  ChartMethods: strict(
    {
      height: orNull({ type: 'array', items: ref('CentileLine') }),
      weight: orNull({ type: 'array', items: ref('CentileLine') }),
      bmi: orNull({ type: 'array', items: ref('CentileLine') }),
      ofc: orNull({ type: 'array', items: ref('CentileLine') }),
    },
    'measurement methods not requested are null',
  ),
  CentileLine: strict({
    sds: { type: 'number', description: 'SDS of the line, 2 d.p.' },
    centile: { type: 'number' },
    data: orNull({
      type: 'array',
      items: ref('CentilePoint'),
      description: 'null where the reference has no data for this segment (e.g. BMI below 2 weeks)',
    }),
  }),
  CentilePoint: strict({
    l: {
      type: 'number',
      description:
        "the line's label: its centile, or its SDS for SDS lines (numeric, as in the RCPCH API's chart-data files; the RCPCH React chart accepts a number or a string)",
    },
    x: { type: 'number', description: 'decimal age, 4 d.p.' },
    y: nullableNumber('measurement, 4 d.p.'),
  }),

  MidParentalHeightRequest: {
    type: 'object',
    properties: {
      height_paternal: { type: 'number', minimum: 50, maximum: 245, description: "father's height, cm" },
      height_maternal: { type: 'number', minimum: 50, maximum: 245, description: "mother's height, cm" },
      sex: { ...sex, description: "the child's sex" },
    },
    required: ['height_paternal', 'height_maternal', 'sex'],
  },
  MidParentalHeightResponse: strict(
    {
      mid_parental_height: { type: 'number', description: 'cm, 1 d.p.' },
      mid_parental_height_sds: { type: 'number', description: '(maternal SDS + paternal SDS) / 4, 2 d.p.' },
      mid_parental_height_centile: { type: 'number', description: '2 d.p.' },
      mid_parental_height_centile_data: { type: 'array', items: ref('ChartSegment') },
      mid_parental_height_lower_centile_data: { type: 'array', items: ref('ChartSegment') },
      mid_parental_height_upper_centile_data: { type: 'array', items: ref('ChartSegment') },
      mid_parental_height_lower_value: { type: 'number', description: 'adult height at SDS − 1.4, cm, 1 d.p.' },
      mid_parental_height_upper_value: { type: 'number', description: 'adult height at SDS + 1.4, cm, 1 d.p.' },
    },
    'rcpchgrowth 4.6 rules: parental heights beyond ±8 SD are refused (422); target range is the SDS ± 1.4 (Wright & Cheetham 1999)',
  ),

  HTTPValidationError: {
    type: 'object',
    description: 'FastAPI-style validation error, as the RCPCH API answers',
    properties: { detail: { type: 'array', items: ref('ValidationError') } },
    required: ['detail'],
    additionalProperties: false,
  },
  ValidationError: {
    type: 'object',
    properties: {
      loc: {
        type: 'array',
        items: { type: ['string', 'integer'] },
        description:
          "where: ['body', field], ['body'] for the whole body or a measurement refused on its value, ['body', n] for malformed JSON at character n, ['path', 'reference']",
      },
      msg: { type: 'string' },
      type: {
        type: 'string',
        examples: ['missing', 'value_error', 'literal_error', 'greater_than', 'int_from_float', 'json_invalid'],
      },
      input: { description: 'the offending input (for a value refused on its SDS: the name of the field)' },
      ctx: { type: 'object' },
    },
    required: ['loc', 'msg', 'type'],
    additionalProperties: false,
  },
  ErrorMessage: {
    type: 'object',
    properties: { detail: { type: 'string' } },
    required: ['detail'],
    additionalProperties: false,
  },
  ApiIndex: strict({
    name: { type: 'string' },
    references: { type: 'array', items: { type: 'string' } },
    openapi_url: { type: 'string' },
  }),
}

const json = (schema: string, description: string): Schema => ({
  description,
  content: { 'application/json': { schema: ref(schema) } },
})

const errorResponses = {
  '404': json('ErrorMessage', 'Unknown reference (path segment) or endpoint'),
  '413': json('ErrorMessage', 'Request body over 64 KiB'),
  '415': json('ErrorMessage', 'The body is not sent as application/json'),
  '422': json('HTTPValidationError', 'Invalid input, malformed JSON, or a measurement the reference cannot assess'),
}

const referenceParameter: Schema = {
  in: 'path',
  name: 'reference',
  required: true,
  schema: { type: 'string', enum: ['uk-who', 'trisomy-21', 'turner'] },
  description: "UK-WHO, Trisomy 21 (Down's syndrome) or Turner syndrome (girls' height only)",
}

function post(
  summary: string,
  description: string,
  operationId: string,
  request: string,
  response: string,
  example: Record<string, unknown>,
): Schema {
  return {
    post: {
      summary,
      description,
      operationId,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref(request), example } },
      },
      responses: { '200': json(response, summary), ...errorResponses },
    },
  }
}

export const GROWTH_API_PATHS = [
  '/',
  '/openapi.json',
  '/{reference}/calculation',
  '/{reference}/chart-coordinates',
  '/{reference}/mid-height',
] as const

/** The OpenAPI 3.1 document; `baseUrl` is the public origin (the API lives under `${baseUrl}/api/growth`). */
export function growthOpenApi(baseUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'Best Start growth API (RCPCH Digital Growth Charts API compatible)',
      version: '1.0.0',
      description: [
        "UK-WHO, Trisomy 21 and Turner syndrome SDS and centiles computed as RCPCH's rcpchgrowth (4.6 rules, API 5.1), with the same request bodies, response shapes and FastAPI-style 422 errors, so that RCPCH clients (including the RCPCH React chart component) can call it.",
        'Differences from the RCPCH API: observation_value must be greater than 0; mid-parental height is at /{reference}/mid-height (RCPCH: /utilities/mid-parental-height) and is calculated against UK-WHO only; malformed JSON is a 422 json_invalid error; a body that is not application/json is refused with 415.',
        'Public, no authentication, no cookies; CORS open to every origin. Nothing sent is stored.',
      ].join('\n\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: `${baseUrl}/api/growth` }],
    paths: {
      '/': {
        get: {
          summary: 'What this API offers',
          operationId: 'growthApiIndex',
          responses: { '200': json('ApiIndex', 'The references and where this document is') },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This OpenAPI 3.1 document',
          operationId: 'growthOpenApi',
          responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } },
        },
      },
      '/{reference}/calculation': {
        parameters: [referenceParameter],
        ...post(
          'SDS and centile for one measurement',
          'RCPCH /{reference}/calculation: chronological and gestation-corrected age, SDS, centile (4 d.p.), centile band wording and plottable points. Turner: girls and height only (other requests are refused with 422, as the RCPCH API does).',
          'growthCalculation',
          'MeasurementRequest',
          'MeasurementObject',
          {
            birth_date: '2020-04-12',
            observation_date: '2028-06-12',
            observation_value: 115,
            sex: 'female',
            gestation_weeks: 40,
            gestation_days: 0,
            measurement_method: 'height',
          },
        ),
      },
      '/{reference}/chart-coordinates': {
        parameters: [referenceParameter],
        ...post(
          'Centile lines for a chart',
          "RCPCH /{reference}/chart-coordinates: the centile lines of one chart (sex and measurement), one entry per reference segment. The Cole nine centiles reproduce the RCPCH API's published chart data to 4 d.p. Turner: girls' height only.",
          'growthChartCoordinates',
          'ChartCoordinateRequest',
          'ChartCoordinatesResponse',
          { sex: 'female', measurement_method: 'height', centile_format: 'cole-nine-centiles' },
        ),
      },
      '/{reference}/mid-height': {
        parameters: [referenceParameter],
        ...post(
          'Mid-parental height and target range',
          'RCPCH /utilities/mid-parental-height (rcpchgrowth 4.6 rules) against UK-WHO at 20 years: the mid-parental height, its SDS and centile, the target range (SDS ± 1.4) and centile lines for all three. Only the uk-who reference is accepted; trisomy-21 and turner answer 422.',
          'growthMidParentalHeight',
          'MidParentalHeightRequest',
          'MidParentalHeightResponse',
          { height_paternal: 180, height_maternal: 165, sex: 'male' },
        ),
      },
    },
    components: { schemas },
  }
}
