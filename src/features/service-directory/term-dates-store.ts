import type { DbOrTx } from '../../db/database.js'

/** A school term (or half term) of a local authority. */
export interface SchoolTerm {
  id: string
  laCode: string
  name: string
  /** 'YYYY-MM-DD', both days inclusive. */
  startsOn: string
  endsOn: string
}

function toTerm(row: { id: string; la_code: string; name: string; starts_on: string; ends_on: string }): SchoolTerm {
  return { id: row.id, laCode: row.la_code, name: row.name, startsOn: row.starts_on, endsOn: row.ends_on }
}

export async function listTermDates(db: DbOrTx, laCode: string): Promise<SchoolTerm[]> {
  const rows = await db
    .selectFrom('directory_term_dates')
    .select(['id', 'la_code', 'name', 'starts_on', 'ends_on'])
    .where('la_code', '=', laCode)
    .orderBy('starts_on')
    .execute()
  return rows.map(toTerm)
}

export async function findTermDate(db: DbOrTx, id: string): Promise<SchoolTerm | undefined> {
  const row = await db
    .selectFrom('directory_term_dates')
    .select(['id', 'la_code', 'name', 'starts_on', 'ends_on'])
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toTerm(row) : undefined
}

/** Terms of the same area that share at least one day with starts..ends (other than `exceptId`). */
export async function listOverlappingTerms(
  db: DbOrTx,
  term: { laCode: string; startsOn: string; endsOn: string; exceptId?: string },
): Promise<SchoolTerm[]> {
  let query = db
    .selectFrom('directory_term_dates')
    .select(['id', 'la_code', 'name', 'starts_on', 'ends_on'])
    .where('la_code', '=', term.laCode)
    .where('starts_on', '<=', term.endsOn)
    .where('ends_on', '>=', term.startsOn)
  if (term.exceptId) {
    query = query.where('id', '<>', term.exceptId)
  }
  return (await query.orderBy('starts_on').execute()).map(toTerm)
}

export async function createTermDate(
  db: DbOrTx,
  term: { laCode: string; name: string; startsOn: string; endsOn: string },
): Promise<string> {
  const row = await db
    .insertInto('directory_term_dates')
    .values({ la_code: term.laCode, name: term.name, starts_on: term.startsOn, ends_on: term.endsOn })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateTermDate(
  db: DbOrTx,
  id: string,
  term: { name: string; startsOn: string; endsOn: string },
): Promise<void> {
  await db
    .updateTable('directory_term_dates')
    .set({ name: term.name, starts_on: term.startsOn, ends_on: term.endsOn, updated_at: new Date() })
    .where('id', '=', id)
    .execute()
}

export async function deleteTermDate(db: DbOrTx, id: string): Promise<void> {
  await db.deleteFrom('directory_term_dates').where('id', '=', id).execute()
}

/**
 * Serialises changes to one area's terms (so two admins cannot add overlapping terms at the same moment): a
 * transaction-scoped advisory lock on the area code.
 */
export async function lockTermDates(db: DbOrTx, laCode: string): Promise<void> {
  await db
    .selectNoFrom(eb => eb.fn<unknown>('pg_advisory_xact_lock', [eb.fn<number>('hashtext', [eb.val(laCode)])]).as('l'))
    .execute()
}

/**
 * School terms for venues' area codes: each code's own terms, or (for a district in a two-tier area, where the
 * county sets term dates) its county's. One or two small queries whatever the number of codes.
 */
export async function termDatesForAreas(db: DbOrTx, codes: string[]): Promise<Record<string, SchoolTerm[]>> {
  const unique = [...new Set(codes)]
  if (!unique.length) {
    return {}
  }
  const districts = await db
    .selectFrom('districts')
    .select(['code', 'la_code'])
    .where('code', 'in', unique)
    .where(eb => eb('la_code', '<>', eb.ref('code')))
    .execute()
  const countyOf = new Map(districts.map(row => [row.code, row.la_code]))
  const rows = await db
    .selectFrom('directory_term_dates')
    .select(['id', 'la_code', 'name', 'starts_on', 'ends_on'])
    .where('la_code', 'in', [...new Set([...unique, ...countyOf.values()])])
    .orderBy('starts_on')
    .execute()
  const byArea = new Map<string, SchoolTerm[]>()
  for (const row of rows) {
    byArea.set(row.la_code, [...(byArea.get(row.la_code) ?? []), toTerm(row)])
  }
  const result: Record<string, SchoolTerm[]> = {}
  for (const code of unique) {
    const own = byArea.get(code)
    const county = countyOf.get(code)
    const terms = own ?? (county ? byArea.get(county) : undefined)
    if (terms) {
      result[code] = terms
    }
  }
  return result
}
