// RCPCH Digital Growth Charts API compatible endpoints under /api/growth: calculation, chart-coordinates and
// mid-parental height for the UK-WHO, Trisomy 21 and Turner references, with FastAPI-style 422 errors. Public, CORS
// open to every origin (the RCPCH React chart calls it from browsers), no cookies or sessions, no database: every
// answer is computed by the growth engine from the request alone.
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import {
  calculateMeasurement,
  createCentileLines,
  measurementRequestSchema,
  midParentalHeight,
  midParentalHeightRequestSchema,
  observationValueRejection,
  handleCalculationRequest,
  validationErrorDetails,
} from './growth/index.js'
import type {
  CalculationOutcome,
  CentileLineOptions,
  GrowthReference,
  MeasurementMethod,
  Sex,
  ValidationErrorDetail,
} from './growth/index.js'
import { growthOpenApi } from './growth-openapi.js'

/** Path segment → engine reference name (RCPCH's URLs say `turner`; the engine and provenance `turners-syndrome`). */
export const GROWTH_API_REFERENCES: ReadonlyMap<string, GrowthReference> = new Map([
  ['uk-who', 'uk-who'],
  ['trisomy-21', 'trisomy-21'],
  ['turner', 'turners-syndrome'],
])

/** Largest request body accepted (a calculation body is a few hundred bytes). */
export const GROWTH_API_BODY_LIMIT = 64 * 1024

/** RCPCH's three-percent centile collection (rcpchgrowth THREE_PERCENT_CENTILE_COLLECTION). */
export const THREE_PERCENT_CENTILES = [3, 5, 10, 25, 50, 75, 90, 95, 97] as const

/** One entry of a 422 body; `ctx` carries the parser's message for malformed JSON, as FastAPI does. */
export interface GrowthApiErrorDetail extends ValidationErrorDetail {
  readonly ctx?: Record<string, unknown>
}

interface Rejection {
  readonly status: 422
  readonly body: { readonly detail: readonly GrowthApiErrorDetail[] }
}

const reject = (...detail: GrowthApiErrorDetail[]): Rejection => ({ status: 422, body: { detail } })

/** FastAPI's answers when there is no body, or a body that is not a JSON object. */
function bodyShapeRejection(body: unknown): Rejection | null {
  if (body === undefined) {
    return reject({ type: 'missing', loc: ['body'], msg: 'Field required', input: null })
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return reject({
      type: 'model_attributes_type',
      loc: ['body'],
      msg: 'Input should be a valid dictionary or object to extract fields from',
      input: body,
    })
  }
  return null
}

/** A JSON body that does not parse: answered as FastAPI's json_invalid 422. */
class MalformedJsonError extends Error {
  override name = 'MalformedJsonError'
  readonly statusCode = 422
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message)
  }
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    return undefined
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const position = /at position (\d+)/.exec(message)?.[1]
    throw new MalformedJsonError(position === undefined ? text.length : Number(position), message)
  }
}

// ---- calculation ----

/**
 * The RCPCH calculation endpoint for a reference. The Turner router of the RCPCH server refuses boys and measurements
 * other than height before anything else (after the body's field checks); the engine's handleCalculationRequest does
 * not, so those two checks are made here with the server's wording.
 */
export function growthCalculation(body: unknown, reference: GrowthReference): CalculationOutcome | Rejection {
  const shape = bodyShapeRejection(body)
  if (shape) {
    return shape
  }
  if (reference !== 'turners-syndrome') {
    return handleCalculationRequest(body, reference)
  }
  const parsed = measurementRequestSchema.safeParse(body, { reportInput: true })
  if (!parsed.success) {
    return reject(...validationErrorDetails(parsed.error))
  }
  const request = parsed.data
  if (request.sex !== 'female') {
    return reject({
      type: 'value_error',
      loc: ['body'],
      msg: 'Turner reference data only exists in girls.',
      input: 'sex',
    })
  }
  if (request.measurement_method !== 'height') {
    return reject({
      type: 'value_error',
      loc: ['body'],
      msg: 'Turner reference data only exists for height',
      input: 'measurement_method',
    })
  }
  const rejection = observationValueRejection(request, reference)
  if (rejection) {
    return reject(rejection)
  }
  return { status: 200, body: calculateMeasurement(request, reference) }
}

// ---- chart coordinates ----

const enumField = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { error: issue => (issue.input === undefined ? 'Field required' : message) })

