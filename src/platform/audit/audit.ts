import type { DbOrTx } from '../../db/database.js'
import { insertAuditEvent } from './audit-store.js'

/** Who is acting. Absent for anonymous requests (a failed sign-in with an unknown email). */
export interface Actor {
  userId: string
  roleCode: string
  organisationId: string | null
}

/** Where the request came from. Never includes the body or query string. */
export interface RequestMeta {
  requestId: string
  ip: string
  userAgent: string | undefined
}

export interface AuditContext {
  actor: Actor | undefined
  request: RequestMeta | undefined
}

export const AuditOutcome = { Allowed: 'allowed', Denied: 'denied', Error: 'error' } as const
export type AuditOutcome = (typeof AuditOutcome)[keyof typeof AuditOutcome]

export interface AuditEventInput {
  /** resource.action, as the permission catalogue names them (auth.sign-in, user.disable, family-record.read). */
  action: string
  outcome: AuditOutcome
  subject?: { type: string; id: string }
  purpose?: string
  reason?: string
  /** A curated summary: ids, counts, names of changed fields. Never a copy of the record. */
  details?: Record<string, string | number | boolean | null | string[]>
  /** The user the event is about when no one is signed in (a failed sign-in to a known account). */
  userId?: string
}

/**
 * Records an audit event. Call it with the same transaction as the access or change it records, so that the
 * event is written if and only if the access happened; refusals are recorded too.
 */
export async function recordAuditEvent(db: DbOrTx, context: AuditContext, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(db, {
    user_id: context.actor?.userId ?? event.userId ?? null,
    role_code: context.actor?.roleCode ?? null,
    organisation_id: context.actor?.organisationId ?? null,
    action: event.action,
    subject_type: event.subject?.type ?? null,
    subject_id: event.subject?.id ?? null,
    purpose: event.purpose ?? null,
    outcome: event.outcome,
    reason: event.reason ?? null,
    request_id: context.request?.requestId ?? null,
    ip: context.request?.ip ?? null,
    user_agent: context.request?.userAgent?.slice(0, 300) ?? null,
    details: JSON.stringify(event.details ?? {}),
  })
}
