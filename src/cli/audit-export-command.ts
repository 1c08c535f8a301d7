import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { writeAuditCsv } from '../features/audit-trail/audit-export.js'
import { recordAuditEvent } from '../platform/audit/audit.js'
import { UsageError, withDatabase, type CliCommand } from './cli-context.js'

const isoDate = /^\d{4}-\d{2}-\d{2}$/

export const auditExportCommand: CliCommand = {
  name: 'audit export',
  summary: 'Export the audit trail as CSV (the export itself is audited)',
  usage:
    '[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--user USER_ID] [--subject SUBJECT_ID] [--action ACTION] [--output FILE]',
  run: async (args, io) => {
    const { values } = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        user: { type: 'string' },
        subject: { type: 'string' },
        action: { type: 'string' },
        output: { type: 'string' },
      },
      strict: true,
    })
    for (const key of ['from', 'to'] as const) {
      const value = values[key]
      if (value !== undefined && (!isoDate.test(value) || Number.isNaN(Date.parse(value)))) {
        throw new UsageError(`--${key} must be a date like 2026-11-24`)
      }
    }
    if (values.user !== undefined && !/^[0-9a-f-]{36}$/i.test(values.user)) {
      throw new UsageError('--user must be a user id (a UUID)')
    }
    const criteria = {
      from: values.from,
      to: values.to,
      userId: values.user,
      subjectId: values.subject,
      action: values.action,
    }
    const count = await withDatabase(async ({ db }) => {
      const output = values.output ? fs.createWriteStream(values.output) : process.stdout
      const rows = await writeAuditCsv(db, criteria, output)
      await recordAuditEvent(
        db,
        { actor: undefined, request: { requestId: 'cli', ip: 'cli', userAgent: 'beststart audit export' } },
        { action: 'audit.export', outcome: 'allowed', details: { rows, via: 'cli' } },
      )
      if (values.output) {
        await new Promise<void>(resolve => output.end(resolve))
      }
      return rows
    })
    io.err(`Exported ${String(count)} audit events.`)
    return 0
  },
}
