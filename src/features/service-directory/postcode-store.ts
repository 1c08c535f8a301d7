import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

/** Reads and writes of the postcode table, and the look-ups that place a search (postcodes.ts resolves them). */

export function findPostcodeRow(db: DbOrTx, postcode: string) {
  return db
    .selectFrom('postcodes')
    .select(['postcode', 'latitude', 'longitude', 'la_code'])
    .where('postcode', '=', postcode)
    .executeTakeFirst()
}

/** The centre of the postcodes of an outward code (NM1), with how many there are. */
export function outcodeCentre(db: DbOrTx, outcode: string) {
  return db
    .selectFrom('postcodes')
    .select(eb => [
      eb.fn.avg<number>('latitude').as('latitude'),
      eb.fn.avg<number>('longitude').as('longitude'),
      eb.fn.max('la_code').as('la_code'),
      eb.fn.countAll<number>().as('n'),
    ])
    .where('postcode', 'like', `${outcode} %`)
    .executeTakeFirst()
}

/** A district by name (any case), at the centre of its small areas. */
export function districtCentre(db: DbOrTx, lowerCaseName: string) {
  return db
    .selectFrom('districts as d')
    .innerJoin('small_areas as a', 'a.district_code', 'd.code')
    .select(eb => [
      'd.name',
      'd.la_code',
      eb.fn.avg<number>('a.latitude').as('latitude'),
      eb.fn.avg<number>('a.longitude').as('longitude'),
    ])
    .where(sql`lower(d.name)`, '=', lowerCaseName)
    .groupBy(['d.code', 'd.name', 'd.la_code'])
    .executeTakeFirst()
}

/** A small area by name (any case). */
export function smallAreaByName(db: DbOrTx, lowerCaseName: string) {
  return db
    .selectFrom('small_areas')
    .select(['name', 'latitude', 'longitude', 'la_code'])
    .where(sql`lower(name)`, '=', lowerCaseName)
    .orderBy('code')
    .executeTakeFirst()
}

/** A town by name (any case), at the centre of the directory's venues there (never a confidential one). */
export function townCentre(db: DbOrTx, lowerCaseName: string) {
  return db
    .selectFrom('directory_locations')
    .select(eb => [
      eb.fn.min('city').as('city'),
      eb.fn.avg<number>('latitude').as('latitude'),
      eb.fn.avg<number>('longitude').as('longitude'),
      eb.fn.max('la_code').as('la_code'),
      eb.fn.count<number>('latitude').as('n'),
    ])
    .where(sql`lower(city)`, '=', lowerCaseName)
    .where('latitude', 'is not', null)
    .where('confidential', '=', false)
    .executeTakeFirst()
}

/** A family hub network by name (any case, with or without "family hub"), at its hub. */
export function networkHubByName(db: DbOrTx, lowerCaseName: string) {
  return db
    .selectFrom('directory_networks as n')
    .innerJoin('directory_locations as l', 'l.network_id', 'n.id')
    .select(['n.name', 'n.la_code', 'l.latitude', 'l.longitude'])
    .where(eb =>
      eb.or([eb(sql`lower(n.name)`, '=', lowerCaseName), eb(sql`lower(n.name)`, '=', `${lowerCaseName} family hub`)]),
    )
    .where('l.site_role', '=', 'hub')
    .where('l.latitude', 'is not', null)
    .where('l.confidential', '=', false)
    .executeTakeFirst()
}

export interface PostcodeRow {
  postcode: string
  latitude: number
  longitude: number
  lsoa_code: string | null
  la_code: string | null
}

/**
 * Inserts or updates postcodes: one statement with five array parameters (unnest), rather than five parameters a
 * row, so the database parses and plans a short statement and the driver sends five values, not tens of thousands.
 */
export async function upsertPostcodes(db: DbOrTx, rows: PostcodeRow[]): Promise<void> {
  await sql`
    INSERT INTO postcodes (postcode, latitude, longitude, lsoa_code, la_code)
    SELECT * FROM unnest(
      ${rows.map(row => row.postcode)}::text[],
      ${rows.map(row => row.latitude)}::float8[],
      ${rows.map(row => row.longitude)}::float8[],
      ${rows.map(row => row.lsoa_code)}::text[],
      ${rows.map(row => row.la_code)}::text[])
    ON CONFLICT (postcode) DO UPDATE SET
      latitude = excluded.latitude,
      longitude = excluded.longitude,
      lsoa_code = excluded.lsoa_code,
      la_code = excluded.la_code`.execute(db)
}
