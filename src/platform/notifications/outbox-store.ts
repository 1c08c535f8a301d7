import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

export interface OutboxMessage {
  id: string
  channel: 'email' | 'sms'
  template: string
  recipient: string
  personalisation: Record<string, unknown>
  status: string
  attempts: number
  nextAttemptAt: Date
  lastError: string | null
  providerId: string | null
  createdAt: Date
  sentAt: Date | null
}

export async function insertOutboxMessage(
  db: DbOrTx,
  message: { channel: 'email' | 'sms'; template: string; recipient: string; personalisation: Record<string, unknown> },
): Promise<string> {
  const row = await db
    .insertInto('outbox_messages')
    .values({
      channel: message.channel,
      template: message.template,
      recipient: message.recipient,
      personalisation: JSON.stringify(message.personalisation),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Claims up to `limit` due messages for one worker: they move to 'sending' with a lease, in one statement, so two
 * workers never claim the same message (FOR UPDATE SKIP LOCKED).
 */
export async function claimDueMessages(db: DbOrTx, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
  const result = await sql<Record<string, unknown>>`
    UPDATE outbox_messages SET status = 'sending', attempts = attempts + 1,
      lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id IN (
      SELECT id FROM outbox_messages WHERE status = 'queued' AND next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING *`.execute(db)
  return result.rows.map(toMessage)
}

export async function markSent(db: DbOrTx, id: string, providerId: string): Promise<void> {
  await db
    .updateTable('outbox_messages')
    .set({ status: 'sent', provider_id: providerId, sent_at: new Date(), lease_until: null, last_error: null })
    .where('id', '=', id)
    .execute()
}

/** A failure the provider says is safe to retry: back to the queue, later. After the last attempt: failed. */
export async function markRetry(db: DbOrTx, id: string, error: string, nextAttemptAt: Date | undefined): Promise<void> {
  await db
    .updateTable('outbox_messages')
    .set(
      nextAttemptAt
        ? { status: 'queued', next_attempt_at: nextAttemptAt, lease_until: null, last_error: error.slice(0, 500) }
        : { status: 'failed', lease_until: null, last_error: error.slice(0, 500) },
    )
    .where('id', '=', id)
    .execute()
}

/**
 * Messages whose worker stopped between claiming and recording the result. They may or may not have been sent, so
 * they are never retried automatically (that could send twice): they become 'unknown' for someone to check.
 */
export async function markAbandonedUnknown(db: DbOrTx): Promise<number> {
  const result = await db
    .updateTable('outbox_messages')
    .set({ status: 'unknown', last_error: 'worker stopped while sending; check with the provider before resending' })
    .where('status', '=', 'sending')
    .where('lease_until', '<', new Date())
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function listOutboxMessages(db: DbOrTx, limit: number): Promise<OutboxMessage[]> {
  const rows = await db.selectFrom('outbox_messages').selectAll().orderBy('created_at', 'desc').limit(limit).execute()
  return rows.map(row => toMessage(row as unknown as Record<string, unknown>))
}

function toMessage(row: Record<string, unknown>): OutboxMessage {
  return {
    id: row.id as string,
    channel: row.channel as 'email' | 'sms',
    template: row.template as string,
    recipient: row.recipient as string,
    personalisation: row.personalisation as Record<string, unknown>,
    status: row.status as string,
    attempts: row.attempts as number,
    nextAttemptAt: row.next_attempt_at as Date,
    lastError: row.last_error as string | null,
    providerId: row.provider_id as string | null,
    createdAt: row.created_at as Date,
    sentAt: row.sent_at as Date | null,
  }
}
