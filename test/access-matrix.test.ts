import crypto from 'node:crypto'
import Fastify, { type LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteDeclaration } from '../src/platform/auth/access.js'
import { registerAccessControl, UndeclaredAccessError } from '../src/platform/auth/access.js'
import {
  allPermissions,
  allRoles,
  permissionsOf,
  type Permission,
  type RoleCode,
} from '../src/platform/auth/permissions.js'
import { aUser, type TestUser } from './builders/users.js'
import { Browser, createTestApp, csrfTokenOf, signIn } from './helpers/test-app.js'
import { createTestDb } from './helpers/test-db.js'

/**
 * Every route the app registers × every role, plus anonymous, checked against the access the route declares:
 *  - public: nobody gets 401 or 403;
 *  - signed in: anonymous is sent to sign in; every role gets in (GET);
 *  - a permission (or any of several): anonymous is sent to sign in; roles without it get 403 and an audit row
 *    (denied, action = the (first) permission); roles with it get in (GET; 404 is fine for the random id put in
 *    place of a path parameter).
 * POST (and other non-GET) routes are checked for anonymous and refused roles only, with a valid CSRF token, so
 * that the refusal is about access, not about CSRF; nothing is changed, because the access check comes first.
 */

const database = await createTestDb()
const { app, routes } = await createTestApp(database.db)

type Identity = RoleCode | 'anonymous'
interface Visitor {
  browser: Browser
  csrf: string
  user: TestUser | undefined
}
const visitors = new Map<Identity, Visitor>()
let grants = new Map<string, Set<string>>()

beforeAll(async () => {
  const rows = await database.db.selectFrom('role_permissions').select(['role_code', 'permission']).execute()
  grants = new Map(
    allRoles.map(role => [role, new Set(rows.filter(row => row.role_code === role).map(row => row.permission))]),
  )
  const anonymous = new Browser(app)
  visitors.set('anonymous', {
    browser: anonymous,
    csrf: csrfTokenOf((await anonymous.get('/sign-in')).body),
    user: undefined,
  })
  // One sign-in per role (a TOTP code works once per 30-second step per account).
  for (const role of allRoles) {
    const user = await aUser(database.db, { role })
    const browser = await signIn(app, user)
    const home = await browser.get('/home')
    if (home.statusCode !== 200) {
      throw new Error(`The ${role} test user could not sign in: GET /home answered ${String(home.statusCode)}`)
    }
    visitors.set(role, { browser, csrf: csrfTokenOf((await browser.get('/sign-in')).body), user })
  }
})
afterAll(async () => {
  await app.close()
  await database.close()
})

/** The routes to walk: no wildcard (static file) routes; HEAD is already left out of the declarations. */
const checkedRoutes = routes.filter(route => !route.url.includes('*'))

/** A URL for the route: each path parameter (:id, :code(^\d+)…) replaced with a random UUID. */
function concreteUrl(route: RouteDeclaration): string {
  return route.url.replace(/:[^/]+/g, () => crypto.randomUUID())
}

async function request(identity: Identity, route: RouteDeclaration): Promise<LightMyRequestResponse> {
  const visitor = visitors.get(identity)
  if (!visitor) {
    throw new Error(`No visitor for ${identity}`)
  }
  const url = concreteUrl(route)
  if (route.method === 'GET') {
    return visitor.browser.get(url)
  }
  return app.inject({
    method: route.method as 'POST',
    url,
    headers: { cookie: visitor.browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: visitor.csrf }).toString(),
  })
}

function describeResponse(identity: Identity, route: RouteDeclaration, response: LightMyRequestResponse): string {
  const location = response.headers.location ? ` → ${response.headers.location}` : ''
  return `${identity}: ${route.method} ${route.url} answered ${String(response.statusCode)}${location}`
}

function isSentToSignIn(response: LightMyRequestResponse): boolean {
  return response.statusCode === 303 && /^\/(parent\/)?sign-in(\?|$)/.test(response.headers.location ?? '')
}

/** Public routes: no 401 or 403 (a redirect is fine: /sign-in/mfa sends anyone not half-way through sign-in back). */
async function expectOpen(identity: Identity, route: RouteDeclaration): Promise<void> {
  const response = await request(identity, route)
  const what = describeResponse(identity, route, response)
  expect([401, 403], what).not.toContain(response.statusCode)
  expect(response.statusCode, `${what}: a server error`).toBeLessThan(500)
}

/**
 * Routes that need sign-in or a permission, for a role that has what they need. (A route declared signed-in that
 * refuses some roles itself should declare { anyPermission: [...] } instead, so the access check does it.)
 */
async function expectLetIn(role: RoleCode, route: RouteDeclaration): Promise<void> {
  const response = await request(role, route)
  const what = describeResponse(role, route, response)
  expect([401, 403], what).not.toContain(response.statusCode)
  expect(isSentToSignIn(response), `${what}: a signed-in user was sent to sign in`).toBe(false)
  expect(response.statusCode, `${what}: a server error`).toBeLessThan(500)
}

