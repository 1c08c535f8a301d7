import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { Db } from '../../db/database.js'
import { recordAuditEvent } from '../audit/audit.js'
import { auditContextOf } from '../http/request-context.js'
import { permissionsOf, type Permission, type RouteAccess } from './permissions.js'

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
    const needed = permissionsOf(access)
    if (needed.length > 0 && !needed.some(permission => session.permissions.has(permission))) {
      const params = (request.params ?? {}) as Record<string, unknown>
      const subjectParam = Object.entries(params).find(
        ([name, value]) => name.endsWith('Id') && typeof value === 'string',
      )
      await recordAuditEvent(db, auditContextOf(request), {
        action: needed[0] ?? 'route.access',
        outcome: 'denied',
        reason: 'role lacks permission',
        subject: subjectParam
          ? { type: subjectParam[0].replace(/Id$/, ''), id: String(subjectParam[1]).slice(0, 100) }
          : undefined,
        details: { route: request.routeOptions.url ?? '', method: request.method, needs: [...needed] },
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
