import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { registerManageRoutes } from './manage-routes.js'
import { registerPublicRoutes } from './public-routes.js'
import { registerTermDateRoutes } from './term-dates-routes.js'
import { registerWhereAndWhenRoutes } from './where-and-when-routes.js'

/** Public directory search, service pages, Start for Life offer, shortlist, and directory management pages. */
export function directoryRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async app => {
    registerPublicRoutes(app, deps)
    registerManageRoutes(app, deps)
    registerWhereAndWhenRoutes(app, deps)
    registerTermDateRoutes(app, deps)
  }
}
