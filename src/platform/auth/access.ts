import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { Db } from '../../db/database.js'
import { recordAuditEvent } from '../audit/audit.js'
import { auditContextOf } from '../http/request-context.js'
import type { Permission, RouteAccess } from './permissions.js'

/** Thrown at start-up when a route does not say who may reach it. */
export class UndeclaredAccessError extends Error {
  override name = 'UndeclaredAccessError'
}

/** Every route registered on the app, with the access it declared: what the access tests walk through. */
export interface RouteDeclaration {
  method: string
  url: string
  access: RouteAccess
}

/**
 * Refuses any route without a declared access rule, and checks the rule on every request: anonymous users are sent
 * to sign in; signed-in users without the permission get a 403 page, and the refusal is audited.
 */
export function registerAccessControl(app: FastifyInstance, db: Db, declarations: RouteDeclaration[]): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (!access) {
      throw new UndeclaredAccessError(`Route ${methods.join(',')} ${route.url} declares no access rule`)
    }
    for (const method of methods) {
      if (method !== 'HEAD') {
        declarations.push({ method, url: route.url, access })
      }
    }
  })
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access
    if (!access || 'public' in access) {
      return
    }
    const session = request.session
    if (!session || session.stage !== 'active') {
      return redirectToSignIn(request, reply)
    }
    if ('permission' in access && !session.permissions.has(access.permission)) {
      await recordAuditEvent(db, auditContextOf(request), {
        action: access.permission,
        outcome: 'denied',
        reason: 'role lacks permission',
        details: { route: request.routeOptions.url ?? '', method: request.method },
      })
      reply.code(403)
      return reply.page('web/views/forbidden.njk', { title: 'You do not have permission to see this page' })
    }
  })
}

function redirectToSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.method !== 'GET') {
    return reply.redirect('/sign-in', 303)
  }
  const returnTo = request.url.startsWith('/') && !request.url.startsWith('//') ? request.url : '/home'
  const signIn = request.url.startsWith('/parent') || request.url.startsWith('/my-') ? '/parent/sign-in' : '/sign-in'
  return reply.redirect(`${signIn}?returnTo=${encodeURIComponent(returnTo)}`, 303)
}

/** Whether the signed-in user holds a permission (for showing links and panels; routes are checked anyway). */
export function can(request: FastifyRequest, permission: Permission): boolean {
  return request.session?.stage === 'active' && request.session.permissions.has(permission)
}
