import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from '../../platform/http/route-deps.js'

/** The digital red book: child health record pages for practitioners and parents. */
export function childHealthRoutes(_deps: RouteDeps): FastifyPluginAsync {
  return async () => {}
}
