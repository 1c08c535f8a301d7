// Streaming bulk calculation over CSV: constant memory (one row at a time through Node streams), bad rows reported
// with their line number and reason while good rows are computed. Each row is checked exactly like the RCPCH API
// checks a request (a row the API would answer with 422 is a bad row) and computed on the fast path.
import type { Readable, Writable } from 'node:stream'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parse } from 'csv-parse'
import { stringify } from 'csv-stringify'
import { measurementRequestSchema, observationValueRejection, validationErrorDetails } from './growth-calculation.js'
import { lookupErrorMessage } from './growth-core.js'
import { calculateFast, createFastMeasurement, DATES_ERROR } from './growth-fast.js'
import { parseIsoDate } from './dates.js'
import { METHOD_CODE, REFERENCE_CODE, SEX_CODE } from './growth-types.js'
import type { GrowthReference, WhoTableMode } from './growth-types.js'
import { pyRound } from './python-format.js'

export const CSV_INPUT_COLUMNS = [
  'birth_date',
  'observation_date',
  'gestation_weeks',
  'gestation_days',
  'sex',
  'measurement_method',
  'observation_value',
] as const

export const CSV_OUTPUT_COLUMNS = [
  ...CSV_INPUT_COLUMNS,
  'chronological_decimal_age',
  'corrected_decimal_age',
  'chronological_sds',
  'chronological_centile',
  'chronological_centile_band',
  'corrected_sds',
  'corrected_centile',
  'corrected_centile_band',
  'chronological_measurement_error',
  'corrected_measurement_error',
  'error',
] as const

export interface GrowthCsvOptions {
  readonly reference?: GrowthReference
  readonly whoTables?: WhoTableMode
  /** Errors kept in the result (all are counted and written to the output's error column). Default 10,000. */
  readonly maxReportedErrors?: number
  /** End the output stream when done (default true; pass false for process.stdout). */
  readonly endOutput?: boolean
}

export interface GrowthCsvError {
  /** 1-based line number in the input (the header is line 1) */
  readonly line: number
  readonly message: string
}

export interface GrowthCsvResult {
  /** data rows read */
  readonly rows: number
  /** rows computed */
  readonly computed: number
  readonly errors: GrowthCsvError[]
  /** all bad rows, including any beyond maxReportedErrors */
  readonly errorCount: number
}

interface ParsedRecord {
  readonly info: { readonly lines: number }
  readonly record: string[]
}

/** '' -> undefined (missing), numeric text -> number, anything else kept as text so validation names it. */
function numberOrText(text: string | undefined): number | string | undefined {
  if (text === undefined || text === '') {
    return undefined
  }
  const value = Number(text)
  return Number.isFinite(value) && text.trim() !== '' ? value : text
}

function cell(value: number): string {
  return Number.isNaN(value) ? '' : String(value)
}

/**
 * Reads CSV rows (columns birth_date, observation_date, gestation_weeks, gestation_days, sex, measurement_method,
 * observation_value; header required, column order free, extra columns ignored) and writes them back with ages,
 * SDS, centiles (4 d.p.) and centile bands at chronological and corrected age. A malformed file (bad quoting) or
 * a header without the required columns rejects the promise.
 */
export async function calculateGrowthCsv(
  input: Readable,
  output: Writable,
  options: GrowthCsvOptions = {},
): Promise<GrowthCsvResult> {
  const reference = options.reference ?? 'uk-who'
  const whoTables = options.whoTables ?? 'daily'
  const maxReportedErrors = options.maxReportedErrors ?? 10_000
  const result = { rows: 0, computed: 0, errors: [] as GrowthCsvError[], errorCount: 0 }
  const fast = createFastMeasurement()
  let columnIndex: number[] | null = null
  let headerLength = 0

  const reportError = (line: number, message: string): void => {
    result.errorCount++
    if (result.errors.length < maxReportedErrors) {
      result.errors.push({ line, message })
    }
  }

  const rows = new Transform({
    objectMode: true,
    transform(chunk: ParsedRecord, _encoding, callback) {
      const { record, info } = chunk
      if (columnIndex === null) {
        const names = record.map(name => name.trim().toLowerCase())
        const missing = CSV_INPUT_COLUMNS.filter(column => !names.includes(column))
        if (missing.length > 0) {
          callback(new Error(`CSV header is missing column(s): ${missing.join(', ')}`))
          return
        }
        columnIndex = CSV_INPUT_COLUMNS.map(column => names.indexOf(column))
        headerLength = record.length
        callback()
        return
      }
      result.rows++
      const line = info.lines
      const values = columnIndex.map(index => record[index] ?? '')
      const out: string[] = [...values]
      const fail = (message: string): void => {
        reportError(line, message)
        for (let i = CSV_INPUT_COLUMNS.length; i < CSV_OUTPUT_COLUMNS.length - 1; i++) {
          out.push('')
        }
        out.push(message)
        callback(null, out)
      }
      if (record.length !== headerLength) {
        fail(`Expected ${headerLength} fields but found ${record.length}.`)
        return
      }
      const [birthDate, observationDate, weeks, days, sex, method, value] = values
      const parsed = measurementRequestSchema.safeParse(
        {
          birth_date: birthDate === '' ? undefined : birthDate,
          observation_date: observationDate === '' ? undefined : observationDate,
          gestation_weeks: numberOrText(weeks),
          gestation_days: numberOrText(days),
          sex: sex === '' ? undefined : sex,
          measurement_method: method === '' ? undefined : method,
          observation_value: numberOrText(value),
        },
        { reportInput: true },
      )
      if (!parsed.success) {
        fail(
          validationErrorDetails(parsed.error)
            .map(detail => `${detail.loc.slice(1).join('.')}: ${detail.msg}`)
            .join('; '),
        )
        return
      }
      const request = parsed.data
      const rejection = observationValueRejection(request, reference, { whoTables })
      if (rejection) {
        fail(`observation_value: ${rejection.msg}`)
        return
      }
      calculateFast(
        REFERENCE_CODE[reference],
        METHOD_CODE[request.measurement_method],
        SEX_CODE[request.sex],
        parseIsoDate(request.birth_date) ?? 0,
        parseIsoDate(request.observation_date) ?? 0,
        request.gestation_weeks,
        request.gestation_days,
        request.observation_value,
        fast,
        whoTables,
      )
      const errorText = (code: number): string =>
        code === 0 ? '' : code === DATES_ERROR ? 'Dates error. Calculations impossible.' : lookupErrorMessage(code)
      out.push(
        cell(fast.chronologicalAge),
        cell(fast.correctedAge),
        cell(fast.chronologicalSds),
        cell(pyRound(fast.chronologicalCentile, 4)),
        fast.chronologicalBand ?? '',
        cell(fast.correctedSds),
        cell(pyRound(fast.correctedCentile, 4)),
        fast.correctedBand ?? '',
        errorText(fast.chronologicalError),
        errorText(fast.correctedError),
        '',
      )
      result.computed++
      callback(null, out)
    },
  })

  await pipeline(
    input,
    parse({ info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }),
    rows,
    stringify({ header: true, columns: [...CSV_OUTPUT_COLUMNS] }),
    output,
    { end: options.endOutput ?? true },
  )
  return result
}
