import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from '../../platform/http/route-deps.js'

/** Public directory search, service pages, Start for Life offer, shortlist, and directory management pages. */
export function directoryRoutes(_deps: RouteDeps): FastifyPluginAsync {
  return async () => {}
}