/** RCPCH ChartCoordinateRequest, with pydantic's messages. */
export const chartCoordinatesRequestSchema = z
  .object(
    {
      sex: enumField(['male', 'female'], "Input should be 'male' or 'female'"),
      measurement_method: enumField(
        ['height', 'weight', 'ofc', 'bmi'],
        "Input should be 'height', 'weight', 'ofc' or 'bmi'",
      ),
      centile_format: z.unknown().optional(),
      is_sds: z.unknown().optional(),
    },
    { error: 'Input should be a valid dictionary or object to extract fields from' },
  )
  .transform((request, context) => {
    const isSds = request.is_sds ?? false
    if (typeof isSds !== 'boolean') {
      context.addIssue({
        code: 'custom',
        path: ['is_sds'],
        message: 'Input should be a valid boolean',
        input: request.is_sds,
        params: { type: 'bool_type' },
      })
      return z.NEVER
    }
    const format = request.centile_format ?? 'cole-nine-centiles'
    const formatIssue = (message: string, type = 'value_error') => {
      context.addIssue({ code: 'custom', path: ['centile_format'], message, input: format, params: { type } })
      return z.NEVER
    }
    if (format === 'cole-nine-centiles' || format === 'three-percent-centiles') {
      const collection: 'cole-nine-centiles' | 'three-percent-centiles' = format
      return {
        sex: request.sex,
        measurement_method: request.measurement_method,
        centile_format: collection,
        is_sds: isSds,
      }
    }
    if (!Array.isArray(format)) {
      return formatIssue(
        "Input should be 'cole-nine-centiles', 'three-percent-centiles' or a list of up to 15 numbers",
        'literal_error',
      )
    }
    if (format.length < 1) {
      return formatIssue(
        'Value error, Empty list. Please provide at least one value or one of the standard collection flags.',
      )
    }
    if (format.length > 15) {
      return formatIssue('Value error, Centile formats cannot exceed 15 items.')
    }
    const values: number[] = []
    for (const value of format as unknown[]) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return formatIssue('Input should be a valid list of numbers', 'float_type')
      }
      if (isSds ? value < -8 || value > 8 : value <= 0 || value >= 100) {
        return formatIssue(
          isSds
            ? 'Value error, SDS values must be between -8 and 8.'
            : 'Value error, Centile values must be greater than 0 and less than 100.',
        )
      }
      values.push(value)
    }
    return { sex: request.sex, measurement_method: request.measurement_method, centile_format: values, is_sds: isSds }
  })

export type ChartCoordinatesRequest = z.output<typeof chartCoordinatesRequestSchema>

// The standard collections are the same for every caller: computed once each, kept as serialised JSON.
const chartCache = new Map<string, string>()

/** The RCPCH chart-coordinates response body (serialised), or a 422. */
export function growthChartCoordinates(body: unknown, reference: GrowthReference): string | Rejection {
  const shape = bodyShapeRejection(body)
  if (shape) {
    return shape
  }
  const parsed = chartCoordinatesRequestSchema.safeParse(body, { reportInput: true })
  if (!parsed.success) {
    return reject(...validationErrorDetails(parsed.error))
  }
  const request = parsed.data
  if (reference === 'turners-syndrome' && (request.sex !== 'female' || request.measurement_method !== 'height')) {
    const field = request.sex !== 'female' ? 'sex' : 'measurement_method'
    return reject({
      type: 'value_error',
      loc: ['body', field],
      msg: 'Turner data only exists for height in girls.',
      input: request[field],
    })
  }
  const standard = typeof request.centile_format === 'string'
  const key = `${reference}|${request.sex}|${request.measurement_method}|${String(request.centile_format)}`
  const cached = standard ? chartCache.get(key) : undefined
  if (cached !== undefined) {
    return cached
  }
  const options: CentileLineOptions = {
    reference,
    sex: request.sex satisfies Sex,
    measurementMethod: request.measurement_method satisfies MeasurementMethod,
    centileFormat:
      request.centile_format === 'three-percent-centiles'
        ? THREE_PERCENT_CENTILES
        : request.centile_format === 'cole-nine-centiles'
          ? 'cole-nine-centiles'
          : request.centile_format,
    isSds: request.is_sds,
  }
  const serialised = JSON.stringify({ centile_data: createCentileLines(options) })
  if (standard) {
    chartCache.set(key, serialised)
  }
  return serialised
}

// ---- mid-parental height ----

/** The RCPCH mid-parental height response (UK-WHO only: the engine compares parents with UK-WHO at 20 years). */
export function growthMidParentalHeight(body: unknown, pathReference: string, reference: GrowthReference) {
  if (reference !== 'uk-who') {
    return reject({
      type: 'value_error',
      loc: ['path', 'reference'],
      msg: 'Mid-parental height is calculated against the UK-WHO reference only: use /uk-who/mid-height.',
      input: pathReference,
    })
  }
  const shape = bodyShapeRejection(body)
  if (shape) {
    return shape
  }
  const parsed = midParentalHeightRequestSchema.safeParse(body, { reportInput: true })
  if (!parsed.success) {
    return reject(...validationErrorDetails(parsed.error))
  }
  try {
    return { status: 200 as const, body: midParentalHeight(parsed.data) }
  } catch (error) {
    if (!(error instanceof RangeError)) {
      throw error
    }
    // "The maternal height of 60.0 cm is below -8 SD and considered to be an error."
    const field = error.message.includes('maternal') ? 'height_maternal' : 'height_paternal'
    return reject({ type: 'value_error', loc: ['body', field], msg: error.message, input: parsed.data[field] })
  }
}

