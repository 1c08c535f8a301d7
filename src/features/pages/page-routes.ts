import type { FastifyPluginAsync } from 'fastify'
import { migrationsCurrent, readMigrationFiles } from '../../db/migrate.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { homePanelsFor } from './home-panels.js'

/** The start page, the statutory pages (accessibility, privacy, cookies), each role's home page and /health. */
export function pageRoutes({ config, db }: RouteDeps): FastifyPluginAsync {
  const migrationFiles = readMigrationFiles()
  return async app => {
    app.get('/', { config: { access: { public: true } } }, async (_request, reply) =>
      reply.page('features/pages/views/start.njk', { title: 'Support for families with children under 5' }),
    )
    app.get('/accessibility', { config: { access: { public: true } } }, async (_request, reply) =>
      reply.page('features/pages/views/accessibility.njk', { title: 'Accessibility statement' }),
    )
    app.get('/privacy', { config: { access: { public: true } } }, async (_request, reply) =>
      reply.page('features/pages/views/privacy.njk', { title: 'Privacy notice' }),
    )
    app.get('/cookies', { config: { access: { public: true } } }, async (_request, reply) =>
      reply.page('features/pages/views/cookies.njk', { title: 'Cookies' }),
    )
    app.get('/home', { config: { access: { permission: 'home.read' } } }, async (request, reply) => {
      const session = request.activeUser()
      return reply.page('features/pages/views/home.njk', {
        title: 'Home',
        panels: homePanelsFor(session.permissions),
      })
    })
    app.get('/health', { config: { access: { public: true } } }, async (_request, reply) => {
      try {
        const current = await migrationsCurrent(db, migrationFiles)
        reply.code(current ? 200 : 503).header('cache-control', 'no-store')
        return {
          status: current ? 'ok' : 'migrations-pending',
          database: 'ok',
          migrations: current ? 'current' : 'not current: run `beststart db migrate`',
          authority: config.authority.code,
        }
      } catch {
        reply.code(503).header('cache-control', 'no-store')
        return { status: 'database-unreachable', database: 'unreachable' }
      }
    })
  }
}
