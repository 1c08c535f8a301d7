// The RCPCH calculation endpoint as pure functions: the request schema (POST /{reference}/calculation), the
// server's 422 checks, and the response, field for field as rcpchgrowth's Measurement.measurement dict
// (rcpchgrowth-python 4.6, digital-growth-charts-server 5.1).
import { z } from 'zod'
import { centileForSds, centileBandForSds } from './centiles.js'
import {
  calendarAge,
  chronologicalDecimalAge,
  correctedGestationalAge,
  DAYS_PER_YEAR,
  estimatedDateOfDelivery,
  formatEddString,
  formatIsoDate,
  parseIsoDate,
} from './dates.js'
import type { CorrectedGestationalAge } from './dates.js'
import { lastLookupError, lookupErrorMessage, medianFor, sdsFor } from './growth-core.js'
import { BONE_AGE_TYPES, METHOD_CODE, REFERENCE_CODE, SEX_CODE } from './growth-types.js'
import type { BoneAgeType, GrowthReference, MeasurementMethod, Sex, WhoTableMode } from './growth-types.js'
import { pyFloatRepr, pyRound } from './python-format.js'

// ---- request ----

const isMissing = (input: unknown): boolean => input === undefined

const isoDate = (field: 'birth_date' | 'observation_date') =>
  z
    .string({ error: issue => (isMissing(issue.input) ? 'Field required' : 'Input should be a valid string') })
    .refine(value => parseIsoDate(value) !== null, {
      error: issue =>
        field === 'birth_date'
          ? // the server parses birth_date with strptime(value, '%Y-%m-%d')
            `Value error, time data '${String(issue.input)}' does not match format '%Y-%m-%d'`
          : 'Input should be a valid date in the format YYYY-MM-DD',
      params: { type: field === 'birth_date' ? 'value_error' : 'date_from_datetime_parsing' },
    })
    // a datetime is truncated at 'T'
    .transform(value => value.slice(0, 10))

const integerField = (minimum: number, maximum: number, fallback: number) =>
  z
    .number({ error: 'Input should be a valid integer' })
    .int({ error: 'Input should be a valid integer, got a number with a fractional part' })
    .min(minimum, { error: `Input should be greater than or equal to ${minimum}` })
    .max(maximum, { error: `Input should be less than or equal to ${maximum}` })
    .nullish()
    .transform(value => value ?? fallback)

const optionalNumber = z
  .number({ error: 'Input should be a valid number' })
  .nullish()
  .transform(value => value ?? null)

/**
 * The RCPCH MeasurementRequest body. Messages and error types follow the server (pydantic); observation_value must
 * also be a positive number (the RCPCH server accepts zero and negative values and fails inside the calculation).
 */
export const measurementRequestSchema = z
  .object(
    {
      birth_date: isoDate('birth_date'),
      observation_date: isoDate('observation_date'),
      observation_value: z
        .number({
          error: issue => (isMissing(issue.input) ? 'Field required' : 'Input should be a valid number'),
        })
        .gt(0, { error: 'Input should be greater than 0' }),
      sex: z.enum(['male', 'female'], {
        error: issue => (isMissing(issue.input) ? 'Field required' : "Input should be 'male' or 'female'"),
      }),
      measurement_method: z.enum(['height', 'weight', 'ofc', 'bmi'], {
        error: issue =>
          isMissing(issue.input) ? 'Field required' : "Input should be 'height', 'weight', 'ofc' or 'bmi'",
      }),
      // rcpchgrowth MINIMUM_GESTATION_WEEKS / MAXIMUM_GESTATION_WEEKS
      gestation_weeks: integerField(22, 44, 40),
      gestation_days: integerField(0, 6, 0),
      bone_age: optionalNumber,
      bone_age_type: z
        .enum(BONE_AGE_TYPES, {
          error:
            "Input should be 'greulich-pyle', 'tanner-whitehouse-ii', 'tanner-whitehouse-iii', 'fels' or 'bonexpert'",
        })
        .nullish()
        .transform(value => value ?? null),
      bone_age_sds: optionalNumber,
      bone_age_centile: optionalNumber,
      bone_age_text: z
        .string({ error: 'Input should be a valid string' })
        .nullish()
        .transform(value => value ?? null),
      events_text: z
        .array(z.string({ error: 'Input should be a valid string' }), { error: 'Input should be a valid list' })
        .nullish()
        .transform(value => value ?? null),
    },
    { error: 'Input should be a valid dictionary or object to extract fields from' },
  )
  .superRefine((request, context) => {
    const birth = parseIsoDate(request.birth_date)
    const observation = parseIsoDate(request.observation_date)
    if (birth !== null && observation !== null && birth > observation) {
      context.addIssue({
        code: 'custom',
        path: ['birth_date'],
        message: 'Value error, Birth date cannot be after observation date.',
        input: request.birth_date,
        params: { type: 'value_error' },
      })
    }
  })

