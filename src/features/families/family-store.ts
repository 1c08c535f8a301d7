import { sql } from 'kysely'
import type { DbOrTx } from '../../db/database.js'

/** SQL for the family record: care relationships, households, link codes and the family's access log. */

export interface CareRelationshipHolder {
  userId: string
  teamId: string | null
}

export interface ActiveRelationship {
  id: string
  kind: string
  holder: 'user' | 'team'
}

/** Active now: started, not ended, not expired. `now()` is the transaction's start, the same for every check in it. */
function activeRelationship() {
  return sql<boolean>`cr.starts_at <= now() AND cr.ended_at IS NULL AND (cr.expires_at IS NULL OR cr.expires_at > now())`
}

export async function familyExists(db: DbOrTx, familyId: string): Promise<boolean> {
  const row = await db.selectFrom('families').select('id').where('id', '=', familyId).executeTakeFirst()
  return row !== undefined
}

/**
 * The active care relationship that lets this user (or their team) open the family's record. A relationship the
 * user holds personally is preferred to a team one, then the most recent.
 */
export async function findActiveCareRelationship(
  db: DbOrTx,
  familyId: string,
  holder: CareRelationshipHolder,
): Promise<ActiveRelationship | undefined> {
  const row = await db
    .selectFrom('care_relationships as cr')
    .select(['cr.id', 'cr.kind', 'cr.holder_user_id'])
    .where('cr.family_id', '=', familyId)
    .where(eb =>
      holder.teamId
        ? eb.or([eb('cr.holder_user_id', '=', holder.userId), eb('cr.holder_team_id', '=', holder.teamId)])
        : eb('cr.holder_user_id', '=', holder.userId),
    )
    .where(activeRelationship())
    .orderBy(sql`cr.holder_user_id IS NULL`)
    .orderBy('cr.starts_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { id: row.id, kind: row.kind, holder: row.holder_user_id ? 'user' : 'team' } : undefined
}

export async function isFamilyMember(db: DbOrTx, familyId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('family_members')
    .select('person_id')
    .where('family_id', '=', familyId)
    .where('person_id', '=', personId)
    .executeTakeFirst()
  return row !== undefined
}

export interface CaseloadFamily {
  familyId: string
  postcode: string | null
  kinds: string[]
}

function caseloadQuery(db: DbOrTx, holder: CareRelationshipHolder) {
  return db
    .selectFrom('care_relationships as cr')
    .where(eb =>
      holder.teamId
        ? eb.or([eb('cr.holder_user_id', '=', holder.userId), eb('cr.holder_team_id', '=', holder.teamId)])
        : eb('cr.holder_user_id', '=', holder.userId),
    )
    .where(activeRelationship())
}

/** Families the user or their team holds an active relationship with, youngest child first, a page at a time. */
export async function listCaseloadFamilies(
  db: DbOrTx,
  holder: CareRelationshipHolder,
  page: { limit: number; offset: number },
): Promise<CaseloadFamily[]> {
  const rows = await caseloadQuery(db, holder)
    .innerJoin('families as f', 'f.id', 'cr.family_id')
    .select([
      'f.id',
      'f.postcode',
      sql<string[]>`array_agg(DISTINCT cr.kind ORDER BY cr.kind)`.as('kinds'),
      sql<string | null>`(SELECT max(p.date_of_birth) FROM family_members m JOIN people p ON p.id = m.person_id
        WHERE m.family_id = f.id AND m.relationship = 'child')`.as('youngest'),
    ])
    .groupBy(['f.id', 'f.postcode'])
    .orderBy(sql`youngest DESC NULLS LAST`)
    .orderBy('f.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return rows.map(row => ({ familyId: row.id, postcode: row.postcode, kinds: row.kinds }))
}

export async function countCaseloadFamilies(db: DbOrTx, holder: CareRelationshipHolder): Promise<number> {
  const row = await caseloadQuery(db, holder)
    .select(sql<number>`count(DISTINCT cr.family_id)`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

export interface ChildSummary {
  familyId: string
  givenName: string
  dateOfBirth: string | null
}

/** First names and dates of birth of the children of some families: all a caseload card shows. */
export async function listChildrenOfFamilies(db: DbOrTx, familyIds: string[]): Promise<ChildSummary[]> {
  if (familyIds.length === 0) {
    return []
  }
  const rows = await db
    .selectFrom('family_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.family_id', 'p.given_name', 'p.date_of_birth'])
    .where('m.family_id', 'in', familyIds)
    .where('m.relationship', '=', 'child')
    .orderBy(sql`p.date_of_birth DESC NULLS LAST`)
    .orderBy('p.given_name')
    .execute()
  return rows.map(row => ({ familyId: row.family_id, givenName: row.given_name, dateOfBirth: row.date_of_birth }))
}

export interface FamilyRow {
  id: string
  addressLine: string | null
  postcode: string | null
}

export interface MemberRow {
  personId: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  nhsNumber: string | null
  relationship: string
  parentalResponsibility: boolean
}

export async function findFamily(db: DbOrTx, familyId: string): Promise<FamilyRow | undefined> {
  const row = await db
    .selectFrom('families')
    .select(['id', 'address_line', 'postcode'])
    .where('id', '=', familyId)
    .executeTakeFirst()
  return row ? { id: row.id, addressLine: row.address_line, postcode: row.postcode } : undefined
}

/** Household members: children first (youngest first), then adults by name. */
export async function listFamilyMembers(db: DbOrTx, familyId: string): Promise<MemberRow[]> {
  const rows = await db
    .selectFrom('family_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select([
      'p.id',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.nhs_number',
      'm.relationship',
      'm.parental_responsibility',
    ])
    .where('m.family_id', '=', familyId)
    .orderBy(sql`m.relationship <> 'child'`)
    .orderBy(sql`CASE WHEN m.relationship = 'child' THEN p.date_of_birth END DESC NULLS LAST`)
    .orderBy('p.given_name')
    .orderBy('p.id')
    .execute()
  return rows.map(row => ({
    personId: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    nhsNumber: row.nhs_number,
    relationship: row.relationship,
    parentalResponsibility: row.parental_responsibility,
  }))
}

export interface RelationshipHolderRow {
  id: string
  kind: string
  startsAt: Date
  expiresAt: Date | null
  userName: string | null
  roleName: string | null
  profession: string | null
  teamName: string | null
  organisationName: string | null
}

/** Who holds an active care relationship with the family: a named user (with role) or a team. */
export async function listActiveRelationshipHolders(db: DbOrTx, familyId: string): Promise<RelationshipHolderRow[]> {
  const rows = await db
    .selectFrom('care_relationships as cr')
    .leftJoin('users as u', 'u.id', 'cr.holder_user_id')
    .leftJoin('roles as r', 'r.code', 'u.role_code')
    .leftJoin('teams as t', 't.id', 'cr.holder_team_id')
    .leftJoin('organisations as o', join =>
      join.on(eb => eb('o.id', '=', eb.fn.coalesce('u.organisation_id', 't.organisation_id'))),
    )
    .select([
      'cr.id',
      'cr.kind',
      'cr.starts_at',
      'cr.expires_at',
      'u.display_name',
      'r.name as role_name',
      'u.profession',
      't.name as team_name',
      'o.name as organisation_name',
    ])
    .where('cr.family_id', '=', familyId)
    .where(activeRelationship())
    .orderBy('cr.starts_at')
    .orderBy('cr.id')
    .execute()
  return rows.map(row => ({
    id: row.id,
    kind: row.kind,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    userName: row.display_name,
    roleName: row.role_name,
    profession: row.profession,
    teamName: row.team_name,
    organisationName: row.organisation_name,
  }))
}

export interface AdultRow {
  personId: string
  givenName: string
  familyName: string
  relationship: string
  /** Whether a parent's account is already linked to this person (then a code would be refused). */
  linked: boolean
}

/** Adults of the household who hold parental responsibility: who may be given a link code. */
export async function listAdultsWithParentalResponsibility(db: DbOrTx, familyId: string): Promise<AdultRow[]> {
  const rows = await db
    .selectFrom('family_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(eb => [
      'p.id',
      'p.given_name',
      'p.family_name',
      'm.relationship',
      eb.exists(eb.selectFrom('users as u').select('u.id').whereRef('u.person_id', '=', 'p.id')).as('linked'),
    ])
    .where('m.family_id', '=', familyId)
    .where('m.parental_responsibility', '=', true)
    .where('m.relationship', '<>', 'child')
    .orderBy('p.given_name')
    .orderBy('p.id')
    .execute()
  return rows.map(row => ({
    personId: row.id,
    givenName: row.given_name,
    familyName: row.family_name,
    relationship: row.relationship,
    linked: Boolean(row.linked),
  }))
}

/** Ends any code not yet used for this person, so that only the newest code works. */
export async function expireUnusedLinkCodes(db: DbOrTx, personId: string): Promise<number> {
  const result = await db
    .updateTable('family_link_codes')
    .set({ expires_at: sql<Date>`now()` })
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Inserts a link code; undefined if the hash is already taken (the caller draws another code). */
export async function insertLinkCode(
  db: DbOrTx,
  code: { familyId: string; personId: string; codeHash: string; createdBy: string; expiresAt: Date },
): Promise<string | undefined> {
  const row = await db
    .insertInto('family_link_codes')
    .values({
      family_id: code.familyId,
      person_id: code.personId,
      code_hash: code.codeHash,
      created_by: code.createdBy,
      expires_at: code.expiresAt,
    })
    .onConflict(oc => oc.column('code_hash').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export interface LinkCodeRow {
  id: string
  familyId: string
  personId: string
  expired: boolean
  usedAt: Date | null
}

/** The code with this hash, locked until the end of the transaction so that two parents cannot both use it. */
export async function findLinkCodeForUpdate(db: DbOrTx, codeHash: string): Promise<LinkCodeRow | undefined> {
  const row = await db
    .selectFrom('family_link_codes')
    .select(['id', 'family_id', 'person_id', 'used_at', sql<boolean>`expires_at <= now()`.as('expired')])
    .where('code_hash', '=', codeHash)
    .forUpdate()
    .executeTakeFirst()
  return row
    ? { id: row.id, familyId: row.family_id, personId: row.person_id, expired: row.expired, usedAt: row.used_at }
    : undefined
}

export async function markLinkCodeUsed(db: DbOrTx, codeId: string, userId: string): Promise<boolean> {
  const result = await db
    .updateTable('family_link_codes')
    .set({ used_at: sql<Date>`now()`, used_by: userId })
    .where('id', '=', codeId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export async function findUserLinkedToPerson(db: DbOrTx, personId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('id').where('person_id', '=', personId).executeTakeFirst()
  return row?.id
}

export async function findPersonOfUser(db: DbOrTx, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('person_id').where('id', '=', userId).forUpdate().executeTakeFirst()
  return row?.person_id ?? null
}

/** Links a parent's account to their person record, only if it is not linked yet. */
export async function linkUserToPerson(db: DbOrTx, userId: string, personId: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ person_id: personId })
    .where('id', '=', userId)
    .where('person_id', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

/** The households a person belongs to, oldest record first. */
export async function listFamilyIdsOfPerson(db: DbOrTx, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('family_members as m')
    .innerJoin('families as f', 'f.id', 'm.family_id')
    .select('f.id')
    .where('m.person_id', '=', personId)
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute()
  return rows.map(row => row.id)
}

export interface FamilyAccessEventRow {
  occurredAt: Date
  action: string
  roleName: string | null
  organisationName: string | null
}

/**
 * What staff did with a family's record, newest first, for the family to see: allowed events only, by staff roles
 * only (a parent's own views are left out), without the viewer's name, and without events recorded for a
 * safeguarding purpose.
 */
export async function listStaffAccessToFamily(
  db: DbOrTx,
  familyId: string,
  limit: number,
): Promise<FamilyAccessEventRow[]> {
  const rows = await db
    .selectFrom('audit_events as a')
    .innerJoin('roles as r', 'r.code', 'a.role_code')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.occurred_at', 'a.action', 'r.name as role_name', 'o.name as organisation_name'])
    .where('a.subject_type', '=', 'family')
    .where('a.subject_id', '=', familyId)
    .where('a.outcome', '=', 'allowed')
    .where('r.staff', '=', true)
    .where(eb => eb.or([eb('a.purpose', 'is', null), eb('a.purpose', '<>', 'safeguarding')]))
    .orderBy('a.occurred_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(row => ({
    occurredAt: row.occurred_at,
    action: row.action,
    roleName: row.role_name,
    organisationName: row.organisation_name,
  }))
}
