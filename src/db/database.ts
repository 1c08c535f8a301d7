import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database as Schema } from './schema.js'
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js'

export type Db = Kysely<Schema>
export type Tx = Transaction<Schema>
/** Either the database or an open transaction: store functions accept both. */
export type DbOrTx = Db | Tx

// One rule for both drivers: bigint and numeric become numbers, date stays 'YYYY-MM-DD', timestamptz a Date.
pg.types.setTypeParser(pg.types.builtins.INT8, value => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, value => Number(value))
pg.types.setTypeParser(pg.types.builtins.DATE, value => value)

export interface DatabaseHandle {
  db: Db
  kind: 'pglite' | 'postgres'
  close: () => Promise<void>
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; max?: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob }

/**
 * Opens the database through one code path (Kysely over node-postgres). The embedded PGlite database is
 * plugged in through its in-process node-postgres adapter; a data folder is locked against a second process.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.max ?? 10 })
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Nothing to log that could carry data.
    })
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  let lock: DataDirLock | undefined
  let lite: PGlite
  if (target.kind === 'pglite') {
    fs.mkdirSync(path.dirname(target.dataDir), { recursive: true })
    lock = acquireDataDirLock(target.dataDir)
    try {
      lite = await PGlite.create(target.dataDir)
    } catch (error) {
      lock.release()
      throw error
    }
  } else {
    lite = await PGlite.create(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {})
  }
  const pool = new pg.Pool(createPgConfig(lite))
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy()
      await lite.close()
      lock?.release()
    },
  }
}
