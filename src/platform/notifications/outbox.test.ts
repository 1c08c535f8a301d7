import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { createTestDb, testDatabaseKind } from '../../../test/helpers/test-db.js'
import { deliverDueMessages, outboxPolicy, queueMessage, type MessageSender, type SendResult } from './outbox.js'
import type { OutboxMessage } from './outbox-store.js'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDb()
})
afterAll(async () => {
  await database.close()
})
beforeEach(async () => {
  await sql`DELETE FROM outbox_messages`.execute(database.db)
})

function recordingSender(answer: (message: OutboxMessage) => SendResult): MessageSender & { sent: OutboxMessage[] } {
  const sent: OutboxMessage[] = []
  return {
    sent,
    send: message => {
      sent.push(message)
      return Promise.resolve(answer(message))
    },
  }
}

async function statuses() {
  return database.db.selectFrom('outbox_messages').select(['status', 'attempts', 'last_error']).execute()
}

describe(`outbox on ${testDatabaseKind}`, () => {
  it('sends a queued message once and records the provider id', async () => {
    await queueMessage(database.db, 'password-reset', 'someone@example.org', {
      serviceName: 'Best Start',
      link: 'https://x/y',
    })
    const sender = recordingSender(() => ({ ok: true, providerId: 'notify-1' }))
    expect(await deliverDueMessages(database.db, sender)).toBe(1)
    expect(await deliverDueMessages(database.db, sender)).toBe(0)
    expect(sender.sent).toHaveLength(1)
    const row = await database.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow()
    expect(row.status).toBe('sent')
    expect(row.provider_id).toBe('notify-1')
  })

  it('sends nothing when the change that queued it rolls back', async () => {
    await expect(
      database.db.transaction().execute(async trx => {
        await queueMessage(trx, 'password-reset', 'someone@example.org', {
          serviceName: 'Best Start',
          link: 'https://x/y',
        })
        throw new Error('change failed')
      }),
    ).rejects.toThrow('change failed')
    expect(await statuses()).toEqual([])
  })

  it('retries a temporary failure later with back-off, and gives up after the last attempt', async () => {
    await queueMessage(database.db, 'password-reset', 'someone@example.org', {
      serviceName: 'Best Start',
      link: 'https://x/y',
    })
    const sender = recordingSender(() => ({ ok: false, retry: true, error: 'Notify answered 503' }))
    await deliverDueMessages(database.db, sender)
    const afterFirst = await database.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow()
    expect(afterFirst.status).toBe('queued')
    expect(afterFirst.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + outboxPolicy.backoffMs(1) - 5000)
    // Not due yet: nothing is sent again.
    expect(await deliverDueMessages(database.db, sender)).toBe(0)
    for (let attempt = 2; attempt <= outboxPolicy.maxAttempts; attempt++) {
      await sql`UPDATE outbox_messages SET next_attempt_at = now() - interval '1 second'`.execute(database.db)
      await deliverDueMessages(database.db, sender)
    }
    expect(sender.sent).toHaveLength(outboxPolicy.maxAttempts)
    expect(await statuses()).toEqual([
      { status: 'failed', attempts: outboxPolicy.maxAttempts, last_error: 'Notify answered 503' },
    ])
  })

  it('does not retry a permanent failure', async () => {
    await queueMessage(database.db, 'password-reset', 'not-an-address', {
      serviceName: 'Best Start',
      link: 'https://x/y',
    })
    await deliverDueMessages(
      database.db,
      recordingSender(() => ({ ok: false, retry: false, error: 'Notify answered 400' })),
    )
    expect(await statuses()).toEqual([{ status: 'failed', attempts: 1, last_error: 'Notify answered 400' }])
  })

  it('never resends a message whose worker stopped mid-send: it is marked unknown for a person to check', async () => {
    await queueMessage(database.db, 'password-reset', 'someone@example.org', {
      serviceName: 'Best Start',
      link: 'https://x/y',
    })
    await sql`UPDATE outbox_messages SET status = 'sending', attempts = 1, lease_until = now() - interval '1 minute'`.execute(
      database.db,
    )
    const sender = recordingSender(() => ({ ok: true, providerId: 'x' }))
    await deliverDueMessages(database.db, sender)
    expect(sender.sent).toHaveLength(0)
    expect((await statuses())[0]?.status).toBe('unknown')
  })

  it('lets two workers run at once without sending any message twice', async () => {
    for (let index = 0; index < 30; index++) {
      await queueMessage(database.db, 'password-reset', `person${String(index)}@example.org`, {
        serviceName: 'Best Start',
        link: 'https://x/y',
      })
    }
    const sender = recordingSender(() => ({ ok: true, providerId: 'x' }))
    await Promise.all([
      deliverDueMessages(database.db, sender),
      deliverDueMessages(database.db, sender),
      deliverDueMessages(database.db, sender),
    ])
    await deliverDueMessages(database.db, sender)
    const ids = sender.sent.map(message => message.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(30)
  })
})
