import type { DbOrTx } from '../../db/database.js'
import { listTaxonomies, listTerms } from './taxonomy-store.js'

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
  const taxonomies = await listTaxonomies(db)
  const terms = await listTerms(db)
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