export type MeasurementRequestInput = z.input<typeof measurementRequestSchema>
export type MeasurementRequest = z.output<typeof measurementRequestSchema>

/** One entry of a FastAPI 422 body: {"detail": [...]} */
export interface ValidationErrorDetail {
  readonly type: string
  readonly loc: readonly (string | number)[]
  readonly msg: string
  readonly input?: unknown
}

function detailType(issue: z.core.$ZodIssue): string {
  if (issue.message === 'Field required') {
    return 'missing'
  }
  switch (issue.code) {
    case 'custom':
      return typeof issue.params?.['type'] === 'string' ? issue.params['type'] : 'value_error'
    case 'too_small':
      return issue.inclusive === false ? 'greater_than' : 'greater_than_equal'
    case 'too_big':
      return issue.inclusive === false ? 'less_than' : 'less_than_equal'
    case 'invalid_value':
      return 'literal_error'
    case 'invalid_type':
      if (issue.expected === 'int') {
        return 'int_from_float'
      }
      if (issue.expected === 'number') {
        return issue.message.includes('integer') ? 'int_type' : 'float_type'
      }
      if (issue.expected === 'string') {
        return 'string_type'
      }
      if (issue.expected === 'array') {
        return 'list_type'
      }
      return 'model_attributes_type'
    default:
      return 'value_error'
  }
}

/** FastAPI/pydantic-style field errors (loc ['body', field]) for a failed parse. */
export function validationErrorDetails(error: z.ZodError): ValidationErrorDetail[] {
  return error.issues.map(issue => ({
    type: detailType(issue),
    loc: ['body', ...issue.path.map(part => (typeof part === 'number' ? part : String(part)))],
    msg: issue.message,
    ...(issue.input === undefined ? {} : { input: issue.input }),
  }))
}

// ---- the server's observation value check (routers/validate_observation_value.py) ----

const MINIMUM_HEIGHT_WEIGHT_OFC_ERROR_SDS = -8
const MAXIMUM_HEIGHT_WEIGHT_OFC_ERROR_SDS = 8
const MINIMUM_BMI_ERROR_SDS = -15
const MAXIMUM_BMI_ERROR_SDS = 15

/**
 * The RCPCH API rejects (HTTP 422) a measurement whose SDS at the corrected age is beyond ±8 (BMI ±15), or for which
 * the reference has no data at the corrected age. Returns the error detail, or null when the value is accepted.
 */