// ---- the plugin ----

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  reply.code(status)
  if (typeof body === 'string') {
    return reply.type('application/json; charset=utf-8').send(body)
  }
  return reply.send(body)
}

/**
 * The growth API, to be registered with prefix /api/growth. Declares every route public; keeps its own JSON error
 * and not-found handling, and accepts only application/json bodies.
 */
export function growthApi({ config }: Pick<RouteDeps, 'config'>): FastifyPluginAsync {
  const pub = { access: { public: true as const } }
  const openApi = JSON.stringify(growthOpenApi(config.publicBaseUrl))
  const index = {
    name: 'Best Start growth API (RCPCH Digital Growth Charts API compatible)',
    references: [...GROWTH_API_REFERENCES.keys()],
    openapi_url: `${config.publicBaseUrl}/api/growth/openapi.json`,
  }
  const referenceOf = (request: FastifyRequest): GrowthReference | undefined =>
    GROWTH_API_REFERENCES.get((request.params as { reference?: string }).reference ?? '')

  /** onRequest: an unknown reference is a 404 before the body is read. */
  const knownReference = async (request: FastifyRequest, reply: FastifyReply) => {
    if (referenceOf(request) === undefined) {
      const name = (request.params as { reference?: string }).reference ?? ''
      return sendJson(reply, 404, {
        detail: `Unknown growth reference '${name}'. Use one of: ${[...GROWTH_API_REFERENCES.keys()].join(', ')}.`,
      })
    }
  }
  const route = { config: pub, bodyLimit: GROWTH_API_BODY_LIMIT, onRequest: knownReference }

  return async app => {
    // Only JSON bodies, parsed here so that malformed JSON is answered like FastAPI (422 json_invalid).
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, parseJsonBody(body as string))
      } catch (error) {
        done(error as Error, undefined)
      }
    })

    app.addHook('onSend', async (_request, reply) => {
      void reply.header('access-control-allow-origin', '*')
      void reply.header('cross-origin-resource-policy', 'cross-origin')
    })

    app.setErrorHandler(async (error: FastifyError | MalformedJsonError, request, reply) => {
      if (error instanceof MalformedJsonError) {
        return sendJson(reply, 422, {
          detail: [
            {
              type: 'json_invalid',
              loc: ['body', error.position],
              msg: 'JSON decode error',
              input: {},
              ctx: { error: error.message },
            },
          ],
        })
      }
      const code = error.code
      if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        const type = request.headers['content-type']
        return sendJson(reply, 415, {
          detail: `Unsupported content type ${type ? `'${type}'` : '(none)'}: send the body as JSON with Content-Type: application/json.`,
        })
      }
      if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return sendJson(reply, 413, { detail: `Request body is larger than ${String(GROWTH_API_BODY_LIMIT)} bytes.` })
      }
      const status = error.statusCode ?? 500
      if (status >= 500) {
        request.log.error(
          { err: { type: error.name, message: error.message, stack: error.stack } },
          'growth API request failed',
        )
        return sendJson(reply, 500, { detail: 'Internal server error' })
      }
      return sendJson(reply, status, { detail: error.message })
    })

    app.setNotFoundHandler(async (request, reply) =>
      sendJson(reply, 404, {
        detail: `Not Found: ${request.method} ${request.url.split('?')[0] ?? ''}. GET /api/growth/openapi.json describes this API.`,
      }),
    )

    // CORS preflight (the RCPCH React chart and other browser clients post JSON from any origin)
    app.options('/*', { config: pub }, async (request, reply) => {
      const requested = request.headers['access-control-request-headers']
      reply.code(204)
      void reply.header('access-control-allow-methods', 'GET, POST, OPTIONS')
      void reply.header('access-control-allow-headers', requested ?? 'Content-Type')
      if (requested) {
        void reply.header('vary', 'Access-Control-Request-Headers')
      }
      void reply.header('access-control-max-age', '86400')
      return reply.send()
    })

    app.get('/', { config: pub }, async () => index)

    app.get('/openapi.json', { config: pub }, async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=3600')
      return sendJson(reply, 200, openApi)
    })

    app.post('/:reference/calculation', route, async (request, reply) => {
      const outcome = growthCalculation(request.body, referenceOf(request) ?? 'uk-who')
      return sendJson(reply, outcome.status, outcome.body)
    })

    app.post('/:reference/chart-coordinates', route, async (request, reply) => {
      const outcome = growthChartCoordinates(request.body, referenceOf(request) ?? 'uk-who')
      return typeof outcome === 'string' ? sendJson(reply, 200, outcome) : sendJson(reply, 422, outcome.body)
    })

    app.post('/:reference/mid-height', route, async (request, reply) => {
      const name = (request.params as { reference: string }).reference
      const outcome = growthMidParentalHeight(request.body, name, referenceOf(request) ?? 'uk-who')
      return sendJson(reply, outcome.status, outcome.body)
    })
  }
}
