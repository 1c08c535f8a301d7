import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { calculateGrowthCsv, CSV_INPUT_COLUMNS } from '../features/child-health/growth/index.js'
import type { GrowthCsvResult, GrowthReference } from '../features/child-health/growth/index.js'
import { UsageError, type CliCommand } from './cli-context.js'

/** --reference values: the RCPCH URL names, and the engine's name for Turner. */
const REFERENCES: ReadonlyMap<string, GrowthReference> = new Map([
  ['uk-who', 'uk-who'],
  ['trisomy-21', 'trisomy-21'],
  ['turner', 'turners-syndrome'],
  ['turners-syndrome', 'turners-syndrome'],
])

/** Bad rows listed on stderr; the rest are counted (every bad row has its reason in the output's error column). */
export const LISTED_BAD_ROWS = 20

function summary(result: GrowthCsvResult, reference: string, output: string): string[] {
  const lines = [`Computed ${String(result.computed)} of ${String(result.rows)} rows (${reference}) into ${output}.`]
  if (result.errorCount === 0) {
    return lines
  }
  lines.push(
    `${String(result.errorCount)} bad ${result.errorCount === 1 ? 'row was' : 'rows were'} not computed (each is in the output with its reason in the error column):`,
  )
  for (const error of result.errors.slice(0, LISTED_BAD_ROWS)) {
    lines.push(`  line ${String(error.line)}: ${error.message}`)
  }
  const more = result.errorCount - Math.min(result.errors.length, LISTED_BAD_ROWS)
  if (more > 0) {
    lines.push(`  … and ${String(more)} more bad ${more === 1 ? 'row' : 'rows'}.`)
  }
  return lines
}

export const growthCalculateCommand: CliCommand = {
  name: 'growth calculate',
  summary: 'Calculate growth SDS and centiles (RCPCH UK-WHO, Trisomy 21 or Turner) for a CSV of measurements',
  usage: [
    '--input IN.csv --output OUT.csv [--reference uk-who|trisomy-21|turner]',
    '',
    `  --input      CSV with a header naming at least ${CSV_INPUT_COLUMNS.join(', ')} (any order; other columns are ignored)`,
    '  --output     where to write the rows back with ages, SDS, centiles (4 d.p.) and centile bands at chronological and corrected age (replaced if it exists)',
    '  --reference  uk-who (default), trisomy-21 or turner',
    '',
    'Each row is checked as the RCPCH API checks a request: a row it would refuse is written with its reason in the error column and listed on stderr (the first 20, then a count). The file is streamed, so any size works.',
    '',
    'Exit codes: 0 all rows computed; 1 some rows were bad (the good ones are still written), or the input is not a CSV with those columns (nothing is written); 2 usage error (missing or unreadable input file, unknown reference, bad option).',
  ].join('\n'),
  run: async (args, io) => {
    const { values } = parseArgs({
      args,
      options: {
        input: { type: 'string', short: 'i' },
        output: { type: 'string', short: 'o' },
        reference: { type: 'string', short: 'r', default: 'uk-who' },
      },
      allowPositionals: false,
      strict: true,
    })
    const input = values.input
    const output = values.output
    if (!input || !output) {
      throw new UsageError('--input and --output are both needed')
    }
    const reference = REFERENCES.get(values.reference)
    if (!reference) {
      throw new UsageError(`Unknown reference ${values.reference}: use uk-who, trisomy-21 or turner`)
    }
    let inputStat: fs.Stats
    try {
      inputStat = fs.statSync(input)
    } catch {
      throw new UsageError(`There is no file ${input}`)
    }
    if (!inputStat.isFile()) {
      throw new UsageError(`${input} is not a file`)
    }
    try {
      fs.accessSync(input, fs.constants.R_OK)
    } catch {
      throw new UsageError(`${input} cannot be read`)
    }
    if (path.resolve(input) === path.resolve(output)) {
      throw new UsageError('--output must not be the input file')
    }
    const outputDir = path.dirname(path.resolve(output))
    if (!fs.existsSync(outputDir) || !fs.statSync(outputDir).isDirectory()) {
      throw new UsageError(`There is no directory ${outputDir} to write ${output} in`)
    }

    // Written beside the output and renamed when done: a failed run leaves no half-written file.
    const partial = path.join(outputDir, `.${path.basename(output)}.${String(process.pid)}.partial`)
    let result: GrowthCsvResult
    try {
      result = await calculateGrowthCsv(fs.createReadStream(input), fs.createWriteStream(partial), {
        reference,
        maxReportedErrors: LISTED_BAD_ROWS,
      })
      fs.renameSync(partial, output)
    } catch (error) {
      fs.rmSync(partial, { force: true })
      const message = error instanceof Error ? error.message : String(error)
      io.err(`Could not calculate ${input}: ${message}. Nothing was written.`)
      return 1
    }
    for (const line of summary(result, values.reference, output)) {
      io.err(line)
    }
    return result.errorCount === 0 ? 0 : 1
  },
}
