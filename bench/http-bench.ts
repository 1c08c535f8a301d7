/**
 * `npm run bench`: starts the server on the demo county (embedded database) as a separate process and measures
 * /health, the start page, the sign-in page and a signed-in home page with autocannon on loopback.
 */
import { currentTotpCode } from '../src/platform/auth/totp.js'
import { demoTotpSecret } from '../src/features/demo/demo-users.js'
import { load, printTable, startServer } from './bench-server.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)

async function signInCookie(url: string): Promise<string> {
  const jar = new Map<string, string>()
  const keep = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const [name, ...rest] = (pair ?? '').split('=')
      if (name) {
        jar.set(name, rest.join('='))
      }
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const csrfOf = async (path: string) => {
    const page = await fetch(url + path, { headers: { cookie: cookie() } })
    keep(page)
    return /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  }
  const post = async (path: string, form: Record<string, string>) => {
    const token = await csrfOf(path)
    const response = await fetch(url + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...form }),
    })
    keep(response)
    return response
  }
  const email = 'health.visitor@northmoor.example'
  await post('/sign-in', { email, password: 'demo-password-2026' })
  const mfa = await post('/sign-in/mfa', { code: currentTotpCode(demoTotpSecret(email, 1)) })
  if (mfa.status !== 303 || mfa.headers.get('location') !== '/home') {
    throw new Error(`could not sign in for the benchmark (${String(mfa.status)})`)
  }
  return cookie()
}

const server = await startServer({ DEMO_MODE: 'true' }, 3999)
try {
  const cookie = await signInCookie(server.url)
  const results = []
  results.push(await load('GET /health', `${server.url}/health`, { connections, seconds }))
  results.push(await load('GET / (start page)', `${server.url}/`, { connections, seconds }))
  results.push(await load('GET /sign-in (form, CSRF token)', `${server.url}/sign-in`, { connections, seconds }))
  results.push(await load('GET /home (signed in)', `${server.url}/home`, { connections, seconds, headers: { cookie } }))
  console.log(
    `\nnode ${process.version}, ${String(seconds)} s per target, autocannon and the server on the same 2 cores`,
  )
  printTable(results)
} finally {
  await server.stop()
}
