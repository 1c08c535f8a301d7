import type { FastifyPluginAsync } from 'fastify'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { registerOrganisationRoutes } from './organisation-routes.js'
import { registerRoleRoutes } from './role-routes.js'
import { registerUserRoutes } from './user-routes.js'

/** The system administrator's pages: organisations and teams, user accounts, roles and their permissions. */
export function adminRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async app => {
    registerOrganisationRoutes(app, deps)
    registerUserRoutes(app, deps)
    registerRoleRoutes(app, deps)
  }
}
