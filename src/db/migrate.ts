import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Db } from './database.js'

export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url))

export interface MigrationFile {
  version: string
  name: string
  sql: string
  checksum: string
}

export interface MigrationStatus {
  applied: { version: string; name: string; appliedAt: Date }[]
  pending: MigrationFile[]
  changed: string[]
}

const namePattern = /^(\d{4})_([a-z0-9-]+)\.sql$/

/** Reads migrations/NNNN_verb-object.sql in order. Throws if a prefix is used twice. */
export function readMigrationFiles(dir = migrationsDir): MigrationFile[] {
  const files = fs
    .readdirSync(dir)
    .filter(file => file.endsWith('.sql'))
    .sort()
  const seen = new Set<string>()
  return files.map(file => {
    const match = namePattern.exec(file)
    if (!match?.[1] || !match[2]) {
      throw new Error(`Migration file ${file} is not named NNNN_verb-object.sql`)
    }
    if (seen.has(match[1])) {
      throw new Error(`Migration number ${match[1]} is used twice`)
    }
    seen.add(match[1])
    const text = fs.readFileSync(path.join(dir, file), 'utf8')
    return { version: match[1], name: match[2], sql: text, checksum: sha256(text) }
  })
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex')
}

async function ensureMigrationsTable(db: Db): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db)
}

export async function migrationStatus(db: Db, files = readMigrationFiles()): Promise<MigrationStatus> {
  await ensureMigrationsTable(db)
  const rows = await db.selectFrom('schema_migrations').selectAll().orderBy('version').execute()
  const byVersion = new Map(rows.map(row => [row.version, row]))
  return {
    applied: rows.map(row => ({ version: row.version, name: row.name, appliedAt: row.applied_at })),
    pending: files.filter(file => !byVersion.has(file.version)),
    changed: files
      .filter(file => {
        const row = byVersion.get(file.version)
        return row !== undefined && row.checksum !== file.checksum
      })
      .map(file => `${file.version}_${file.name}`),
  }
}

/** One query for /health: are exactly the shipped migrations applied? */
export async function migrationsCurrent(db: Db, files: MigrationFile[]): Promise<boolean> {
  const row = await db
    .selectFrom('schema_migrations')
    .select([eb => eb.fn.countAll<number>().as('n'), eb => eb.fn.max('version').as('latest')])
    .executeTakeFirstOrThrow()
  return row.n === files.length && row.latest === (files.at(-1)?.version ?? null)
}

/**
 * Applies pending migrations in one transaction, under an advisory lock so that two processes starting together
 * cannot both apply them. Safe to run twice: applied versions are recorded in schema_migrations.
 */
export async function migrate(db: Db, files = readMigrationFiles()): Promise<string[]> {
  await ensureMigrationsTable(db)
  return db.transaction().execute(async trx => {
    await sql`SELECT pg_advisory_xact_lock(4242001)`.execute(trx)
    const applied = new Set(
      (await trx.selectFrom('schema_migrations').select('version').execute()).map(row => row.version),
    )
    const done: string[] = []
    for (const file of files) {
      if (applied.has(file.version)) {
        continue
      }
      await sql.raw(file.sql).execute(trx)
      await trx
        .insertInto('schema_migrations')
        .values({ version: file.version, name: file.name, checksum: file.checksum })
        .execute()
      done.push(`${file.version}_${file.name}`)
    }
    return done
  })
}