export function observationValueRejection(
  request: MeasurementRequest,
  reference: GrowthReference = 'uk-who',
  options: CalculationOptions = {},
): ValidationErrorDetail | null {
  const birth = parseIsoDate(request.birth_date) ?? 0
  const observation = parseIsoDate(request.observation_date) ?? 0
  const edd = estimatedDateOfDelivery(birth, request.gestation_weeks, request.gestation_days)
  const age = (observation - edd) / DAYS_PER_YEAR
  const method = request.measurement_method
  const value = request.observation_value
  const sds = sdsFor(
    REFERENCE_CODE[reference],
    METHOD_CODE[method],
    SEX_CODE[request.sex],
    age,
    value,
    options.whoTables,
  )
  const reject = (msg: string): ValidationErrorDetail => ({
    type: 'value_error',
    loc: ['body'],
    msg,
    input: 'observation_value',
  })
  if (Number.isNaN(sds)) {
    return reject(lookupErrorMessage(lastLookupError()))
  }
  if (method === 'bmi') {
    if (sds < MINIMUM_BMI_ERROR_SDS) {
      return reject('Body mass index cannot be less than -15 SD.')
    }
    if (sds > MAXIMUM_BMI_ERROR_SDS) {
      return reject('Body mass index cannot be more than +15 SD.')
    }
    return null
  }
  const units = method === 'weight' ? 'kg' : 'cm'
  const name = method === 'ofc' ? 'Head circumference' : method
  const child = request.sex === 'male' ? 'boy' : 'girl'
  const described = `A ${name} of ${pyFloatRepr(value)} ${units} in a ${child} of ${calendarAge(birth, observation)}`
  if (sds < MINIMUM_HEIGHT_WEIGHT_OFC_ERROR_SDS) {
    return reject(`${described} is less than -8 SD. Please recheck the measurement and date of birth.`)
  }
  if (sds > MAXIMUM_HEIGHT_WEIGHT_OFC_ERROR_SDS) {
    return reject(`${described} is more than +8 SD. Please recheck the measurement and date of birth.`)
  }
  return null
}

export type CalculationOutcome =
  | { readonly status: 200; readonly body: MeasurementResponse }
  | { readonly status: 422; readonly body: { readonly detail: readonly ValidationErrorDetail[] } }

/**
 * The whole endpoint: validates an untrusted JSON body like the RCPCH server (field errors, then the observation
 * value check) and returns either the 200 response or the 422 body.
 */
export function handleCalculationRequest(
  body: unknown,
  reference: GrowthReference = 'uk-who',
  options: CalculationOptions = {},
): CalculationOutcome {
  const parsed = measurementRequestSchema.safeParse(body, { reportInput: true })
  if (!parsed.success) {
    return { status: 422, body: { detail: validationErrorDetails(parsed.error) } }
  }
  const rejection = observationValueRejection(parsed.data, reference, options)
  if (rejection) {
    return { status: 422, body: { detail: [rejection] } }
  }
  return { status: 200, body: calculateMeasurement(parsed.data, reference, options) }
}

// ---- response ----

export interface PlottablePoint {
  readonly x: number | null
  readonly y: number | null
  readonly b: number | null
  readonly centile: number | null
  readonly sds: number | null
  readonly events_text: readonly string[] | null
  readonly bone_age_label: string | null
  readonly bone_age_type: BoneAgeType | null
  readonly bone_age_sds: number | null
  readonly bone_age_centile: number | null
  readonly observation_error: string | null
  readonly age_type: 'chronological_age' | 'corrected_age'
  /** corrected points only: '34 + 2 weeks', or '' */
  readonly corrected_gestational_age?: string
  readonly calendar_age: string | null
  readonly lay_comment: string | null
  readonly clinician_comment: string | null
  readonly age_error: string | null
  readonly centile_band: string | null
  readonly observation_value_error: string | null
}

