import type { DbOrTx } from '../../db/database.js'

/** The next page of published service ids, in id order after `after` (keyset paging for the export). */
export async function listPublishedServiceIds(db: DbOrTx, after: string | undefined, limit: number): Promise<string[]> {
  let query = db.selectFrom('directory_services').select('id').where('workflow_status', '=', 'published')
  if (after) {
    query = query.where('id', '>', after)
  }
  return (await query.orderBy('id').limit(limit).execute()).map(row => row.id)
}
