import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { importPostcodes } from '../features/service-directory/postcode-import.js'
import { UsageError, withDatabase, type CliCommand } from './cli-context.js'

export const postcodesImportCommand: CliCommand = {
  name: 'postcodes import',
  summary: 'Load postcodes from an ONS Postcode Directory CSV (postcode, coordinates, LSOA, local authority)',
  usage:
    'FILE.csv [--include-terminated]\n\n  FILE.csv              the ONSPD CSV (header pcds, lat, long, lsoa21, oslaua, doterm…) or a CSV with postcode, latitude, longitude, lsoa_code, la_code\n  --include-terminated  also load postcodes that are no longer in use\n\nRe-running updates postcodes already loaded. The file is streamed: memory stays flat for the full 2.7 million rows.',
  run: async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      options: { 'include-terminated': { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    })
    const file = positionals[0]
    if (!file || positionals.length > 1) {
      throw new UsageError('Give one CSV file')
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      throw new UsageError(`There is no file ${file}`)
    }
    const result = await withDatabase(handle =>
      importPostcodes(handle.db, fs.createReadStream(file), {
        includeTerminated: values['include-terminated'],
        onProgress: rows => {
          if (rows % 100_000 < 2000) {
            io.out(`  ${rows.toLocaleString('en-GB')} rows read…`)
          }
        },
      }),
    )
    io.out(
      `Loaded ${result.imported.toLocaleString('en-GB')} postcodes from ${result.rows.toLocaleString('en-GB')} rows in ${result.seconds.toFixed(1)} s. Skipped: ${String(result.skipped.terminated)} terminated, ${String(result.skipped.noCoordinates)} without coordinates, ${String(result.skipped.invalidPostcode)} not valid postcodes.`,
    )
    for (const problem of result.problems.slice(0, 20)) {
      io.err(`  line ${String(problem.line)}: ${problem.message}`)
    }
    return result.imported === 0 && result.rows > 0 ? 1 : 0
  },
}
