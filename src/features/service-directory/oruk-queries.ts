import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

/** Directory organisations with at least one published service (the ORUK API's /organizations). */
function publishingOrganisations(db: DbOrTx) {
  return db
    .selectFrom('directory_organisations as o')
    .where(eb =>
      eb.exists(
        eb
          .selectFrom('directory_services as s')
          .select(sql.lit(1).as('one'))
          .whereRef('s.directory_organisation_id', '=', 'o.id')
          .where('s.workflow_status', '=', 'published'),
      ),
    )
}

/** How many organisations have at least one published service. */
export async function countPublishingOrganisations(db: DbOrTx): Promise<number> {
  return (
    (
      await publishingOrganisations(db)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst()
    )?.n ?? 0
  )
}

/** One page of the organisations with a published service, by name. */
export async function listPublishingOrganisationIds(
  db: DbOrTx,
  page: { limit: number; offset: number },
): Promise<string[]> {
  const rows = await publishingOrganisations(db)
    .select('o.id')
    .orderBy('o.name')
    .orderBy('o.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return rows.map(row => row.id)
}

/** Whether the organisation has at least one published service (only those are in the API). */
export async function hasPublishedService(db: DbOrTx, directoryOrganisationId: string): Promise<boolean> {
  const published = await db
    .selectFrom('directory_services')
    .select('id')
    .where('directory_organisation_id', '=', directoryOrganisationId)
    .where('workflow_status', '=', 'published')
    .limit(1)
    .executeTakeFirst()
  return published !== undefined
}
