/**
 * Seeds the demo county at a given scale and prints how long it took and the rows per second.
 *
 *   npx tsx bench/demo-seed-bench.ts [--scale N] [--seed S] [--data-dir DIR]
 *
 * With DATABASE_URL set it seeds that PostgreSQL database, which must be empty of demo data (migrations are applied
 * first); otherwise a fresh in-memory PGlite database, or a PGlite data folder with --data-dir (as `npm start` uses).
 */
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { openDatabase, type DatabaseHandle } from '../src/db/database.js'
import { migrate } from '../src/db/migrate.js'
import { insecureDefaults } from '../src/config.js'
import { seedDemo } from '../src/features/demo/demo-seed.js'

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'data-dir': { type: 'string' },
  },
  strict: true,
})
const scale = Number(values.scale)
const seed = Number(values.seed)
if (!Number.isFinite(scale) || scale <= 0 || !Number.isInteger(seed)) {
  throw new Error('Usage: --scale N (a number greater than 0) --seed S (a whole number)')
}

const url = process.env.DATABASE_URL
const dataDir = values['data-dir']
const handle: DatabaseHandle = url
  ? await openDatabase({ kind: 'postgres', url, max: 4 })
  : dataDir
    ? await openDatabase({ kind: 'pglite', dataDir })
    : await openDatabase({ kind: 'pglite-memory' })
const target = url ? 'PostgreSQL' : dataDir ? `PGlite (${dataDir})` : 'PGlite (in memory)'

try {
  await migrate(handle.db)
  const heapBefore = process.memoryUsage().rss
  let peakRss = heapBefore
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 200)
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const summary = await seedDemo(handle.db, {
    scale,
    seed,
    laCode: 'E10000099',
    authorityName: 'Northmoor County Council',
    dataEncryptionKey: insecureDefaults.dataEncryptionKey,
  })
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  clearInterval(sampler)

  const tables = [
    'districts',
    'small_areas',
    'postcodes',
    'families',
    'people',
    'family_members',
    'eyfsp_results',
    'care_relationships',
  ] as const
  let rows = 0
  const counts: Record<string, number> = {}
  for (const table of tables) {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(handle.db)
    const n = result.rows[0]?.n ?? 0
    counts[table] = n
    rows += n
  }
  console.log(`Demo county, scale ${String(scale)}, seed ${String(seed)}, on ${target}`)
  console.log(
    `  ${seconds.toFixed(1)} s, ${String(rows)} rows, ${Math.round(rows / seconds).toLocaleString('en-GB')} rows/s`,
  )
  // On PGlite the database runs in this process, so its work is in this figure too; on a busy machine it is the
  // steadier measure of the two.
  console.log(`  ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU in this process`)
  console.log(`  peak resident memory ${String(Math.round(peakRss / 1e6))} MB`)
  console.log(
    `  ${String(summary.children)} children (${String(summary.eyfspResults)} with EYFSP results), ${String(summary.adults)} adults, ${String(summary.families)} families`,
  )
  for (const table of tables) {
    console.log(`  ${table.padEnd(20)} ${String(counts[table]).padStart(10)}`)
  }
} finally {
  await handle.close()
}
