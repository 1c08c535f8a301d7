import { parseArgs } from 'node:util'
import { migrate, migrationStatus } from '../db/migrate.js'
import { withDatabase, type CliCommand } from './cli-context.js'

export const dbMigrateCommand: CliCommand = {
  name: 'db migrate',
  summary: 'Apply pending database migrations (safe to run twice)',
  usage: '',
  run: async (args, io) => {
    parseArgs({ args, options: {}, strict: true })
    const applied = await withDatabase(handle => migrate(handle.db), { migrate: false })
    io.out(
      applied.length
        ? `Applied ${String(applied.length)} migrations:\n  ${applied.join('\n  ')}`
        : 'The database is up to date.',
    )
    return 0
  },
}

export const dbStatusCommand: CliCommand = {
  name: 'db status',
  summary: 'Show applied and pending migrations; exits 1 if any are pending or changed',
  usage: '',
  run: async (args, io) => {
    parseArgs({ args, options: {}, strict: true })
    const status = await withDatabase(handle => migrationStatus(handle.db), { migrate: false })
    for (const applied of status.applied) {
      io.out(`applied  ${applied.version}_${applied.name}  ${applied.appliedAt.toISOString()}`)
    }
    for (const pending of status.pending) {
      io.out(`pending  ${pending.version}_${pending.name}`)
    }
    for (const changed of status.changed) {
      io.out(`CHANGED  ${changed} (edited after it was applied: migrations are forward-only)`)
    }
    return status.pending.length === 0 && status.changed.length === 0 ? 0 : 1
  },
}
