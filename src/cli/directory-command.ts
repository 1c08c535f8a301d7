import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { exportHsdsCsv } from '../features/service-directory/hsds-export.js'
import { FeedFetchError, fetchOrukFeed } from '../features/service-directory/oruk-feed-fetch.js'
import { importOrukFeed, parseFeed } from '../features/service-directory/oruk-import.js'
import { UsageError, withDatabase, type CliCommand } from './cli-context.js'

export const directoryImportCommand: CliCommand = {
  name: 'directory import',
  summary: 'Import an Open Referral UK 3.0 feed of services (JSON); re-importing updates, never duplicates',
  usage:
    'FILE.json|URL [--status published|draft] [--dry-run]\n\n  FILE.json   fully nested ORUK 3.0 services: a JSON array, a page ({"contents": [...]}), one service, or one service per line (NDJSON)\n  URL         an ORUK 3.0 API: https://…/services reads every page, then each service in full from /services/{id}; any other address is read as a file would be\n  --status    what imported services become (default published)\n  --dry-run   check and import inside a transaction that is rolled back\n\nEvery record is checked against the ORUK 3.0 schema first. If any is invalid, nothing is imported and each record’s problems are listed.',
  run: async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      options: { status: { type: 'string', default: 'published' }, 'dry-run': { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    })
    const file = positionals[0]
    if (!file || positionals.length > 1) {
      throw new UsageError('Give one feed file or address')
    }
    const remote = /^https?:\/\//i.test(file)
    if (!remote && !fs.existsSync(file)) {
      throw new UsageError(`There is no file ${file}`)
    }
    if (values.status !== 'published' && values.status !== 'draft') {
      throw new UsageError('--status must be published or draft')
    }
    const status = values.status
    let feed: unknown[]
    if (remote) {
      try {
        feed = await fetchOrukFeed(file, { onProgress: message => io.err(message) })
      } catch (error) {
        if (error instanceof FeedFetchError) {
          io.err(`Nothing was imported: ${error.message}`)
          return 1
        }
        throw error
      }
    } else {
      feed = parseFeed(fs.readFileSync(file, 'utf8'))
    }
    const source = remote ? `import:${new URL(file).host}` : `import:${path.basename(file)}`
    const result = await withDatabase(handle =>
      importOrukFeed(handle.db, feed, { source, status, dryRun: values['dry-run'] }),
    )
    if (!result.ok) {
      io.err(
        `Nothing was imported: ${String(result.invalid.length)} of ${String(result.records)} records are not valid.`,
      )
      for (const record of result.invalid.slice(0, 100)) {
        io.err(
          `Record ${String(record.record)}${record.id ? ` (${record.id}${record.name ? `, ${record.name}` : ''})` : ''}:`,
        )
        for (const problem of record.problems.slice(0, 20)) {
          io.err(`  ${problem.path} ${problem.message}`)
        }
      }
      return 1
    }
    io.out(
      `${result.dryRun ? 'Checked (dry run, nothing kept)' : 'Imported'} ${String(result.services)} services (${String(result.created)} new, ${String(result.updated)} updated) at ${String(result.locations)} locations from ${String(result.organisations)} organisations.`,
    )
    return 0
  },
}

export const directoryExportCommand: CliCommand = {
  name: 'directory export',
  summary: 'Export the published directory as HSDS 3.0 tabular CSV files (with datapackage.json)',
  usage: 'DIRECTORY\n\n  DIRECTORY  where to write organizations.csv, services.csv, locations.csv, … (made if missing)',
  run: async (args, io) => {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true })
    const dir = positionals[0]
    if (!dir || positionals.length > 1) {
      throw new UsageError('Give one directory to write to')
    }
    const counts = await withDatabase(handle => exportHsdsCsv(handle.db, dir))
    io.out(
      `Wrote HSDS CSV to ${dir}: ${Object.entries(counts)
        .map(([table, n]) => `${table} ${String(n)}`)
        .join(', ')}.`,
    )
    return 0
  },
}
