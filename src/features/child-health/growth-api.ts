import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from '../../platform/http/route-deps.js'

/** RCPCH-compatible growth calculation API under /api/growth (registered with that prefix). */
export function growthApi(_deps: RouteDeps): FastifyPluginAsync {
  return async () => {}
}
