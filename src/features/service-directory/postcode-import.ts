import { pipeline, type Readable } from 'node:stream'
import { parse } from 'csv-parse'
import type { Db, DbOrTx } from '../../db/database.js'
import { ValidationError } from '../../platform/errors.js'
import { upsertPostcodes, type PostcodeRow } from './postcode-store.js'
import { normalisePostcode } from './postcodes.js'

/** Header names accepted for each column: the ONS Postcode Directory's (ONSPD), then plain ones. */
const columnNames = {
  postcode: ['pcds', 'pcd', 'pcd2', 'pcd7', 'pcd8', 'postcode'],
  latitude: ['lat', 'latitude'],
  longitude: ['long', 'lon', 'lng', 'longitude'],
  lsoa: ['lsoa21cd', 'lsoa21', 'lsoa11cd', 'lsoa11', 'lsoa_code', 'lsoa'],
  la: [
    'oslaua',
    'lad25cd',
    'lad24cd',
    'lad23cd',
    'lad22cd',
    'lad21cd',
    'laua',
    'la_code',
    'local_authority_code',
    'local_authority',
  ],
  terminated: ['doterm'],
} as const

export interface PostcodeImportResult {
  rows: number
  imported: number
  skipped: { invalidPostcode: number; noCoordinates: number; terminated: number }
  /** The first problems, by line of the file (line 1 is the header). */
  problems: { line: number; message: string }[]
  seconds: number
}

/** The first of `names` (in order of preference) that the header has. */
function findColumn(header: string[], names: readonly string[]): number {
  for (const name of names) {
    const index = header.indexOf(name)
    if (index >= 0) {
      return index
    }
  }
  return -1
}

/**
 * Loads a postcode file in the ONS Postcode Directory format into the postcodes table: postcode, latitude,
 * longitude, LSOA and local authority code, upserted in batches as the file streams in, so that memory stays flat
 * for the full 2.7 million rows. Terminated postcodes and ones without coordinates (ONSPD gives 99.999999) are
 * skipped; a malformed postcode is skipped and reported with its line.
 */
export async function importPostcodes(
  db: Db,
  input: Readable,
  options: { includeTerminated?: boolean; batchSize?: number; onProgress?: (rows: number) => void } = {},
): Promise<PostcodeImportResult> {
  const started = performance.now()
  const batchSize = options.batchSize ?? 10_000
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true })
  // pipeline (unlike pipe) passes a read error on: the parser ends with it, and the loop below throws it (even if it
  // came before the loop started), so the transaction rolls back instead of waiting for ever.
  pipeline(input, parser, () => undefined)
  const result: PostcodeImportResult = {
    rows: 0,
    imported: 0,
    skipped: { invalidPostcode: 0, noCoordinates: 0, terminated: 0 },
    problems: [],
    seconds: 0,
  }
  let columns: Record<keyof typeof columnNames, number> | undefined
  let batch = new Map<string, PostcodeRow>()
  let line = 0
  const problem = (message: string) => {
    if (result.problems.length < 50) {
      result.problems.push({ line, message })
    }
  }
  const flush = async (db: DbOrTx) => {
    if (!batch.size) {
      return
    }
    const rows = [...batch.values()]
    batch = new Map()
    await upsertPostcodes(db, rows)
    result.imported += rows.length
  }
  // One transaction for the whole file: all or nothing (a file that fails half-way changes nothing), and one commit
  // instead of one per batch.
  await db.transaction().execute(async trx => {
    for await (const record of parser as AsyncIterable<string[]>) {
      line++
      if (!columns) {
        const header = record.map(name => name.trim().toLowerCase())
        const found = Object.fromEntries(
          Object.entries(columnNames).map(([key, names]) => [key, findColumn(header, names)]),
        ) as Record<keyof typeof columnNames, number>
        const missing = (['postcode', 'latitude', 'longitude'] as const).filter(key => found[key] < 0)
        if (missing.length) {
          throw new ValidationError(
            `The file has no ${missing.join(', ')} column. Expected the ONS Postcode Directory header (pcds, lat, long, lsoa21, oslaua) or postcode, latitude, longitude, lsoa_code, la_code; found: ${header.slice(0, 12).join(', ')}`,
          )
        }
        columns = found
        continue
      }
      result.rows++
      const text = (index: number): string => (index >= 0 ? (record[index] ?? '').trim() : '')
      if (!options.includeTerminated && text(columns.terminated) !== '') {
        result.skipped.terminated++
        continue
      }
      const raw = text(columns.postcode)
      const postcode = normalisePostcode(raw)
      if (!postcode) {
        result.skipped.invalidPostcode++
        problem(`"${raw.slice(0, 20)}" is not a valid UK postcode (expected something like NM1 1AA)`)
        continue
      }
      const latitude = Number(text(columns.latitude))
      const longitude = Number(text(columns.longitude))
      if (
        text(columns.latitude) === '' ||
        !Number.isFinite(latitude) ||
        !Number.isFinite(longitude) ||
        latitude < 49 ||
        latitude > 61 ||
        longitude < -9 ||
        longitude > 3
      ) {
        result.skipped.noCoordinates++
        continue
      }
      batch.set(postcode, {
        postcode,
        latitude,
        longitude,
        lsoa_code: text(columns.lsoa) || null,
        la_code: text(columns.la) || null,
      })
      if (batch.size >= batchSize) {
        await flush(trx)
        options.onProgress?.(result.rows)
      }
    }
    if (!columns) {
      throw new ValidationError('The file is empty: expected a header row and one row per postcode')
    }
    await flush(trx)
  })
  result.seconds = (performance.now() - started) / 1000
  return result
}
