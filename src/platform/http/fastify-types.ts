import type { AuditContext } from '../audit/audit.js'
import type { SessionRecord } from '../auth/session-store.js'
import type { RouteAccess } from '../auth/permissions.js'
import type { PageCache } from './page-cache.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares who may reach it; the app refuses to start if one does not. */
    access?: RouteAccess
  }
  interface FastifyRequest {
    /** The signed-in session, at whatever stage of sign-in; undefined for anonymous requests. */
    session: SessionRecord | undefined
    /** Why a session cookie was not honoured (idle or absolute timeout), to tell the user on the sign-in page. */
    sessionEnded: 'idle' | 'expired' | undefined
    /** The user of an active (fully signed-in) session. Throws if there is none: use after the access check. */
    activeUser: () => SessionRecord
    auditContext: () => AuditContext
  }
  interface FastifyReply {
    /** Renders a page with the layout's context (user, navigation, CSRF token, CSP nonce, brand). */
    page: (template: string, context?: Record<string, unknown>) => Promise<FastifyReply>
    /**
     * Renders a page as `page` does, from `cache` when an anonymous visitor asks again (see page-cache.ts). `key`
     * must hold everything the page depends on; `build` makes the page's context on a miss. Only 200 pages are kept.
     */
    cachedPage: (
      cache: PageCache,
      key: string,
      template: string,
      build: () => Promise<Record<string, unknown>>,
    ) => Promise<FastifyReply>
  }
}

export {}
