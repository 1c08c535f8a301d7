import type { Writable } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { DbOrTx } from '../../db/database.js'
import { searchAuditEvents, type AuditSearch } from '../../platform/audit/audit-store.js'

export const auditCsvColumns = [
  'id',
  'occurred_at',
  'user_id',
  'user_email',
  'role',
  'organisation',
  'action',
  'subject_type',
  'subject_id',
  'purpose',
  'outcome',
  'reason',
  'request_id',
  'ip',
  'user_agent',
  'details',
] as const

/**
 * Streams matching audit events as CSV, newest first, read in pages of 1,000. Returns the count. With no criteria
 * (nothing can match, such as an email address no account has) writes the header row only. Does not end `output`;
 * throws if `output` is closed before the end (the person downloading went away), so that the caller's transaction
 * is not left waiting.
 */
export async function writeAuditCsv(db: DbOrTx, criteria: AuditSearch | undefined, output: Writable): Promise<number> {
  const csv = stringify({ header: true, columns: [...auditCsvColumns] })
  csv.pipe(output, { end: false })
  const closed = new Promise<'closed'>(resolve => {
    output.once('close', () => resolve('closed'))
    output.once('error', () => resolve('closed'))
  })
  const stillOpen = () => {
    if (output.destroyed || output.writableEnded) {
      csv.destroy()
      throw new Error('The CSV output was closed before the export ended')
    }
  }
  let offset = 0
  let count = 0
  while (criteria) {
    const rows = await searchAuditEvents(db, criteria, { limit: 1000, offset })
    for (const row of rows) {
      const ok = csv.write(
        [
          row.id,
          row.occurredAt.toISOString(),
          row.userId ?? '',
          row.userEmail ?? '',
          row.roleCode ?? '',
          row.organisationName ?? '',
          row.action,
          row.subjectType ?? '',
          row.subjectId ?? '',
          row.purpose ?? '',
          row.outcome,
          row.reason ?? '',
          row.requestId ?? '',
          row.ip ?? '',
          row.userAgent ?? '',
          JSON.stringify(row.details),
        ].map(value => neutraliseFormula(String(value))),
      )
      if (!ok) {
        await Promise.race([new Promise(resolve => csv.once('drain', resolve)), closed])
        stillOpen()
      }
    }
    count += rows.length
    if (rows.length < 1000) {
      break
    }
    offset += rows.length
  }
  stillOpen()
  const ended = new Promise<void>((resolve, reject) => {
    csv.once('end', resolve)
    csv.once('error', reject)
    csv.end()
  })
  if ((await Promise.race([ended, closed])) === 'closed') {
    stillOpen()
  }
  return count
}

/** Stops a spreadsheet treating a cell as a formula (CSV injection): a leading = + - @ gets a quote mark. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
