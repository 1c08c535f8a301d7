import type { DbOrTx } from '../../db/database.js'
import type { Taxonomy, Term } from './taxonomy.js'

/** Every taxonomy, by name (for loadTaxonomyIndex). */
export async function listTaxonomies(db: DbOrTx): Promise<Taxonomy[]> {
  return db
    .selectFrom('directory_taxonomies')
    .select(['id', 'code', 'name', 'description', 'uri', 'version'])
    .orderBy('name')
    .execute()
}

/** Every term of every taxonomy, by taxonomy code, then sort order and name (for loadTaxonomyIndex). */
export async function listTerms(db: DbOrTx): Promise<Term[]> {
  const rows = await db
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
  return rows.map(row => ({
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
}
