import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

export interface OrganisationRow {
  id: string
  name: string
  kind: string
  odsCode: string | null
  createdAt: Date
  teamCount: number
  userCount: number
}

function organisationsWithCounts(db: DbOrTx) {
  return db
    .selectFrom('organisations as o')
    .select(eb => [
      'o.id',
      'o.name',
      'o.kind',
      'o.ods_code',
      'o.created_at',
      eb
        .selectFrom('teams as t')
        .whereRef('t.organisation_id', '=', 'o.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('team_count'),
      eb
        .selectFrom('users as u')
        .whereRef('u.organisation_id', '=', 'o.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('user_count'),
    ])
}

type OrganisationSelect = Awaited<ReturnType<ReturnType<typeof organisationsWithCounts>['executeTakeFirstOrThrow']>>

function toOrganisation(row: OrganisationSelect): OrganisationRow {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    odsCode: row.ods_code,
    createdAt: row.created_at,
    teamCount: row.team_count ?? 0,
    userCount: row.user_count ?? 0,
  }
}

export async function listOrganisations(db: DbOrTx): Promise<OrganisationRow[]> {
  const rows = await organisationsWithCounts(db)
    .orderBy(sql`lower(o.name)`)
    .execute()
  return rows.map(toOrganisation)
}

export async function findOrganisation(db: DbOrTx, id: string): Promise<OrganisationRow | undefined> {
  const row = await organisationsWithCounts(db).where('o.id', '=', id).executeTakeFirst()
  return row ? toOrganisation(row) : undefined
}

export async function organisationNameInUse(db: DbOrTx, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst()
  return row !== undefined
}

export async function insertOrganisation(
  db: DbOrTx,
  organisation: { name: string; kind: string; odsCode: string | null; laCode: string },
): Promise<string> {
  const row = await db
    .insertInto('organisations')
    .values({
      name: organisation.name,
      kind: organisation.kind,
      ods_code: organisation.odsCode,
      la_code: organisation.laCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface TeamRow {
  id: string
  name: string
  userCount: number
}

export async function listTeams(db: DbOrTx, organisationId: string): Promise<TeamRow[]> {
  const rows = await db
    .selectFrom('teams as t')
    .select(eb => [
      't.id',
      't.name',
      eb
        .selectFrom('users as u')
        .whereRef('u.team_id', '=', 't.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('user_count'),
    ])
    .where('t.organisation_id', '=', organisationId)
    .orderBy(sql`lower(t.name)`)
    .execute()
  return rows.map(row => ({ id: row.id, name: row.name, userCount: row.user_count ?? 0 }))
}

export async function teamNameInUse(db: DbOrTx, organisationId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst()
  return row !== undefined
}

export async function insertTeam(db: DbOrTx, team: { organisationId: string; name: string }): Promise<string> {
  const row = await db
    .insertInto('teams')
    .values({ organisation_id: team.organisationId, name: team.name })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Every organisation and every team, for the select boxes of the invitation and filter forms. */
export async function listOrganisationOptions(db: DbOrTx): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .orderBy(sql`lower(name)`)
    .execute()
}

export async function listTeamOptions(
  db: DbOrTx,
): Promise<{ id: string; name: string; organisationId: string; organisationName: string }[]> {
  const rows = await db
    .selectFrom('teams as t')
    .innerJoin('organisations as o', 'o.id', 't.organisation_id')
    .select(['t.id', 't.name', 't.organisation_id', 'o.name as organisation_name'])
    .orderBy(sql`lower(o.name)`)
    .orderBy(sql`lower(t.name)`)
    .execute()
  return rows.map(row => ({
    id: row.id,
    name: row.name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
  }))
}
