import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db, DbOrTx } from '../../db/database.js'
import { randomToken, sha256 } from '../crypto.js'
import {
  findSession,
  insertSession,
  revokeSession,
  touchSession,
  type SessionRecord,
  type SessionStage,
} from './session-store.js'

export const sessionCookie = 'bs_session'
export const sessionLimits = {
  /** Signed out after this long without a request. */
  idleMs: 30 * 60 * 1000,
  /** Signed out this long after signing in, whatever happens. */
  absoluteMs: 12 * 60 * 60 * 1000,
  /** A half-finished sign-in (waiting for the MFA code) lapses sooner. */
  pendingMs: 10 * 60 * 1000,
  /** last_seen_at is written at most this often, to spare the database. */
  touchEveryMs: 60 * 1000,
} as const

export interface SessionOptions {
  db: Db
  secureCookies: boolean
  now?: () => Date
}

/** Loads the session for every page request and enforces idle and absolute timeouts. */
export function registerSessions(app: FastifyInstance, options: SessionOptions): void {
  const now = options.now ?? (() => new Date())
  app.decorateRequest('session', undefined)
  app.decorateRequest('sessionEnded', undefined)
  app.addHook('onRequest', async (request, reply) => {
    // The JSON APIs are public and cookie-less by design: a browser's session cookie is never looked up for them.
    if (request.url.startsWith('/api/')) {
      return
    }
    const token = request.cookies[sessionCookie]
    if (!token || token.length > 100) {
      return
    }
    const session = await findSession(options.db, sha256(token))
    if (!session) {
      clearSessionCookie(reply, options.secureCookies)
      return
    }
    const at = now()
    const idleLimit = session.stage === 'active' ? sessionLimits.idleMs : sessionLimits.pendingMs
    const ended =
      at.getTime() >= session.expiresAt.getTime()
        ? 'expired'
        : at.getTime() - session.lastSeenAt.getTime() > idleLimit
          ? 'idle'
          : undefined
    if (ended) {
      await revokeSession(options.db, session.idHash)
      clearSessionCookie(reply, options.secureCookies)
      request.sessionEnded = ended
      return
    }
    if (at.getTime() - session.lastSeenAt.getTime() > sessionLimits.touchEveryMs) {
      await touchSession(options.db, session.idHash, at)
    }
    request.session = session
  })
}

/**
 * Starts a new session (a new id at every stage change, so a session id seen before sign-in is never trusted
 * after it). Ends the request's previous session, if any.
 */
export async function startSession(
  db: DbOrTx,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  stage: SessionStage,
  secureCookies: boolean,
): Promise<void> {
  if (request.session) {
    await revokeSession(db, request.session.idHash)
  }
  const token = randomToken()
  const limit = stage === 'active' ? sessionLimits.absoluteMs : sessionLimits.pendingMs
  await insertSession(db, {
    idHash: sha256(token),
    userId,
    stage,
    expiresAt: new Date(Date.now() + limit),
    ip: request.ip,
    userAgent: request.headers['user-agent'],
  })
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies,
  })
}

export async function endSession(db: DbOrTx, session: SessionRecord): Promise<void> {
  await revokeSession(db, session.idHash)
}

export function clearSessionCookie(reply: FastifyReply, secureCookies: boolean): void {
  reply.clearCookie(sessionCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies })
}
