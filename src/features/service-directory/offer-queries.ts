import { sql, type Selectable } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { DirectoryTables } from './directory-tables.js'

/** Reads behind the Start for Life offer pages (/start-for-life and one family hub network's page). */

export type NetworkRow = Selectable<DirectoryTables['directory_networks']>
export type NetworkSiteRow = Selectable<DirectoryTables['directory_locations']>

/** The authority's family hub networks, by name. */
export async function listNetworks(db: DbOrTx, laCode: string): Promise<Pick<NetworkRow, 'id' | 'name' | 'slug'>[]> {
  return db
    .selectFrom('directory_networks')
    .select(['id', 'name', 'slug'])
    .where('la_code', '=', laCode)
    .orderBy('name')
    .execute()
}

/** Published services with a venue in the authority (or in one of its networks), by name: at most 1,000. */
export async function listOfferServiceIds(db: DbOrTx, laCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('directory_services as s')
    .select('s.id')
    .where('s.workflow_status', '=', 'published')
    .where(eb =>
      eb.exists(
        eb
          .selectFrom('directory_service_at_locations as sal')
          .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
          .leftJoin('directory_networks as n', 'n.id', 'l.network_id')
          .select(sql.lit(1).as('one'))
          .whereRef('sal.service_id', '=', 's.id')
          .where(eb => eb.or([eb('l.la_code', '=', laCode), eb('n.la_code', '=', laCode)])),
      ),
    )
    .orderBy('s.name')
    .limit(1000)
    .execute()
  return rows.map(row => row.id)
}

export async function findNetworkBySlug(db: DbOrTx, slug: string): Promise<NetworkRow | undefined> {
  return db.selectFrom('directory_networks').selectAll().where('slug', '=', slug).executeTakeFirst()
}

/** A network's venues: the hub, then spokes, outreach venues and the online offer; by name within each. */
export async function listNetworkSites(db: DbOrTx, networkId: string): Promise<NetworkSiteRow[]> {
  return db
    .selectFrom('directory_locations')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy(sql`array_position(array['hub','spoke','outreach','online']::text[], site_role)`)
    .orderBy('name')
    .execute()
}

/** Published services at any of a network's venues. */
export async function listNetworkServiceIds(db: DbOrTx, networkId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_service_at_locations as sal', 'sal.service_id', 's.id')
    .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
    .select('s.id')
    .distinct()
    .where('s.workflow_status', '=', 'published')
    .where('l.network_id', '=', networkId)
    .execute()
  return rows.map(row => row.id)
}

/**
 * A family hub's postcode (one the postcode table knows) and town in the authority, never a confidential venue's, for
 * the search form's hint.
 */
export async function exampleHubAddress(
  db: DbOrTx,
  laCode: string,
): Promise<{ postcode: string | null; town: string | null } | undefined> {
  const row = await db
    .selectFrom('directory_locations as l')
    .innerJoin('directory_networks as n', 'n.id', 'l.network_id')
    .leftJoin('postcodes as p', 'p.postcode', 'l.postal_code')
    .select(['p.postcode', 'l.city'])
    .where('n.la_code', '=', laCode)
    .where('l.site_role', '=', 'hub')
    .where('l.confidential', '=', false)
    .orderBy(sql`p.postcode IS NULL`)
    .orderBy('n.name')
    .limit(1)
    .executeTakeFirst()
  return row ? { postcode: row.postcode, town: row.city } : undefined
}
