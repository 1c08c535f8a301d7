import crypto from 'node:crypto'
import fs from 'node:fs'
import pg from 'pg'
import { inject } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js'

/** Which database the suite runs on: PGlite (default) or the PostgreSQL server named by TEST_DATABASE_URL. */
export const testDatabaseKind: 'pglite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'

/**
 * A fresh, migrated database for one test file: an in-memory PGlite loaded from the migrated dump, or on
 * PostgreSQL a new database copied from the migrated template. close() throws it away.
 */
export async function createTestDb(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    const dump = fs.readFileSync(inject('pgliteDumpPath'))
    return openDatabase({ kind: 'pglite-memory', loadDataDir: new Blob([dump]) })
  }
  // Named after the run (the template's pid) so that a run's teardown drops only its own databases.
  const runId = inject('postgresTemplate').replace('bs_template_', '')
  const name = `bs_t_${runId}_${crypto.randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`)
  await admin.end()
  const target = new URL(url)
  target.pathname = `/${name}`
  const handle = await openDatabase({ kind: 'postgres', url: target.toString(), max: 4 })
  return {
    ...handle,
    close: async () => {
      await handle.close()
      const dropper = new pg.Client({ connectionString: url })
      await dropper.connect()
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await dropper.end()
    },
  }
}
