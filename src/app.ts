import path from 'node:path'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifyView from '@fastify/view'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify'
import nunjucks from 'nunjucks'
import type { Config } from './config.js'
import type { Db } from './db/database.js'
import { accountRoutes } from './features/accounts/account-routes.js'
import { adminRoutes } from './features/admin/admin-routes.js'
import { auditRoutes } from './features/audit-trail/audit-routes.js'
import { childHealthRoutes } from './features/child-health/child-health-routes.js'
import { growthApi } from './features/child-health/growth-api.js'
import { demoRoutes } from './features/demo/demo-routes.js'
import { familyRoutes } from './features/families/family-routes.js'
import { pageRoutes } from './features/pages/page-routes.js'
import { directoryRoutes } from './features/service-directory/directory-routes.js'
import { orukApi } from './features/service-directory/oruk-api.js'
import { registerAccessControl, type RouteDeclaration } from './platform/auth/access.js'
import type { Permission } from './platform/auth/permissions.js'
import { registerSessions } from './platform/auth/session.js'
import { DomainError } from './platform/errors.js'
import './platform/http/fastify-types.js'
import { auditContextOf } from './platform/http/request-context.js'
import { cachedPageOf, fillPage, placeholders, type Hole, type PageCache } from './platform/http/page-cache.js'
import { configureNunjucks, govukDist, publicDir, srcDir } from './web/nunjucks.js'

export interface AppDeps {
  config: Config
  db: Db
  logger: FastifyBaseLogger
}

export interface App {
  app: FastifyInstance
  routes: RouteDeclaration[]
}

interface NavigationItem {
  text: string
  href: string
  permission: Permission | undefined
}

const navigation: NavigationItem[] = [
  { text: 'Home', href: '/home', permission: 'home.read' },
  { text: 'Service directory', href: '/directory/manage', permission: 'directory.manage' },
  { text: 'Organisations', href: '/admin/organisations', permission: 'organisation.read' },
  { text: 'Users', href: '/admin/users', permission: 'user.read' },
  { text: 'Roles', href: '/admin/roles', permission: 'role.read' },
  { text: 'Audit trail', href: '/audit', permission: 'audit.read' },
  { text: 'Sent messages', href: '/demo/messages', permission: 'outbox.read' },
]

