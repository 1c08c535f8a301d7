import type { Insertable } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { Database } from '../../db/schema.js'

/** Reads and writes of the demo directory (demo-directory.ts). */

/** Inserts rows in batches that stay under PostgreSQL's parameter limit (`columns` per row). */
export async function insertBatched<T extends keyof Database>(
  db: DbOrTx,
  table: T,
  rows: Insertable<Database[T]>[],
  columns: number,
): Promise<void> {
  const size = Math.max(1, Math.floor(30_000 / columns))
  for (let start = 0; start < rows.length; start += size) {
    await db
      .insertInto(table)
      .values(rows.slice(start, start + size))
      .execute()
  }
}

/** The authority's postcodes with their positions, by postcode (at most 200,000). */
export async function listPostcodePoints(
  db: DbOrTx,
  laCode: string,
): Promise<{ postcode: string; latitude: number; longitude: number; la_code: string | null }[]> {
  return db
    .selectFrom('postcodes')
    .select(['postcode', 'latitude', 'longitude', 'la_code'])
    .where('la_code', '=', laCode)
    .orderBy('postcode')
    .limit(200_000)
    .execute()
}

/** Names of the authority's districts, by code. */
export async function listDistrictNames(db: DbOrTx, laCode: string): Promise<string[]> {
  return (await db.selectFrom('districts').select('name').where('la_code', '=', laCode).orderBy('code').execute()).map(
    row => row.name,
  )
}

/** The platform organisations with these ids, by name. */
export async function listPlatformOrganisations(
  db: DbOrTx,
  ids: string[],
): Promise<{ id: string; name: string; kind: string }[]> {
  return ids.length
    ? await db
        .selectFrom('organisations')
        .select(['id', 'name', 'kind'])
        .where('id', 'in', ids)
        .orderBy('name')
        .execute()
    : []
}

/** Platform organisation id → its directory organisation's id, for those of these that already have one. */
export async function directoryOrganisationIdsFor(
  db: DbOrTx,
  organisationIds: string[],
): Promise<Map<string | null, string>> {
  const rows = await db
    .selectFrom('directory_organisations')
    .select(['id', 'organisation_id'])
    .where('organisation_id', 'in', organisationIds.length ? organisationIds : ['00000000-0000-0000-0000-000000000000'])
    .execute()
  return new Map(rows.map(row => [row.organisation_id, row.id]))
}

export async function directoryOrganisationExists(db: DbOrTx, id: string): Promise<boolean> {
  const row = await db.selectFrom('directory_organisations').select('id').where('id', '=', id).executeTakeFirst()
  return row !== undefined
}

export async function listNetworkSlugs(db: DbOrTx): Promise<string[]> {
  return (await db.selectFrom('directory_networks').select('slug').execute()).map(row => row.slug)
}

/** The start dates of the school terms already recorded for the authority. */
export async function listTermStarts(db: DbOrTx, laCode: string): Promise<string[]> {
  return (await db.selectFrom('directory_term_dates').select('starts_on').where('la_code', '=', laCode).execute()).map(
    row => row.starts_on,
  )
}
