/**
 * Messages to providers about their directory entries, queued through the outbox in the caller's transaction:
 * the decision on something they sent for approval, and reminders that a published service needs checking.
 * Messages carry service names and links, never the details of a listing; logs carry counts, never addresses.
 */
import type { Logger } from 'pino'
import type { Db, DbOrTx } from '../../db/database.js'
import { recordAuditEvent, type AuditContext } from '../../platform/audit/audit.js'
import { queueMessage } from '../../platform/notifications/outbox.js'
import {
  findServiceName,
  findSubmitter,
  insertReviewReminders,
  listServiceManagersByOrganisation,
  listServiceManagersOf,
  listServicesToRemind,
  lockReviewReminders,
  type NoticeRecipient,
  type OverdueService,
} from './directory-notices-store.js'

/** What a decision notice needs from the configuration. */
export interface NoticeSettings {
  publicBaseUrl: string
  serviceName: string
  authority: { name: string }
}

function firstName(recipient: NoticeRecipient): string {
  return recipient.displayName.trim().split(/\s+/)[0] ?? recipient.displayName
}

/**
 * Tells the person who sent a service (or a change to it) for approval what a directory admin decided, with the
 * reason for a refusal and a link to the service's management page. Without a submitter who may still hear about
 * it (active, in the owning organisation, role holding directory.manage), that organisation's managers are told. Call it inside the transaction that records the decision.
 * Returns how many messages were queued.
 */
export async function noticeDecision(
  trx: DbOrTx,
  notice: {
    serviceId: string
    decision: 'approved' | 'rejected'
    /** A change to a published service, rather than a new (or restored) service. */
    change: boolean
    reason?: string
    settings: NoticeSettings
  },
): Promise<number> {
  const submitter = await findSubmitter(trx, notice.serviceId)
  const recipients = submitter ? [submitter] : await listServiceManagersOf(trx, notice.serviceId)
  const service = await findServiceName(trx, notice.serviceId)
  if (!recipients.length || service === undefined) {
    return 0
  }
  const common = {
    serviceName: notice.settings.serviceName,
    authority: notice.settings.authority.name,
    service,
    what: notice.change ? 'your change to' : 'your service',
    link: `${notice.settings.publicBaseUrl}/directory/manage/services/${notice.serviceId}`,
  }
  for (const recipient of recipients) {
    if (notice.decision === 'approved') {
      await queueMessage(trx, 'directory-service-approved', recipient.email, {
        ...common,
        name: firstName(recipient),
      })
    } else {
      await queueMessage(trx, 'directory-service-rejected', recipient.email, {
        ...common,
        name: firstName(recipient),
        reason: notice.reason ?? 'None given.',
        outcome: notice.change
          ? 'Families still see the service as it was before your change.'
          : 'The service is back in draft, so families cannot see it yet.',
      })
    }
  }
  return recipients.length
}

export const reviewReminderPolicy = {
  /** A published service needs checking when it was last checked more than this many months ago. */
  reviewAfterMonths: 3,
  /** A service's managers are reminded at most once in this many days. */
  remindEveryDays: 30,
  /** Services looked at in one run (the rest wait for the next day). */
  batch: 2000,
  /** Services listed in one email; the link shows the rest. */
  listedPerEmail: 30,
} as const

export interface ReminderResult {
  /** Overdue services whose managers were reminded. */
  services: number
  /** Overdue services with no active service manager to remind (directory admins see them in the review list). */
  withoutManagers: number
  /** Emails queued: one per manager. */
  messages: number
  dryRun: boolean
}

/** Rolls back a dry run. */
class DryRun extends Error {
  constructor(readonly result: ReminderResult) {
    super('dry run')
  }
}

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

function checkedText(service: OverdueService): string {
  return service.assuredDate
    ? `last checked ${longDate.format(new Date(`${service.assuredDate}T00:00:00Z`))}`
    : 'never checked'
}

function monthsBefore(now: Date, months: number): string {
  const date = new Date(now.getTime())
  date.setUTCMonth(date.getUTCMonth() - months)
  return date.toISOString().slice(0, 10)
}

/**
 * Reminds service managers about their published services that need checking (last checked more than 3 months
 * ago) and whose managers have not been reminded in the last 30 days: one email per manager listing their
 * services, a reminder row per service, and one audit event, all in one transaction. Running it again the same
 * day sends nothing new; concurrent runs wait for each other.
 */
