/**
 * `npm run bench:directory`: the service directory at scale. Builds a directory of 10,000 services at 30,000 venues
 * (seedDemoDirectory at bench size) over a grid of postcodes, starts the server as its own process on it, and
 * measures with autocannon on loopback:
 *   - a bare Fastify JSON route (its own process), the ceiling to compare against;
 *   - the ORUK API's proximity query, GET /api/oruk/service_at_locations?postcode=…&proximity=5000 (postcodes rotate);
 *   - the HTML search page, GET /find-support?location=…&radius=5 (postcodes rotate), at 50 connections: after the
 *     warm-up these are repeated searches, answered from the page cache (ADR 0011);
 *   - the same page with every request a search not seen before (all 3,600 postcodes × distances and filters, in a
 *     shuffled order): each is a cache miss, so this is the cost of a search and a render;
 *   - the ORUK query with every request new, likewise.
 * p50 and p95 are computed from every response's latency (not autocannon's buckets).
 *
 * Environment: BENCH_SECONDS (default 10), BENCH_SERVICES (10000), BENCH_LOCATIONS (30000),
 * BENCH_DATABASE_URL (a PostgreSQL server to build a scratch database on; default the embedded PGlite).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { seedDemoDirectory } from '../src/features/service-directory/demo-directory.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const services = Number(process.env.BENCH_SERVICES ?? 10_000)
const locations = Number(process.env.BENCH_LOCATIONS ?? 30_000)
const laCode = 'E10000099'
const postgresUrl = process.env.BENCH_DATABASE_URL

interface Scenario {
  name: string
  connections: number
  requestsPerSecond: number
  p50: number
  p95: number
  p99: number
  errors: number
  non2xx: number
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) {
    return Number.NaN
  }
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 10) / 10
}

async function run(name: string, base: string, paths: string[], connections: number): Promise<Scenario> {
  const latencies: number[] = []
  let next = 0
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: request => {
          request.path = paths[next++ % paths.length] ?? '/'
          return request
        },
      },
    ],
  })
  // Without a callback, autocannon returns its tracker: an event emitter that is also a promise of the result.
  ;(
    instance as unknown as {
      on: (
        event: 'response',
        listener: (client: unknown, status: number, bytes: number, responseTime: number) => void,
      ) => void
    }
  ).on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime)
  })
  const result = await instance
  latencies.sort((a, b) => a - b)
  return {
    name,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors,
    non2xx: result.non2xx,
  }
}

function startProcess(args: string[], env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes(ready)) {
        resolve(child)
      }
    })
    child.once('exit', code => {
      reject(new Error(`${args.join(' ')} exited with ${String(code)}`))
    })
  })
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return
  }
  child.kill('SIGTERM')
  await new Promise(resolve => child.once('exit', resolve))
}

/** A grid of postcodes (NM1 1AA, …) about 500 m apart over the demo county, where the venues are built. */
function postcodeGrid(
  size: number,
): { postcode: string; latitude: number; longitude: number; la_code: string; lsoa_code: null }[] {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ'
  const rows = []
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const n = i * size + j
      const district = 1 + Math.floor(n / 4000)
      const within = n % 4000
      rows.push({
        postcode: `NM${String(district)} ${String(1 + Math.floor(within / 400))}${letters[Math.floor(within / 20) % 20] ?? 'A'}${letters[within % 20] ?? 'A'}`,
        latitude: 54.2 + (i - size / 2) * 0.0045,
        longitude: -2.1 + (j - size / 2) * 0.0075,
        la_code: laCode,
        lsoa_code: null,
      })
    }
  }
  return rows
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-directory-bench-'))
const dataDir = path.join(scratch, 'pglite')
let databaseName: string | undefined
let serverEnv: Record<string, string>
const children: ChildProcess[] = []
try {
  // 1. Build the directory.
  let target: Parameters<typeof openDatabase>[0]
  if (postgresUrl) {
    databaseName = `bs_directory_bench_${String(process.pid)}`
    const admin = new pg.Client({ connectionString: postgresUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${databaseName}`)
    await admin.end()
    const url = new URL(postgresUrl)
    url.pathname = `/${databaseName}`
    target = { kind: 'postgres', url: url.toString() }
    serverEnv = { DATABASE_URL: url.toString() }
  } else {
    target = { kind: 'pglite', dataDir }
    serverEnv = { PGLITE_DATA_DIR: dataDir }
  }
  const handle = await openDatabase(target)
  const started = performance.now()
  await migrate(handle.db)
  const grid = postcodeGrid(60)
  for (let i = 0; i < grid.length; i += 2000) {
    await handle.db
      .insertInto('postcodes')
      .values(grid.slice(i, i + 2000))
      .execute()
  }
  const orgIds: string[] = []
  for (const [name, kind] of [
    ['Northmoor County Council', 'local_authority'],
    ['Northmoor Community Health NHS Trust', 'nhs_trust'],
    ['Northmoor Family Friends', 'voluntary_organisation'],
    ['Little Acorns Nursery', 'school_nursery'],
  ] as const) {
    const row = await handle.db
      .insertInto('organisations')
      .values({ name, kind, la_code: laCode })
      .returning('id')
      .executeTakeFirstOrThrow()
    orgIds.push(row.id)
  }
  const summary = await seedDemoDirectory(handle.db, { seed: 1, scale: 3, laCode, orgIds, services, locations })
  await sql`ANALYZE`.execute(handle.db)
  const published = await handle.db
    .selectFrom('directory_services')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('workflow_status', '=', 'published')
    .executeTakeFirstOrThrow()
  console.log(
    `Directory built in ${((performance.now() - started) / 1000).toFixed(1)} s on ${postgresUrl ? 'PostgreSQL' : 'PGlite'}: ${String(summary.services)} services (${String(published.n)} published), ${String(summary.locations)} venues, ${String(summary.serviceAtLocations)} service-at-locations, ${String(summary.networks)} family hub networks, ${String(grid.length)} postcodes.`,
  )
  await handle.close()

  // 2. Start the app and a bare Fastify as separate processes.
  const appPort = 4101
  const barePort = 4102
  children.push(
    await startProcess(
      ['--import', 'tsx', 'src/server.ts'],
      {
        ...serverEnv,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_MODE: 'false',
        // On PostgreSQL the server runs as in production (templates compiled once, no development checks).
        ...(postgresUrl
          ? {
              NODE_ENV: 'production',
              SESSION_SECRET: 'bench-session-secret-0123456789abcdef0123456789',
              DATA_ENCRYPTION_KEY: 'bench-data-encryption-key-0123456789abcdef012345',
              PUBLIC_BASE_URL: 'https://bench.example',
              NOTIFY_API_KEY: 'bench-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000001',
            }
          : { NODE_ENV: 'development', PUBLIC_BASE_URL: `http://127.0.0.1:${String(appPort)}` }),
      },
      'is running at',
    ),
  )
  children.push(
    await startProcess(
      [
        '--input-type=module',
        '-e',
        `import Fastify from 'fastify'; const app = Fastify(); app.get('/', async () => ({ hello: 'world' })); await app.listen({ host: '127.0.0.1', port: ${String(barePort)} }); console.log('bare ready')`,
      ],
      {},
      'bare ready',
    ),
  )
  const appUrl = `http://127.0.0.1:${String(appPort)}`
  const bareUrl = `http://127.0.0.1:${String(barePort)}`
  // Postcodes from across the grid, so that requests are spread over the county (and no single answer is reused).
  const sample = grid.filter((_, i) => i % 37 === 0).map(row => encodeURIComponent(row.postcode))
  const api = sample.map(postcode => `/api/oruk/service_at_locations?postcode=${postcode}&proximity=5000&per_page=20`)
  const html = sample.map(postcode => `/find-support?location=${postcode}&radius=5`)
  // Searches never asked before: every postcode with several distances and filters, shuffled (a fixed seed).
  const variants = ['radius=5', 'radius=2', 'radius=10', 'radius=5&free=yes', 'radius=5&when=weekends&age=baby-0-1']
  const everyPostcode = grid.map(row => encodeURIComponent(row.postcode))
  let seed = 42
  const shuffled = <T>(items: T[]): T[] => {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      const j = seed % (i + 1)
      ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
    }
    return copy
  }
  const freshHtml = shuffled(
    everyPostcode.flatMap(postcode => variants.map(variant => `/find-support?location=${postcode}&${variant}`)),
  ).filter(url => !html.includes(url))
  const freshApi = shuffled(
    everyPostcode.flatMap(postcode =>
      [5000, 3000, 8000, 2000, 10000].map(
        metres => `/api/oruk/service_at_locations?postcode=${postcode}&proximity=${String(metres)}&per_page=20`,
      ),
    ),
  ).filter(url => !api.includes(url))
  for (const url of [api[0], html[0]]) {
    const response = await fetch(appUrl + (url ?? '/'))
    if (!response.ok) {
      throw new Error(`${url ?? ''} answered ${String(response.status)}`)
    }
    const body = await response.text()
    if (url === api[0]) {
      const page = JSON.parse(body) as { total_items: number }
      console.log(
        `Sample API answer: ${String(page.total_items)} service-at-locations within 5 km of ${decodeURIComponent(sample[0] ?? '')}.`,
      )
    }
  }
  // Warm up (JIT, the postcode and record caches, the database's pages): every URL once, then a short run.
  for (const url of [...api, ...html]) {
    await fetch(appUrl + url).then(response => response.arrayBuffer())
  }
  await run('warm-up', appUrl, [...api, ...html], 10).catch(() => undefined)

  const results: Scenario[] = []
  results.push(await run('bare Fastify JSON route', bareUrl, ['/'], 10))
  results.push(await run('ORUK service_at_locations, postcode + proximity', appUrl, api, 10))
  results.push(await run('bare Fastify JSON route', bareUrl, ['/'], 50))
  results.push(await run('ORUK service_at_locations, postcode + proximity', appUrl, api, 50))
  results.push(await run('HTML search page /find-support', appUrl, html, 50))
  results.push(await run('HTML search page, every request a new search', appUrl, freshHtml, 50))
  results.push(await run('ORUK service_at_locations, every request a new query', appUrl, freshApi, 50))

  console.log(
    `\nnode ${process.version}, ${String(os.cpus().length)} cores shared by autocannon, the app and the bare server (load average ${os
      .loadavg()
      .map(n => n.toFixed(1))
      .join(
        ' ',
      )}); ${String(seconds)} s per run; ${postgresUrl ? 'PostgreSQL, server in production mode' : 'PGlite (one connection), server in development mode'}`,
  )
  console.log('\n| target | connections | requests/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | vs bare (req/s) |')
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const r of results) {
    const bare = results.find(other => other.name === 'bare Fastify JSON route' && other.connections === r.connections)
    const ratio = bare && r !== bare ? `${((r.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)} %` : ''
    console.log(
      `| ${r.name} | ${String(r.connections)} | ${String(r.requestsPerSecond)} | ${String(r.p50)} | ${String(r.p95)} | ${String(r.p99)} | ${String(r.errors)} | ${String(r.non2xx)} | ${ratio} |`,
    )
  }
  const verdict = (r: Scenario | undefined, ok: (r: Scenario) => boolean) => (r && ok(r) ? 'met' : 'NOT met')
  const apiOk = (r: Scenario) => r.requestsPerSecond >= 1000 && r.p95 < 50
  const htmlOk = (r: Scenario) => r.p95 < 100
  const find = (prefix: string, connections: number) =>
    results.find(r => r.name.startsWith(prefix) && r.connections === connections)
  console.log(
    `\nTargets: JSON API ≥ 1000 req/s with p95 < 50 ms: ${verdict(find('ORUK service_at_locations, postcode', 10), apiOk)} at 10 connections, ${verdict(find('ORUK service_at_locations, postcode', 50), apiOk)} at 50, ${verdict(find('ORUK service_at_locations, every', 50), apiOk)} at 50 with every query new; search page p95 < 100 ms at 50 connections: ${verdict(find('HTML search page /find-support', 50), htmlOk)} for repeated searches, ${verdict(find('HTML search page, every', 50), htmlOk)} with every search new.`,
  )
} finally {
  for (const child of children) {
    await stop(child)
  }
  if (databaseName && postgresUrl) {
    const admin = new pg.Client({ connectionString: postgresUrl })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`)
    await admin.end()
  }
  fs.rmSync(scratch, { recursive: true, force: true })
}
