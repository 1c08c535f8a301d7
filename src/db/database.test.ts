import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, testDatabaseKind } from '../../test/helpers/test-db.js'
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.js'
import type { DatabaseHandle } from './database.js'
import { migrate, migrationStatus, readMigrationFiles } from './migrate.js'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDb()
})
afterAll(async () => {
  await database.close()
})

describe(`migrations on ${testDatabaseKind}`, () => {
  it('are all applied, and running them again changes nothing', async () => {
    const status = await migrationStatus(database.db)
    expect(status.pending).toEqual([])
    expect(status.changed).toEqual([])
    expect(status.applied.map(row => row.version)).toEqual(readMigrationFiles().map(file => file.version))
    expect(await migrate(database.db)).toEqual([])
  })

  it('have unique four-digit prefixes and verb-object names', () => {
    const files = readMigrationFiles()
    expect(new Set(files.map(file => file.version)).size).toBe(files.length)
  })

  it('roll back as a whole when one fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-migrations-'))
    for (const file of readMigrationFiles()) {
      fs.writeFileSync(path.join(dir, `${file.version}_${file.name}.sql`), file.sql)
    }
    fs.writeFileSync(path.join(dir, '9998_create-probe.sql'), 'CREATE TABLE probe_ok (id int);')
    fs.writeFileSync(path.join(dir, '9999_break-things.sql'), 'CREATE TABLE probe_broken (id nonexistent_type);')
    await expect(migrate(database.db, readMigrationFiles(dir))).rejects.toThrow()
    const probe = await sql<{ name: string | null }>`SELECT to_regclass('probe_ok')::text AS name`.execute(database.db)
    expect(probe.rows[0]?.name).toBeNull()
    expect((await migrationStatus(database.db)).pending).toEqual([])
    fs.rmSync(dir, { recursive: true })
  })
})

describe(`type parsing on ${testDatabaseKind}`, () => {
  it('returns counts as numbers, dates as YYYY-MM-DD strings and timestamps as Dates on both databases', async () => {
    const result = await sql<{ n: number; d: string; t: Date; x: number }>`
      SELECT count(*) AS n, DATE '2024-02-29' AS d, now() AS t, 1.25::numeric AS x FROM roles`.execute(database.db)
    const row = result.rows[0]
    expect(typeof row?.n).toBe('number')
    expect(row?.d).toBe('2024-02-29')
    expect(row?.t).toBeInstanceOf(Date)
    expect(row?.x).toBe(1.25)
  })
})

describe('embedded database folder lock', () => {
  it('refuses a second process and takes over a lock left by a process that has gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-lock-'))
    const dataDir = path.join(dir, 'pglite')
    // A live process (this test runner's parent) holds the lock: refused with a clear message.
    fs.writeFileSync(`${dataDir}.lock`, String(process.ppid))
    expect(() => acquireDataDirLock(dataDir)).toThrow(DataDirLockedError)
    expect(() => acquireDataDirLock(dataDir)).toThrow(/in use by another Best Start process/)
    // A process id that cannot be running: the stale lock is taken over and released.
    fs.writeFileSync(`${dataDir}.lock`, '999999999')
    const lock = acquireDataDirLock(dataDir)
    expect(fs.readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid))
    lock.release()
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false)
    fs.rmSync(dir, { recursive: true })
  })
})
