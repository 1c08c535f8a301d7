// Loads the shipped LMS tables once (synchronously, at module initialisation) into typed arrays.
// Tables live in reference-data/growth/ (see its README.md for provenance and licences).
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { DAYS_PER_YEAR } from './dates.js'
import { pyRound } from './python-format.js'
import { MEASUREMENT_METHODS, SEXES } from './growth-types.js'
import type { MeasurementMethod, Sex } from './growth-types.js'

/** One LMS table for one measurement and sex, rows sorted by age. */
export interface LmsTable {
  readonly name: string
  readonly ages: Float64Array
  /** round(age, 4), the key rcpchgrowth uses to detect an exact age match. */
  readonly matchAges: Float64Array
  readonly l: Float64Array
  readonly m: Float64Array
  readonly s: Float64Array
  /** Daily tables: row i is day firstDay + i (lookup by index instead of search). -1 otherwise. */
  readonly firstDay: number
  /** rcpchgrowth <= 4.4 compared ages at 16 decimals, >= 4.5 at 4. */
  readonly matchDigits: 4 | 16
  /**
   * L, M, S memoised for whole-day ages (day / 365.25), filled on first use by the same interpolation (so the numbers
   * are identical): [l, m, s] per day from dayCacheFirstDay. Not used for daily tables.
   */
  dayCache: Float64Array | null
  dayCacheFirstDay: number
}

export type TablesByMethodAndSex = Readonly<Record<MeasurementMethod, Readonly<Record<Sex, LmsTable | null>>>>

const REFERENCE_DATA_DIR = new URL('../../../../reference-data/growth/', import.meta.url)

const rowsSchema = z.object({
  ages: z.array(z.number()),
  l: z.array(z.number()),
  m: z.array(z.number()),
  s: z.array(z.number()),
})
const tableFileSchema = z.object({
  source: z.string(),
  tables: z.record(z.enum(MEASUREMENT_METHODS), z.record(z.enum(SEXES), rowsSchema.nullable())),
})
const dailySchema = z.object({ l: z.array(z.number()), m: z.array(z.number()), s: z.array(z.number()) })
const dailyFileSchema = z.object({
  source: z.string(),
  firstDay: z.number().int(),
  tables: z.record(z.enum(MEASUREMENT_METHODS), z.record(z.enum(SEXES), dailySchema)),
})

function readJson(fileName: string): unknown {
  return JSON.parse(readFileSync(new URL(fileName, REFERENCE_DATA_DIR), 'utf8'))
}

function buildTable(
  name: string,
  ages: readonly number[],
  l: readonly number[],
  m: readonly number[],
  s: readonly number[],
  firstDay: number,
  matchDigits: 4 | 16,
): LmsTable {
  if (ages.length < 2 || l.length !== ages.length || m.length !== ages.length || s.length !== ages.length) {
    throw new Error(`Growth reference table ${name} is malformed`)
  }
  for (let i = 1; i < ages.length; i++) {
    if ((ages[i] ?? 0) <= (ages[i - 1] ?? 0)) {
      throw new Error(`Growth reference table ${name} is not sorted by age`)
    }
  }
  const agesArray = Float64Array.from(ages)
  return {
    name,
    ages: agesArray,
    matchAges: agesArray.map(age => pyRound(age, matchDigits)),
    l: Float64Array.from(l),
    m: Float64Array.from(m),
    s: Float64Array.from(s),
    firstDay,
    matchDigits,
    dayCache: null,
    dayCacheFirstDay: 0,
  }
}

function loadTableFile(fileName: string, matchDigits: 4 | 16): TablesByMethodAndSex {
  const file = tableFileSchema.parse(readJson(fileName))
  const result = {} as Record<MeasurementMethod, Record<Sex, LmsTable | null>>
  for (const method of MEASUREMENT_METHODS) {
    result[method] = { male: null, female: null }
    for (const sex of SEXES) {
      const rows = file.tables[method]?.[sex]
      if (rows) {
        result[method][sex] = buildTable(
          `${fileName} ${method} ${sex}`,
          rows.ages,
          rows.l,
          rows.m,
          rows.s,
          -1,
          matchDigits,
        )
      }
    }
  }
  return result
}

/**
 * WHO daily tables split at 2 years as UK-WHO uses them: days 0-730 (length), days 731-1826 (height). Row ages are
 * round(day / 365.25, 10), as stored in rcpchgrowth >= 4.5.
 */
function loadDailyTables(): { infant: TablesByMethodAndSex; child: TablesByMethodAndSex } {
  const file = dailyFileSchema.parse(readJson('who-2006-daily.json'))
  const infant = {} as Record<MeasurementMethod, Record<Sex, LmsTable | null>>
  const child = {} as Record<MeasurementMethod, Record<Sex, LmsTable | null>>
  const lastInfantDay = 730
  for (const method of MEASUREMENT_METHODS) {
    infant[method] = { male: null, female: null }
    child[method] = { male: null, female: null }
    for (const sex of SEXES) {
      const rows = file.tables[method]?.[sex]
      if (!rows) {
        throw new Error(`WHO daily table missing for ${method} ${sex}`)
      }
      const ages = rows.l.map((_, i) => pyRound((file.firstDay + i) / DAYS_PER_YEAR, 10))
      const split = lastInfantDay + 1 - file.firstDay
      const name = `who-2006-daily.json ${method} ${sex}`
      infant[method][sex] = buildTable(
        `${name} days 0-730`,
        ages.slice(0, split),
        rows.l.slice(0, split),
        rows.m.slice(0, split),
        rows.s.slice(0, split),
        file.firstDay,
        4,
      )
      child[method][sex] = buildTable(
        `${name} days 731-1826`,
        ages.slice(split),
        rows.l.slice(split),
        rows.m.slice(split),
        rows.s.slice(split),
        file.firstDay + split,
        4,
      )
    }
  }
  return { infant, child }
}

const daily = loadDailyTables()

/** All shipped tables, built once. */
export const TABLES = {
  uk90Preterm: loadTableFile('uk90-preterm.json', 4),
  uk90Child: loadTableFile('uk90-child.json', 4),
  whoDailyInfant: daily.infant,
  whoDailyChild: daily.child,
  trisomy21: loadTableFile('trisomy-21.json', 4),
  turner: loadTableFile('turner.json', 4),
  // rcpchgrowth <= 4.4 (interpolated WHO tables, 16-decimal age matching), kept for the API's chart lines and
  // for checking the 2021 validation file in that mode
  legacy: {
    uk90Preterm: loadTableFile('uk90-preterm.json', 16),
    whoInfant: loadTableFile('who-2006-infant.json', 16),
    whoChild: loadTableFile('who-2006-child.json', 16),
    uk90Child: loadTableFile('uk90-child.json', 16),
  },
} as const
