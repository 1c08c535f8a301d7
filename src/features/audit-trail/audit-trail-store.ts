import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

/** The id of the account with this email address (any case), to search the audit trail by email. */
export async function findUserIdByEmail(db: DbOrTx, email: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
  return row?.id
}
