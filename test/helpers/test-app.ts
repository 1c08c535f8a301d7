import pino from 'pino'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { createApp, type App } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import type { Db } from '../../src/db/database.js'
import { currentTotpCode } from '../../src/platform/auth/totp.js'
import type { TestUser } from '../builders/users.js'

export const testConfig: Config = loadConfig({ NODE_ENV: 'test', DEMO_MODE: 'false', LOG_LEVEL: 'silent' })

export async function createTestApp(db: Db, config: Partial<Config> = {}): Promise<App> {
  const app = await createApp({ config: { ...testConfig, ...config }, db, logger: pino({ level: 'silent' }) })
  await app.app.ready()
  return app
}

/** A browser-like cookie jar for app.inject(): keeps what Set-Cookie says, sends it back. */
export class Browser {
  private cookies = new Map<string, string>()
  constructor(readonly app: FastifyInstance) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  private keep(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.maxAge === 0) {
        this.cookies.delete(cookie.name)
      } else {
        this.cookies.set(cookie.name, cookie.value)
      }
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } })
    this.keep(response)
    return response
  }

  /**
   * Posts a form the way a browser does: with the CSRF token of the page the form is on, and a field given as an
   * array sent once per value (ticked checkboxes).
   */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    options: { csrfFrom?: string; csrf?: string } = {},
  ): Promise<LightMyRequestResponse> {
    const token = options.csrf ?? csrfTokenOf((await this.get(options.csrfFrom ?? url)).body)
    const payload = new URLSearchParams({ _csrf: token })
    for (const [name, value] of Object.entries(form)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        payload.append(name, item)
      }
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: payload.toString(),
    })
    this.keep(response)
    return response
  }
}

export function csrfTokenOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match?.[1]) {
    throw new Error('No CSRF token on the page')
  }
  return match[1]
}

/** Signs a test user in through the real pages (password, then the current TOTP code). */
export async function signIn(app: FastifyInstance, user: TestUser): Promise<Browser> {
  const browser = new Browser(app)
  const signInPath = user.roleCode === 'parent' ? '/parent/sign-in' : '/sign-in'
  const first = await browser.post(signInPath, { email: user.email, password: user.password })
  if (first.statusCode !== 303) {
    throw new Error(`Sign-in failed with ${String(first.statusCode)}`)
  }
  if (first.headers.location?.startsWith('/sign-in/mfa') && user.totpSecret) {
    const second = await browser.post('/sign-in/mfa', { code: currentTotpCode(user.totpSecret) })
    if (second.statusCode !== 303) {
      throw new Error(`MFA failed with ${String(second.statusCode)}`)
    }
  }
  return browser
}
