import type { DbOrTx } from '../../db/database.js'

export interface Taxonomy {
  id: string
  code: string
  name: string
  description: string
  uri: string | null
  version: string | null
}

export interface Term {
  id: string
  taxonomyId: string
  taxonomyCode: string
  code: string
  name: string
  description: string
  parentId: string | null
  termUri: string | null
  sortOrder: number
}

/** Our own taxonomies, by code (migrations/0006_insert-directory-taxonomies.sql). */
export const Taxonomies = {
  startForLife: 'start-for-life',
  dfe: 'dfe-family-hubs',
  delivery: 'delivery',
  site: 'family-hub-site',
  accessibility: 'accessibility',
  eligibility: 'eligibility',
} as const

/**
 * Terms that describe a location or an eligibility rather than being attached to a service: the API shows them as
 * attributes built from the data (site role, venue features, pregnancy), and filters on them the same way.
 */
export const derivedTaxonomies: readonly string[] = [Taxonomies.site, Taxonomies.accessibility, Taxonomies.eligibility]

export interface TaxonomyIndex {
  taxonomies: Taxonomy[]
  terms: Term[]
  taxonomyById: Map<string, Taxonomy>
  taxonomyByCode: Map<string, Taxonomy>
  termById: Map<string, Term>
  /** `${taxonomyCode}:${termCode}` → term */
  termByCode: Map<string, Term>
  termsOf: (taxonomyCode: string) => Term[]
  term: (taxonomyCode: string, code: string) => Term | undefined
}

let cached: { index: TaxonomyIndex; loadedAt: number } | undefined
const cacheMs = 60_000

/** All taxonomies and terms, cached for a minute (they change only by migration or import). */
export async function loadTaxonomyIndex(db: DbOrTx, options: { fresh?: boolean } = {}): Promise<TaxonomyIndex> {
  if (cached && !options.fresh && Date.now() - cached.loadedAt < cacheMs) {
    return cached.index
  }
  const taxonomyRows = await db
    .selectFrom('directory_taxonomies')
    .select(['id', 'code', 'name', 'description', 'uri', 'version'])
    .orderBy('name')
    .execute()
  const termRows = await db
    .selectFrom('directory_taxonomy_terms as t')
    .innerJoin('directory_taxonomies as x', 'x.id', 't.taxonomy_id')
    .select([
      't.id',
      't.taxonomy_id',
      'x.code as taxonomy_code',
      't.code',
      't.name',
      't.description',
      't.parent_id',
      't.term_uri',
      't.sort_order',
    ])
    .orderBy('x.code')
    .orderBy('t.sort_order')
    .orderBy('t.name')
    .execute()
  const taxonomies: Taxonomy[] = taxonomyRows
  const terms: Term[] = termRows.map(row => ({
    id: row.id,
    taxonomyId: row.taxonomy_id,
    taxonomyCode: row.taxonomy_code,
    code: row.code,
    name: row.name,
    description: row.description,
    parentId: row.parent_id,
    termUri: row.term_uri,
    sortOrder: row.sort_order,
  }))
  const termByCode = new Map(terms.map(term => [`${term.taxonomyCode}:${term.code}`, term]))
  const index: TaxonomyIndex = {
    taxonomies,
    terms,
    taxonomyById: new Map(taxonomies.map(taxonomy => [taxonomy.id, taxonomy])),
    taxonomyByCode: new Map(taxonomies.map(taxonomy => [taxonomy.code, taxonomy])),
    termById: new Map(terms.map(term => [term.id, term])),
    termByCode,
    termsOf: code => terms.filter(term => term.taxonomyCode === code),
    term: (taxonomyCode, code) => termByCode.get(`${taxonomyCode}:${code}`),
  }
  cached = { index, loadedAt: Date.now() }
  return index
}

export function clearTaxonomyCache(): void {
  cached = undefined
}