export interface MeasurementResponse {
  readonly birth_data: {
    readonly birth_date: string
    readonly gestation_weeks: number
    readonly gestation_days: number
    readonly estimated_date_delivery: string
    readonly estimated_date_delivery_string: string
    readonly sex: Sex
  }
  readonly measurement_dates: {
    readonly observation_date: string
    readonly chronological_decimal_age: number
    readonly corrected_decimal_age: number | null
    readonly chronological_calendar_age: string | null
    readonly corrected_calendar_age: string | null
    readonly corrected_gestational_age: CorrectedGestationalAge
    readonly comments: {
      readonly clinician_corrected_decimal_age_comment: string | null
      readonly lay_corrected_decimal_age_comment: string | null
      readonly clinician_chronological_decimal_age_comment: string | null
      readonly lay_chronological_decimal_age_comment: string | null
    }
    readonly corrected_decimal_age_error: string | null
    readonly chronological_decimal_age_error: string | null
  }
  readonly child_observation_value: {
    readonly measurement_method: MeasurementMethod
    readonly observation_value: number
    readonly observation_value_error: string | null
  }
  readonly measurement_calculated_values: {
    readonly corrected_sds: number | null
    readonly corrected_centile: number | null
    readonly corrected_centile_band: string | null
    readonly chronological_sds: number | null
    readonly chronological_centile: number | null
    readonly chronological_centile_band: string | null
    readonly corrected_measurement_error: string | null
    readonly chronological_measurement_error: string | null
    readonly corrected_percentage_median_bmi: number | null
    readonly chronological_percentage_median_bmi: number | null
  }
  readonly plottable_data: {
    readonly centile_data: {
      readonly chronological_decimal_age_data: PlottablePoint
      readonly corrected_decimal_age_data: PlottablePoint
    }
    readonly sds_data: {
      readonly chronological_decimal_age_data: PlottablePoint
      readonly corrected_decimal_age_data: PlottablePoint
    }
  }
  readonly bone_age: {
    readonly bone_age: number | null
    readonly bone_age_type: BoneAgeType | null
    readonly bone_age_sds: number | null
    readonly bone_age_centile: number | null
    readonly bone_age_text: string | null
  }
  readonly events_data: { readonly events_text: readonly string[] | null }
  readonly provenance: {
    readonly growth_reference: GrowthReference
    readonly calculation_engine: { readonly name: string; readonly version: string; readonly commit: string }
  }
}

export interface CalculationOptions {
  /** WHO tables for 2 weeks-4 years: 'daily' (rcpchgrowth >= 4.5, default) or 'interpolated' (<= 4.4). */
  readonly whoTables?: WhoTableMode
}

/** Identifies this engine in `provenance`, where the RCPCH API names rcpchgrowth-python. */
export const CALCULATION_ENGINE = {
  name: 'best-start/child-health-growth (rcpchgrowth-python 4.6 rules)',
  version: '1.0.0',
  commit: 'unversioned',
} as const

interface AgeComments {
  readonly layCorrected: string
  readonly clinicianCorrected: string
  readonly layChronological: string
  readonly clinicianChronological: string
}

/** rcpchgrowth comment_prematurity_correction (4.6 wording). */
export function prematurityComments(
  chronologicalAge: number,
  correctedAge: number,
  gestationWeeks: number,
  gestationDays: number,
): AgeComments {
  if (chronologicalAge === correctedAge) {
    return {
      layCorrected: 'Your child was born on their due date.',
      clinicianCorrected: 'Born at term. No correction has been made for gestation.',
      layChronological: 'Your child was born on their due date.',
      clinicianChronological: 'Born Term. No correction has been made for gestation.',
    }
  }
  if (gestationWeeks < 23) {
    const below = 'Your child has been born below the threshold of the charts.'
    return { layCorrected: below, clinicianCorrected: below, layChronological: below, clinicianChronological: below }
  }
  return {
    layCorrected: `Because your child was born at ${gestationWeeks}+${gestationDays} weeks gestation an adjustment has been made to take this into account.`,
    clinicianCorrected: 'Correction for gestational age has been made.',
    layChronological: "This is your child's age without taking into account their gestation at birth.",
    clinicianChronological: 'No correction has been made for gestational age.',
  }
}

// rcpchgrowth validation_constants: plausibility limits checked before the SDS
const MINIMUM_LENGTH_CM = 20
const MAXIMUM_HEIGHT_CM = 300
const MINIMUM_WEIGHT_KG = 0.15
const MAXIMUM_WEIGHT_KG = 500
const MINIMUM_OFC_CM = 5
const MAXIMUM_OFC_CM = 100

