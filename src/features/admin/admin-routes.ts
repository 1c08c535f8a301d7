import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from '../../platform/http/route-deps.js'

export function adminRoutes(_deps: RouteDeps): FastifyPluginAsync {
  return async () => {}
}
