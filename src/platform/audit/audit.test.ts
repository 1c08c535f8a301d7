import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../db/database.js'
import { createTestDb, testDatabaseKind } from '../../../test/helpers/test-db.js'
import { recordAuditEvent } from './audit.js'

let database: DatabaseHandle
beforeAll(async () => {
  database = await createTestDb()
})
afterAll(async () => {
  await database.close()
})

const context = { actor: undefined, request: { requestId: 'r-1', ip: '127.0.0.1', userAgent: 'test' } }

describe(`audit trail on ${testDatabaseKind}`, () => {
  it('is written with the transaction it records, and vanishes with it on rollback', async () => {
    await expect(
      database.db.transaction().execute(async trx => {
        await recordAuditEvent(trx, context, {
          action: 'family-record.read',
          outcome: 'allowed',
          subject: { type: 'family', id: 'rolled-back' },
        })
        throw new Error('the access failed')
      }),
    ).rejects.toThrow('the access failed')
    await database.db.transaction().execute(trx =>
      recordAuditEvent(trx, context, {
        action: 'family-record.read',
        outcome: 'denied',
        subject: { type: 'family', id: 'kept' },
      }),
    )
    const rows = await database.db.selectFrom('audit_events').select(['subject_id', 'outcome', 'request_id']).execute()
    expect(rows).toEqual([{ subject_id: 'kept', outcome: 'denied', request_id: 'r-1' }])
  })

  it('cannot be updated, deleted or truncated, even by the database owner', async () => {
    await recordAuditEvent(database.db, context, { action: 'auth.sign-in', outcome: 'allowed' })
    await expect(sql`UPDATE audit_events SET outcome = 'denied'`.execute(database.db)).rejects.toThrow(/insert-only/)
    await expect(sql`DELETE FROM audit_events`.execute(database.db)).rejects.toThrow(/insert-only/)
    await expect(sql`TRUNCATE audit_events`.execute(database.db)).rejects.toThrow(/insert-only/)
    const count = await database.db
      .selectFrom('audit_events')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(count.n).toBe(2)
  })

  it('rejects an action that is not named resource.action', async () => {
    await expect(
      recordAuditEvent(database.db, context, { action: 'Viewed Record', outcome: 'allowed' }),
    ).rejects.toThrow()
  })
})

describe.runIf(testDatabaseKind === 'postgres')('the application role on PostgreSQL', () => {
  it('has no UPDATE or DELETE privilege on audit_events once granted only what the app needs', async () => {
    const role = `bs_app_${String(Date.now())}`
    await sql.raw(`CREATE ROLE ${role} NOLOGIN`).execute(database.db)
    try {
      await sql.raw(`GRANT SELECT, INSERT ON audit_events TO ${role}`).execute(database.db)
      await sql.raw(`GRANT USAGE ON SEQUENCE audit_events_id_seq TO ${role}`).execute(database.db)
      await database.db.transaction().execute(async trx => {
        await sql.raw(`SET LOCAL ROLE ${role}`).execute(trx)
        await recordAuditEvent(trx, context, { action: 'auth.sign-in', outcome: 'allowed' })
        await expect(sql`SAVEPOINT s; UPDATE audit_events SET reason = 'x'`.execute(trx)).rejects.toThrow(
          /permission denied|insert-only/,
        )
      })
    } finally {
      await sql.raw(`DROP OWNED BY ${role}`).execute(database.db)
      await sql.raw(`DROP ROLE ${role}`).execute(database.db)
    }
  })
})