/**
 * child_observation_value.observation_value_error: the absolute plausibility checks (e.g. a height under 2 is taken
 * for metres), then - from rcpchgrowth 4.2 - the SDS at the corrected age beyond ±8 (BMI ±15), or the reference's
 * reason for having no data at that age. The SDS is still calculated.
 */
export function observationValueError(
  reference: GrowthReference,
  method: MeasurementMethod,
  sex: Sex,
  value: number,
  correctedAge: number | null,
  whoTables: WhoTableMode = 'daily',
): string | null {
  const v = pyFloatRepr(value)
  if (method === 'height') {
    if (value < 2) {
      return 'Height/length must be passed in cm, not metres'
    }
    if (value < MINIMUM_LENGTH_CM) {
      return `The height/length you have entered is very low and likely to be an error. Are you sure you meant a height of ${v} centimetres?`
    }
    if (value > MAXIMUM_HEIGHT_CM) {
      return `The height/length you have entered is very high and likely to be an error. Are you sure you meant a height of ${v} centimetres?`
    }
  } else if (method === 'weight') {
    if (value < MINIMUM_WEIGHT_KG) {
      return `Error. ${v} kilograms is very low. Please pass an accurate weight in kilograms`
    }
    if (value > MAXIMUM_WEIGHT_KG) {
      return `${v} kilograms is very high. Weight must be passed in kilograms.`
    }
  } else if (method === 'ofc') {
    if (value < MINIMUM_OFC_CM) {
      return `Please check this value: ${v}. A head circumference less than 5 centimetres is likely an error. Please pass an accurate head circumference in centimetres.`
    }
    if (value > MAXIMUM_OFC_CM) {
      return `Please check this value: ${v}. A head circumference > 150 centimetres is likely an error. Please pass an accurate head circumference in cm.`
    }
  }
  if (correctedAge === null) {
    return null
  }
  const sds = sdsFor(REFERENCE_CODE[reference], METHOD_CODE[method], SEX_CODE[sex], correctedAge, value, whoTables)
  if (Number.isNaN(sds)) {
    return lookupErrorMessage(lastLookupError())
  }
  if (method === 'bmi') {
    if (sds < MINIMUM_BMI_ERROR_SDS) {
      return `The Body Mass Index measurement of ${v} kg/m² is below -15 SD and considered to be an error.`
    }
    if (sds > MAXIMUM_BMI_ERROR_SDS) {
      return `The Body Mass Index measurement of ${v} kg/m² is above +15 SD and considered to be an error.`
    }
    return null
  }
  const name = method === 'height' ? 'height/length' : method === 'ofc' ? 'head circumference' : 'weight'
  const units = method === 'weight' ? 'kg' : 'cm'
  const described = `The ${name} of ${v} ${units} in a child of ${pyFloatRepr(pyRound(correctedAge, 1))} years`
  if (sds < MINIMUM_HEIGHT_WEIGHT_OFC_ERROR_SDS) {
    return `${described} is below -8 SD and considered to be an error.`
  }
  if (sds > MAXIMUM_HEIGHT_WEIGHT_OFC_ERROR_SDS) {
    return `${described} is above +8 SD and considered to be an error.`
  }
  return null
}

interface AgeResult {
  readonly sds: number | null
  readonly centile: number | null
  readonly band: string | null
  readonly error: string | null
  readonly percentageMedianBmi: number | null
}

const DATES_ERROR_MESSAGE = 'Dates error. Calculations impossible.'

function resultAtAge(
  reference: GrowthReference,
  method: MeasurementMethod,
  sex: Sex,
  value: number,
  age: number,
  whoTables: WhoTableMode,
): AgeResult {
  const referenceCode = REFERENCE_CODE[reference]
  const methodCode = METHOD_CODE[method]
  const sexCode = SEX_CODE[sex]
  const sds = sdsFor(referenceCode, methodCode, sexCode, age, value, whoTables)
  const error = Number.isNaN(sds) ? lookupErrorMessage(lastLookupError()) : null
  let percentageMedianBmi: number | null = null
  if (method === 'bmi') {
    // % median BMI = BMI / M × 100 (the chronological value uses the chronological age, fixed in rcpchgrowth 4.6)
    const median = medianFor(referenceCode, methodCode, sexCode, age, whoTables)
    percentageMedianBmi = Number.isNaN(median) ? null : (value / median) * 100
  }
  if (error !== null) {
    return { sds: null, centile: null, band: null, error, percentageMedianBmi }
  }
  return {
    sds,
    // the RCPCH API returns centiles to 4 d.p.
    centile: pyRound(centileForSds(sds), 4),
    band: centileBandForSds(sds, method),
    error: null,
    percentageMedianBmi,
  }
}

