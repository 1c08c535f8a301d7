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

/** Streams matching audit events as CSV, oldest page first read newest-first in pages of 1,000. Returns the count. */
export async function writeAuditCsv(db: DbOrTx, criteria: AuditSearch, output: Writable): Promise<number> {
  const csv = stringify({ header: true, columns: [...auditCsvColumns] })
  csv.pipe(output, { end: false })
  let offset = 0
  let count = 0
  for (;;) {
    const rows = await searchAuditEvents(db, criteria, { limit: 1000, offset })
    for (const row of rows) {
      const ok = csv.write([
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
      ].map(value => neutraliseFormula(String(value))))
      if (!ok) {
        await new Promise(resolve => csv.once('drain', resolve))
      }
    }
    count += rows.length
    if (rows.length < 1000) {
      break
    }
    offset += rows.length
  }
  await new Promise<void>((resolve, reject) => {
    csv.once('end', resolve)
    csv.once('error', reject)
    csv.end()
  })
  return count
}

/** Stops a spreadsheet treating a cell as a formula (CSV injection): a leading = + - @ gets a quote mark. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