/** Builds the web application. Does no I/O: the database, config and outbox are passed in. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, db } = deps
  const secureCookies = config.production
  const app = Fastify({
    loggerInstance: deps.logger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  })
  const routes: RouteDeclaration[] = []

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': config.production ? [] : null,
      },
    },
    hsts: config.production ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  })
  await app.register(rateLimit, { global: false })
  await app.register(formbody, { bodyLimit: 256 * 1024 })
  await app.register(cookie, { secret: config.sessionSecret })
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'bs_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, signed: true },
    getToken: (request: FastifyRequest) => (request.body as Record<string, string> | undefined)?._csrf,
  })
  await app.register(fastifyStatic, {
    root: path.join(govukDist, 'govuk'),
    prefix: '/govuk/',
    allowedPath: staticAllowed,
  })
  await app.register(fastifyStatic, {
    root: path.join(govukDist, 'govuk/assets'),
    prefix: '/assets/',
    decorateReply: false,
    allowedPath: staticAllowed,
  })
  await app.register(fastifyStatic, {
    root: publicDir,
    prefix: '/public/',
    decorateReply: false,
    allowedPath: staticAllowed,
  })
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [srcDir, govukDist],
    // Templates are compiled once and cached; `npm run dev` restarts the process when one changes.
    production: true,
    options: { onConfigure: configureNunjucks, autoescape: true, throwOnUndefined: false },
  })

  /** What every page's layout needs: the brand, the user and navigation, and this response's CSRF token and nonces. */
  function layoutContext(reply: FastifyReply, holes: Record<Hole, string>): Record<string, unknown> {
    const request = reply.request
    const session = request.session?.stage === 'active' ? request.session : undefined
    return {
      serviceName: config.serviceName,
      authority: config.authority,
      demoMode: config.demoMode,
      user: session?.user,
      currentPath: request.url.split('?')[0],
      navigation: session
        ? navigation
            .filter(item => item.permission === undefined || session.permissions.has(item.permission))
            .map(item => ({ text: item.text, href: item.href, active: request.url.startsWith(item.href) }))
        : [],
      ...holes,
    }
  }
  function holeValues(reply: FastifyReply): Record<Hole, string> {
    const nonces = (reply as FastifyReply & { cspNonce: { script: string; style: string } }).cspNonce
    return { csrfToken: reply.generateCsrf(), cspNonce: nonces.script, styleNonce: nonces.style }
  }

  app.decorateReply('page', async function page(this: FastifyReply, template: string, context = {}) {
    const html = await this.viewAsync(template, { ...layoutContext(this, holeValues(this)), ...context })
    return this.type('text/html; charset=utf-8').send(html)
  })
  app.decorateReply(
    'cachedPage',
    async function cachedPage(
      this: FastifyReply,
      cache: PageCache,
      key: string,
      template: string,
      build: () => Promise<Record<string, unknown>>,
    ) {
      if (this.request.session) {
        // A signed-in page shows its user: never cached.
        return this.page(template, await build())
      }
      const hit = cache.get(key)
      if (hit) {
        return this.type('text/html; charset=utf-8').send(fillPage(hit, holeValues(this)))
      }
      const context = await build()
      if (this.statusCode !== 200) {
        return this.page(template, context)
      }
      const page = cachedPageOf(await this.viewAsync(template, { ...layoutContext(this, placeholders), ...context }))
      cache.set(key, page)
      return this.type('text/html; charset=utf-8').send(fillPage(page, holeValues(this)))
    },
  )
  app.decorateRequest('activeUser', function activeUser(this: FastifyRequest) {
    if (this.session?.stage !== 'active') {
      throw new Error('No active session: the route must declare an access rule that requires sign-in')
    }
    return this.session
  })
  app.decorateRequest('auditContext', function auditContext(this: FastifyRequest) {
    return auditContextOf(this)
  })

  registerSessions(app, { db, secureCookies })
  registerAccessControl(app, db, routes)
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'POST' && !request.url.startsWith('/api/')) {
      app.csrfProtection(request, reply, done)
    } else {
      done()
    }
  })
  app.addHook('onSend', async (request, reply) => {
    if (request.session && !request.url.startsWith('/public/')) {
      void reply.header('cache-control', 'no-store')
    }
  })

  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404)
    if (request.url.startsWith('/api/')) {
      return reply.send({ status: 404, message: 'Not found' })
    }
    return reply.page('web/views/not-found.njk', { title: 'Page not found' })
  })
  app.setErrorHandler(async (error: FastifyError, request, reply) => errorPage(error, request, reply, config))

  const routeDeps = { config, db }
  await app.register(pageRoutes(routeDeps))
  await app.register(accountRoutes(routeDeps))
  await app.register(adminRoutes(routeDeps))
  await app.register(auditRoutes(routeDeps))
  await app.register(familyRoutes(routeDeps))
  await app.register(demoRoutes(routeDeps))
  await app.register(directoryRoutes(routeDeps))
  await app.register(orukApi(routeDeps), { prefix: '/api/oruk' })
  await app.register(childHealthRoutes(routeDeps))
  await app.register(growthApi(routeDeps), { prefix: '/api/growth' })

  return { app, routes }
}

function staticAllowed(pathName: string): boolean {
  return !pathName.includes('..') && !pathName.endsWith('.map')
}

async function errorPage(error: FastifyError, request: FastifyRequest, reply: FastifyReply, config: Config) {
  const isApi = request.url.startsWith('/api/')
  if (error.code?.startsWith('FST_CSRF')) {
    reply.code(403)
    return reply.page('web/views/error.njk', {
      title: 'Your form could not be sent',
      paragraphs: [
        'The form had expired, or it was not sent from this service. Nothing has been changed.',
        'Go back, reload the page and try again.',
      ],
    })
  }
  if (error.statusCode === 429) {
    reply.code(429)
    if (isApi) {
      return reply.send({ status: 429, message: 'Too many requests; try again in a minute' })
    }
    return reply.page('web/views/error.njk', {
      title: 'Too many attempts',
      paragraphs: ['You have tried too many times. Wait a minute, then try again.'],
    })
  }
  const status = error instanceof DomainError ? error.status : (error.statusCode ?? 500)
  if (status >= 500) {
    request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'request failed')
  }
  reply.code(status)
  if (isApi) {
    return reply.send({ status, message: status >= 500 ? 'Internal server error' : error.message })
  }
  if (status === 404) {
    return reply.page('web/views/not-found.njk', { title: 'Page not found' })
  }
  if (status === 403) {
    return reply.page('web/views/forbidden.njk', {
      title: 'You do not have permission to see this page',
      message: error.message,
    })
  }
  if (status >= 500) {
    return reply.page('web/views/error.njk', {
      title: 'Sorry, there is a problem with the service',
      paragraphs: [
        'Try again later. Anything you had not saved has not been saved.',
        config.production ? '' : `${error.name}: ${error.message}`,
      ].filter(Boolean),
      requestId: request.id,
    })
  }
  return reply.page('web/views/error.njk', { title: 'There is a problem', paragraphs: [error.message] })
}