/**
 * The RCPCH calculation response for a validated request: Measurement.measurement of rcpchgrowth-python 4.6 as the
 * RCPCH API returns it (missing values null, centiles to 4 d.p.). Both ages are always calculated: UK-WHO corrects
 * every child for gestation at every age, and the chart client decides which age to show.
 */
export function calculateMeasurement(
  request: MeasurementRequest,
  reference: GrowthReference = 'uk-who',
  options: CalculationOptions = {},
): MeasurementResponse {
  const whoTables = options.whoTables ?? 'daily'
  const birth = parseIsoDate(request.birth_date)
  const observation = parseIsoDate(request.observation_date)
  if (birth === null || observation === null) {
    throw new RangeError('Invalid birth_date or observation_date')
  }
  // rcpchgrowth treats gestation_weeks 0 as 40 weeks (gestation_days kept)
  const gestationWeeks = request.gestation_weeks === 0 ? 40 : request.gestation_weeks
  const gestationDays = request.gestation_days
  const method = request.measurement_method
  const sex = request.sex
  const value = request.observation_value

  // ---- ages (Measurement.__calculate_ages) ----
  const edd = estimatedDateOfDelivery(birth, gestationWeeks, gestationDays)
  const chronologicalAge = chronologicalDecimalAge(birth, observation)
  const datesValid = birth <= observation
  const correctedAge = datesValid ? (observation - edd) / DAYS_PER_YEAR : null
  const correctedAgeError: string | null = datesValid ? null : 'Birth date cannot be after the date of observation.'
  let chronologicalAgeError: string | null = null
  const comments =
    correctedAge === null ? null : prematurityComments(chronologicalAge, correctedAge, gestationWeeks, gestationDays)
  let chronologicalCalendarAge: string | null = null
  if (datesValid) {
    chronologicalCalendarAge = calendarAge(birth, observation)
  } else {
    chronologicalAgeError = 'Chronological age calculation error.'
  }
  let correctedCalendarAge: string | null = null
  if (edd <= observation) {
    correctedCalendarAge = calendarAge(edd, observation)
  }
  // e.g. a preterm baby measured before the due date: there is no corrected calendar age
  else {
    chronologicalAgeError = 'The due date is after the observation date - a calendar age cannot be calculated.'
  }
  const gestationalAge = correctedGestationalAge(birth, observation, gestationWeeks, gestationDays)

  // ---- SDS, centiles, bands (Measurement.sds_and_centile_for_measurement_method) ----
  const observationError = observationValueError(reference, method, sex, value, correctedAge, whoTables)
  const corrected: AgeResult =
    correctedAge === null
      ? { sds: null, centile: null, band: null, error: DATES_ERROR_MESSAGE, percentageMedianBmi: null }
      : resultAtAge(reference, method, sex, value, correctedAge, whoTables)
  const chronological: AgeResult =
    correctedAge === null
      ? { sds: null, centile: null, band: null, error: DATES_ERROR_MESSAGE, percentageMedianBmi: null }
      : resultAtAge(reference, method, sex, value, chronologicalAge, whoTables)

  const correctedGestationalAgeText =
    gestationalAge.corrected_gestation_weeks === null
      ? ''
      : `${gestationalAge.corrected_gestation_weeks} + ${gestationalAge.corrected_gestation_days ?? 0} weeks`

  const boneAge = {
    bone_age: request.bone_age,
    bone_age_type: request.bone_age_type,
    bone_age_sds: request.bone_age_sds,
    bone_age_centile: request.bone_age_centile,
    bone_age_text: request.bone_age_text,
  }
  const eventsText = request.events_text

  const point = (
    ageType: 'chronological_age' | 'corrected_age',
    x: number | null,
    y: number | null,
    result: AgeResult,
    kind: 'centile' | 'sds',
  ): PlottablePoint => {
    const isCorrected = ageType === 'corrected_age'
    return {
      x,
      y,
      b: boneAge.bone_age,
      centile: result.centile,
      sds: kind === 'centile' ? result.sds : null,
      events_text: eventsText,
      bone_age_label: boneAge.bone_age_text,
      bone_age_type: boneAge.bone_age_type,
      bone_age_sds: boneAge.bone_age_sds,
      bone_age_centile: boneAge.bone_age_centile,
      observation_error: kind === 'centile' ? observationError : null,
      age_type: ageType,
      ...(isCorrected ? { corrected_gestational_age: correctedGestationalAgeText } : {}),
      calendar_age: isCorrected ? correctedCalendarAge : chronologicalCalendarAge,
      lay_comment: comments === null ? null : isCorrected ? comments.layCorrected : comments.layChronological,
      clinician_comment:
        comments === null ? null : isCorrected ? comments.clinicianCorrected : comments.clinicianChronological,
      // rcpchgrowth reports the corrected age error on both points
      age_error: correctedAgeError,
      centile_band: result.band,
      observation_value_error: result.error,
    }
  }

  return {
    birth_data: {
      birth_date: formatIsoDate(birth),
      gestation_weeks: gestationWeeks,
      gestation_days: gestationDays,
      estimated_date_delivery: formatIsoDate(edd),
      estimated_date_delivery_string: formatEddString(edd),
      sex,
    },
    measurement_dates: {
      observation_date: formatIsoDate(observation),
      chronological_decimal_age: chronologicalAge,
      corrected_decimal_age: correctedAge,
      chronological_calendar_age: chronologicalCalendarAge,
      corrected_calendar_age: correctedCalendarAge,
      corrected_gestational_age: gestationalAge,
      comments: {
        clinician_corrected_decimal_age_comment: comments?.clinicianCorrected ?? null,
        lay_corrected_decimal_age_comment: comments?.layCorrected ?? null,
        clinician_chronological_decimal_age_comment: comments?.clinicianChronological ?? null,
        lay_chronological_decimal_age_comment: comments?.layChronological ?? null,
      },
      corrected_decimal_age_error: correctedAgeError,
      chronological_decimal_age_error: chronologicalAgeError,
    },
    child_observation_value: {
      measurement_method: method,
      observation_value: value,
      observation_value_error: observationError,
    },
    measurement_calculated_values: {
      corrected_sds: corrected.sds,
      corrected_centile: corrected.centile,
      corrected_centile_band: corrected.band,
      chronological_sds: chronological.sds,
      chronological_centile: chronological.centile,
      chronological_centile_band: chronological.band,
      corrected_measurement_error: corrected.error,
      chronological_measurement_error: chronological.error,
      corrected_percentage_median_bmi: corrected.percentageMedianBmi,
      chronological_percentage_median_bmi: chronological.percentageMedianBmi,
    },
    plottable_data: {
      centile_data: {
        chronological_decimal_age_data: point('chronological_age', chronologicalAge, value, chronological, 'centile'),
        corrected_decimal_age_data: point('corrected_age', correctedAge, value, corrected, 'centile'),
      },
      sds_data: {
        chronological_decimal_age_data: point(
          'chronological_age',
          chronologicalAge,
          chronological.sds,
          chronological,
          'sds',
        ),
        corrected_decimal_age_data: point('corrected_age', correctedAge, corrected.sds, corrected, 'sds'),
      },
    },
    bone_age: boneAge,
    events_data: { events_text: eventsText },
    provenance: { growth_reference: reference, calculation_engine: { ...CALCULATION_ENGINE } },
  }
}