async function expectSentToSignIn(route: RouteDeclaration): Promise<void> {
  const response = await request('anonymous', route)
  expect(isSentToSignIn(response), describeResponse('anonymous', route, response)).toBe(true)
}

/** Denied audit rows the access check wrote for this user, permission and route. */
async function deniedAuditCount(user: TestUser, permission: Permission, route: RouteDeclaration): Promise<number> {
  const row = await database.db
    .selectFrom('audit_events')
    .select(eb => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', user.id)
    .where('outcome', '=', 'denied')
    .where('action', '=', permission)
    .where(sql<string>`details->>'route'`, '=', route.url)
    .where(sql<string>`details->>'method'`, '=', route.method)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function expectForbiddenAndAudited(
  role: RoleCode,
  permission: Permission,
  route: RouteDeclaration,
): Promise<void> {
  const user = visitors.get(role)?.user
  if (!user) {
    throw new Error(`No user for ${role}`)
  }
  const before = await deniedAuditCount(user, permission, route)
  const response = await request(role, route)
  expect(response.statusCode, describeResponse(role, route, response)).toBe(403)
  expect(
    await deniedAuditCount(user, permission, route),
    `${role}: ${route.method} ${route.url} refused without a denied audit row for ${permission}`,
  ).toBe(before + 1)
}

function holders(permissions: readonly Permission[]): RoleCode[] {
  return allRoles.filter(role => permissions.some(permission => grants.get(role)?.has(permission)))
}

function label(route: RouteDeclaration): string {
  const access = route.access
  const rule =
    'public' in access ? 'public' : 'signedIn' in access ? 'signed in' : `needs ${permissionsOf(access).join(' or ')}`
  return `${route.method} ${route.url} (${rule})`
}

describe('the route table', () => {
  it('has routes, each with a known access rule', () => {
    expect(checkedRoutes.length).toBeGreaterThan(10)
    for (const route of routes) {
      const access = route.access as Record<string, unknown>
      const known = (value: unknown) => typeof value === 'string' && (allPermissions as string[]).includes(value)
      const valid =
        access.public === true ||
        access.signedIn === true ||
        known(access.permission) ||
        (Array.isArray(access.anyPermission) && access.anyPermission.length > 0 && access.anyPermission.every(known))
      expect(valid, `${route.method} ${route.url} declares ${JSON.stringify(access)}`).toBe(true)
    }
  })

  it('asks only for permissions that some role holds (otherwise nobody could reach the route)', () => {
    for (const route of checkedRoutes) {
      const needed = permissionsOf(route.access)
      if (needed.length > 0) {
        expect(holders(needed), `${label(route)}: no role holds it`).not.toEqual([])
      }
    }
  })

  it('makes the app refuse to start when a route declares no access rule', async () => {
    const bare = Fastify({ logger: false })
    const declarations: RouteDeclaration[] = []
    registerAccessControl(bare, database.db, declarations)
    void bare.register(async plugin => {
      plugin.get('/declared', { config: { access: { public: true } } }, async () => 'ok')
      plugin.get('/undeclared', async () => 'oops')
    })
    const failure: unknown = await bare.ready().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(UndeclaredAccessError)
    expect((failure as Error).message).toBe('Route GET /undeclared declares no access rule')
    expect(declarations).toEqual([{ method: 'GET', url: '/declared', access: { public: true } }])
    await bare.close().catch(() => undefined)
  })
})

describe.each(checkedRoutes.map(route => ({ route, name: label(route) })))('$name', ({ route }) => {
  const isGet = route.method === 'GET'
  const access = route.access

  if ('public' in access) {
    it(isGet ? 'is open to anonymous visitors and every role' : 'is open to anonymous visitors', async () => {
      await expectOpen('anonymous', route)
      if (isGet) {
        for (const role of allRoles) {
          await expectOpen(role, route)
        }
      }
    })
    return
  }

  it('sends anonymous visitors to sign in', async () => {
    await expectSentToSignIn(route)
  })

  if ('signedIn' in access) {
    if (isGet) {
      it('lets every signed-in role in', async () => {
        for (const role of allRoles) {
          await expectLetIn(role, route)
        }
      })
    }
    return
  }

  const needed = permissionsOf(access)
  // The access check audits a refusal under the first permission the route names.
  const audited = needed[0] as Permission
  it(`refuses roles without ${needed.join(' or ')} with 403, and audits each refusal`, async () => {
    const allowed = holders(needed)
    for (const role of allRoles.filter(role => !allowed.includes(role))) {
      await expectForbiddenAndAudited(role, audited, route)
    }
  })
  if (isGet) {
    it(`lets roles with ${needed.join(' or ')} in`, async () => {
      for (const role of holders(needed)) {
        await expectLetIn(role, route)
      }
    })
  }
})