export async function remindReviews(
  db: Db,
  options: {
    now: Date
    baseUrl: string
    serviceName?: string
    dryRun?: boolean
    /** Who is running it, for the audit trail. */
    via?: 'cli' | 'scheduler'
  },
): Promise<ReminderResult> {
  const via = options.via ?? 'scheduler'
  const context: AuditContext = {
    actor: undefined,
    request: {
      requestId: via,
      ip: via,
      userAgent: via === 'cli' ? 'beststart directory remind' : 'daily review reminders',
    },
  }
  try {
    return await db.transaction().execute(async trx => {
      await lockReviewReminders(trx)
      const services = await listServicesToRemind(trx, {
        checkedBefore: monthsBefore(options.now, reviewReminderPolicy.reviewAfterMonths),
        remindedSince: new Date(options.now.getTime() - reviewReminderPolicy.remindEveryDays * 86_400_000),
        limit: reviewReminderPolicy.batch,
      })
      const managers = await listServiceManagersByOrganisation(
        trx,
        services.flatMap(service => (service.organisationId ? [service.organisationId] : [])),
      )
      // One email per manager, listing every overdue service of each organisation they manage for.
      const byManager = new Map<string, { recipient: NoticeRecipient; services: OverdueService[] }>()
      const reminded: { serviceId: string; assuredDate: string | null; recipients: number; sentAt: Date }[] = []
      let withoutManagers = 0
      for (const service of services) {
        const people = service.organisationId ? (managers.get(service.organisationId) ?? []) : []
        if (!people.length) {
          withoutManagers++
          continue
        }
        for (const person of people) {
          const entry = byManager.get(person.userId) ?? { recipient: person, services: [] }
          entry.services.push(service)
          byManager.set(person.userId, entry)
        }
        reminded.push({
          serviceId: service.id,
          assuredDate: service.assuredDate,
          recipients: people.length,
          sentAt: options.now,
        })
      }
      for (const { recipient, services: theirs } of byManager.values()) {
        const listed = theirs.slice(0, reviewReminderPolicy.listedPerEmail)
        const lines = listed.map(
          service =>
            `- ${service.name} (${checkedText(service)}): ${options.baseUrl}/directory/manage/services/${service.id}`,
        )
        if (theirs.length > listed.length) {
          lines.push(`- and ${String(theirs.length - listed.length)} more`)
        }
        await queueMessage(trx, 'directory-review-reminder', recipient.email, {
          name: firstName(recipient),
          serviceName: options.serviceName ?? 'Best Start',
          count: theirs.length,
          services: lines.join('\n'),
          link: `${options.baseUrl}/directory/manage/review`,
        })
      }
      await insertReviewReminders(trx, reminded)
      const result: ReminderResult = {
        services: reminded.length,
        withoutManagers,
        messages: byManager.size,
        dryRun: Boolean(options.dryRun),
      }
      if (services.length) {
        await recordAuditEvent(trx, context, {
          action: 'directory-service.review-remind',
          outcome: 'allowed',
          details: {
            services: result.services,
            withoutManagers,
            messages: result.messages,
            via,
            serviceIds: reminded.map(row => row.serviceId).slice(0, 500),
          },
        })
      }
      if (options.dryRun) {
        throw new DryRun(result)
      }
      return result
    })
  } catch (error) {
    if (error instanceof DryRun) {
      return error.result
    }
    throw error
  }
}

/**
 * Runs remindReviews once a day in the server (first shortly after start-up), until stopped. Every server may run
 * it: the lock and the reminder rows make sure managers hear once.
 */
export function startReviewReminders(
  db: Db,
  options: {
    baseUrl: string
    serviceName: string
    logger: Logger
    initialDelayMs?: number
    intervalMs?: number
    now?: () => Date
  },
): { stop: () => Promise<void> } {
  let stopped = false
  let running: Promise<unknown> = Promise.resolve()
  const run = () => {
    running = running
      .then(async () => {
        if (stopped) {
          return
        }
        const result = await remindReviews(db, {
          now: options.now?.() ?? new Date(),
          baseUrl: options.baseUrl,
          serviceName: options.serviceName,
          via: 'scheduler',
        })
        if (result.services || result.withoutManagers) {
          options.logger.info(
            { services: result.services, messages: result.messages, withoutManagers: result.withoutManagers },
            'directory review reminders queued',
          )
        }
      })
      .catch((error: unknown) => {
        options.logger.error({ err: { message: (error as Error).message } }, 'directory review reminders failed')
      })
  }
  let interval: NodeJS.Timeout | undefined
  const first = setTimeout(() => {
    run()
    interval = setInterval(run, options.intervalMs ?? 24 * 60 * 60 * 1000)
    interval.unref()
  }, options.initialDelayMs ?? 60_000)
  first.unref()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(first)
      if (interval) {
        clearInterval(interval)
      }
      await running
    },
  }
}
