import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from '../../platform/http/route-deps.js'

/** Open Referral UK 3.0 API under /api/oruk (registered with that prefix). */
export function orukApi(_deps: RouteDeps): FastifyPluginAsync {
  return async () => {}
}
