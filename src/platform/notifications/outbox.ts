import crypto from 'node:crypto'
import type { Logger } from 'pino'
import type { Db, DbOrTx } from '../../db/database.js'
import {
  claimDueMessages,
  insertOutboxMessage,
  markAbandonedUnknown,
  markRetry,
  markSent,
  type OutboxMessage,
} from './outbox-store.js'
import { messageTemplates, renderTemplate, type MessageTemplate } from './templates.js'

/**
 * Queues a message in the same transaction as the change that causes it: if the change rolls back, nothing is
 * sent; if it commits, the worker sends it.
 */
export async function queueMessage(
  db: DbOrTx,
  template: MessageTemplate,
  recipient: string,
  personalisation: Record<string, string | number>,
): Promise<string> {
  return insertOutboxMessage(db, { channel: messageTemplates[template].channel, template, recipient, personalisation })
}

export type SendResult = { ok: true; providerId: string } | { ok: false; retry: boolean; error: string }

/** Something that delivers messages: GOV.UK Notify, or the demo sender that only records them. */
export interface MessageSender {
  send: (message: OutboxMessage) => Promise<SendResult>
}

/** Demo mode: nothing leaves the machine; the sent-messages page shows what would have been sent. */
export const demoSender: MessageSender = {
  send: message => Promise.resolve({ ok: true, providerId: `demo-${message.id}` }),
}

/**
 * GOV.UK Notify (or a compatible service): API key `name-serviceId-secret`, a JWT signed with the secret,
 * POST /v2/notifications/{email|sms}. The outbox id goes as `reference`, so a message can be traced in Notify.
 */
export function notifySender(options: {
  apiKey: string
  baseUrl: string
  templateIds: Record<string, string>
}): MessageSender {
  const match = /^.+-([0-9a-f-]{36})-([0-9a-f-]{36})$/.exec(options.apiKey)
  if (!match?.[1] || !match[2]) {
    throw new Error('NOTIFY_API_KEY is not in the form name-serviceId-secretKey')
  }
  const serviceId = match[1]
  const secret = match[2]
  return {
    send: async message => {
      const templateId = options.templateIds[message.template]
      if (!templateId) {
        return { ok: false, retry: false, error: `No Notify template id configured for ${message.template}` }
      }
      const body =
        message.channel === 'email'
          ? {
              email_address: message.recipient,
              template_id: templateId,
              personalisation: message.personalisation,
              reference: message.id,
            }
          : {
              phone_number: message.recipient,
              template_id: templateId,
              personalisation: message.personalisation,
              reference: message.id,
            }
      try {
        const response = await fetch(`${options.baseUrl}/v2/notifications/${message.channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${notifyJwt(serviceId, secret)}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        })
        if (response.ok) {
          const json = (await response.json()) as { id?: string }
          return { ok: true, providerId: json.id ?? 'unknown' }
        }
        const retry = response.status === 429 || response.status >= 500
        return { ok: false, retry, error: `Notify answered ${String(response.status)}` }
      } catch (error) {
        return { ok: false, retry: true, error: `Notify unreachable: ${(error as Error).name}` }
      }
    },
  }
}

function notifyJwt(serviceId: string, secret: string): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode({ iss: serviceId, iat: Math.floor(Date.now() / 1000) })}`
  return `${unsigned}.${crypto.createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

export const outboxPolicy = {
  maxAttempts: 6,
  /** Back-off: 30 s, 2 min, 8 min, 32 min, ~2 h between attempts. */
  backoffMs: (attempt: number): number => 30_000 * 4 ** (attempt - 1),
  leaseMs: 60_000,
  batch: 20,
} as const

/** Sends one batch of due messages. Returns how many were claimed. */
export async function deliverDueMessages(db: Db, sender: MessageSender, logger?: Logger): Promise<number> {
  await markAbandonedUnknown(db)
  const messages = await claimDueMessages(db, outboxPolicy.batch, outboxPolicy.leaseMs)
  for (const message of messages) {
    const result = await sender.send(message)
    if (result.ok) {
      await markSent(db, message.id, result.providerId)
      continue
    }
    const next =
      result.retry && message.attempts < outboxPolicy.maxAttempts
        ? new Date(Date.now() + outboxPolicy.backoffMs(message.attempts))
        : undefined
    await markRetry(db, message.id, result.error, next)
    logger?.warn({ messageId: message.id, attempts: message.attempts, retry: next !== undefined }, result.error)
  }
  return messages.length
}

/** Polls the outbox every few seconds until stopped. */
export function startOutboxWorker(
  db: Db,
  sender: MessageSender,
  logger: Logger,
  intervalMs = 2000,
): { stop: () => Promise<void> } {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = running
      .then(async () => {
        if (!stopped) {
          await deliverDueMessages(db, sender, logger)
        }
      })
      .catch((error: unknown) => {
        logger.error({ err: { message: (error as Error).message } }, 'outbox worker failed')
      })
  }, intervalMs)
  return {
    stop: async () => {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}

export { renderTemplate }
