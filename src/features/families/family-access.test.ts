import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app.js'
import type { DatabaseHandle } from '../../db/database.js'
import { aCareRelationship, aFamily, aTeam, putInTeam } from '../../../test/builders/families.js'
import { aUser, anOrganisation } from '../../../test/builders/users.js'
import { createTestApp, signIn } from '../../../test/helpers/test-app.js'
import { createTestDb } from '../../../test/helpers/test-db.js'
import { authoriseFamilyAccess, withFamilyAccess, type FamilyAccessor } from './index.js'

let database: DatabaseHandle
let app: App

beforeAll(async () => {
  database = await createTestDb()
  app = await createTestApp(database.db)
})
afterAll(async () => {
  await app.app.close()
  await database.close()
})

async function auditRows(userId: string) {
  const rows = await database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'reason', 'subject_type', 'subject_id', 'purpose', 'details'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()
  return rows
}

const hourMs = 60 * 60 * 1000

describe('opening a family record', () => {
  it('lets a practitioner with an active relationship read the record, and audits the read with its basis', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db, {
      children: [{ givenName: 'Amelia', dateOfBirth: '2024-01-10', nhsNumber: '9434765919' }],
      adults: [
        { givenName: 'Sarah', relationship: 'mother', parentalResponsibility: true, nhsNumber: '9990000018' },
        { givenName: 'Grandad', relationship: 'grandparent', parentalResponsibility: false },
      ],
      postcode: 'ZX3 9QT',
      addressLine: '12 Harbour Row, Testtown',
    })
    const relationshipId = await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const browser = await signIn(app.app, practitioner)

    const response = await browser.get(`/families/${family.id}`)

    expect(response.statusCode).toBe(200)
    expect(response.body).toContain(`Amelia ${family.children[0]!.familyName}`)
    expect(response.body).toContain('10 January 2024')
    expect(response.body).toContain('943 476 5919')
    expect(response.body).not.toContain('999 000 0018')
    expect(response.body).toContain('12 Harbour Row, Testtown')
    expect(response.body).toContain('ZX3 9QT')
    expect(response.body).toContain('Parental responsibility')
    expect(response.body).toContain('Test practitioner')
    expect(response.body).toContain('Allocated worker')
    expect(response.body).toContain('Give a parent or carer a code to link their account')
    expect(response.body.match(/<h1/g)).toHaveLength(1)
    const reads = (await auditRows(practitioner.id)).filter(row => row.action === 'family-record.read')
    expect(reads).toEqual([
      {
        action: 'family-record.read',
        outcome: 'allowed',
        reason: null,
        subject_type: 'family',
        subject_id: family.id,
        purpose: 'direct_support',
        details: {
          permission: 'family-record.read',
          basis: 'care_relationship',
          relationshipId,
          relationshipKind: 'allocated_worker',
          holder: 'user',
        },
      },
    ])
  })

  it('refuses a practitioner without a relationship with 403, shows nothing of the family, and audits the refusal', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db)
    const other = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: other.id, userId: practitioner.id })
    const browser = await signIn(app.app, practitioner)

    const response = await browser.get(`/families/${family.id}`)

    expect(response.statusCode).toBe(403)
    expect(response.body).toContain('You do not have a care relationship with this family')
    expect(response.body).not.toContain(family.children[0]!.givenName)
    expect(response.body).not.toContain(family.children[0]!.familyName)
    const denied = (await auditRows(practitioner.id)).filter(row => row.action === 'family-record.read')
    expect(denied).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        reason: 'no active care relationship',
        subject_type: 'family',
        subject_id: family.id,
      }),
    ])
  })

  it('refuses expired, ended and not-yet-started relationships', async () => {
    const practitioner = await aUser(database.db)
    const expired = await aFamily(database.db)
    const ended = await aFamily(database.db)
    const future = await aFamily(database.db)
    await aCareRelationship(database.db, {
      familyId: expired.id,
      userId: practitioner.id,
      kind: 'triage',
      startsAt: new Date(Date.now() - 80 * hourMs),
      expiresAt: new Date(Date.now() - 8 * hourMs),
    })
    await aCareRelationship(database.db, {
      familyId: ended.id,
      userId: practitioner.id,
      endedAt: new Date(Date.now() - hourMs),
    })
    await aCareRelationship(database.db, {
      familyId: future.id,
      userId: practitioner.id,
      startsAt: new Date(Date.now() + hourMs),
    })
    const browser = await signIn(app.app, practitioner)

    for (const family of [expired, ended, future]) {
      const response = await browser.get(`/families/${family.id}`)
      expect(response.statusCode).toBe(403)
      expect(response.body).not.toContain(family.children[0]!.givenName)
    }
    const denied = (await auditRows(practitioner.id)).filter(row => row.action === 'family-record.read')
    expect(denied.map(row => [row.outcome, row.subject_id])).toEqual([
      ['denied', expired.id],
      ['denied', ended.id],
      ['denied', future.id],
    ])
  })

  it('lets members of a team with a relationship read the record, but not people outside the team', async () => {
    const organisationId = await anOrganisation(database.db)
    const teamId = await aTeam(database.db, organisationId)
    const otherTeamId = await aTeam(database.db, organisationId)
    const member = await aUser(database.db, { organisationId })
    const outsider = await aUser(database.db, { organisationId })
    await putInTeam(database.db, member.id, teamId)
    await putInTeam(database.db, outsider.id, otherTeamId)
    const family = await aFamily(database.db)
    const relationshipId = await aCareRelationship(database.db, {
      familyId: family.id,
      teamId,
      kind: 'service_episode',
    })

    const allowed = await (await signIn(app.app, member)).get(`/families/${family.id}`)
    const refused = await (await signIn(app.app, outsider)).get(`/families/${family.id}`)

    expect(allowed.statusCode).toBe(200)
    expect(allowed.body).toContain(family.children[0]!.givenName)
    expect(allowed.body).toContain('Service episode')
    expect(refused.statusCode).toBe(403)
    const [read] = (await auditRows(member.id)).filter(row => row.action === 'family-record.read')
    expect(read?.details).toMatchObject({ basis: 'care_relationship', relationshipId, holder: 'team' })
    expect((await auditRows(outsider.id)).filter(row => row.action === 'family-record.read')).toEqual([
      expect.objectContaining({ outcome: 'denied', subject_id: family.id }),
    ])
  })

  it.each(['analyst', 'system_admin'])(
    'refuses a %s (no family-record permission) with 403 and audits it',
    async role => {
      const user = await aUser(database.db, { role })
      const family = await aFamily(database.db)
      // Even a relationship does not help a role that lacks the permission.
      await aCareRelationship(database.db, { familyId: family.id, userId: user.id })
      const browser = await signIn(app.app, user)

      const response = await browser.get(`/families/${family.id}`)

      expect(response.statusCode).toBe(403)
      expect(response.body).not.toContain(family.children[0]!.givenName)
      expect(await auditRows(user.id)).toContainEqual(
        expect.objectContaining({ action: 'family-record.read', outcome: 'denied', reason: 'role lacks permission' }),
      )
    },
  )

  it('answers 404 for unknown and malformed ids, the same page for both, and audits both as denied', async () => {
    const practitioner = await aUser(database.db)
    const family = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    const browser = await signIn(app.app, practitioner)
    const unknownId = '6f1c0b52-3a44-4b7e-9d8e-0c1d2e3f4a5b'

    const unknown = await browser.get(`/families/${unknownId}`)
    const malformed = await browser.get(`/families/not-a-family'%20OR%201=1`)
    const almost = await browser.get(`/families/${family.id}x`)

    for (const response of [unknown, malformed, almost]) {
      expect(response.statusCode).toBe(404)
      expect(response.body).toContain('Page not found')
      expect(response.body).not.toContain(family.children[0]!.givenName)
      expect(response.body).not.toContain('care relationship')
    }
    const denied = (await auditRows(practitioner.id)).filter(row => row.action === 'family-record.read')
    expect(denied.map(row => [row.outcome, row.reason, row.subject_id])).toEqual([
      ['denied', 'unknown family', unknownId],
      ['denied', 'malformed family id', null],
      ['denied', 'malformed family id', null],
    ])
  })

  it('refuses a parent who opens a family record page (no family-record permission)', async () => {
    const parent = await aUser(database.db, { role: 'parent' })
    const family = await aFamily(database.db)
    const browser = await signIn(app.app, parent)

    const response = await browser.get(`/families/${family.id}`)

    expect(response.statusCode).toBe(403)
    expect(response.body).not.toContain(family.children[0]!.givenName)
  })
})

describe('authoriseFamilyAccess', () => {
  function accessor(
    user: { id: string },
    permissions: string[],
    extra: Partial<FamilyAccessor['user']> = {},
  ): FamilyAccessor {
    return {
      context: { actor: { userId: user.id, roleCode: 'practitioner', organisationId: null }, request: undefined },
      user: { id: user.id, teamId: null, personId: null, ...extra },
      permissions: new Set(permissions) as FamilyAccessor['permissions'],
    }
  }

  it('refuses update to a holder of read only, even with a relationship', async () => {
    const user = await aUser(database.db)
    const family = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: family.id, userId: user.id })

    await expect(
      withFamilyAccess(
        database.db,
        accessor(user, ['family-record.read']),
        { familyId: family.id, permission: 'family-record.update', purpose: 'direct_support' },
        async () => 'changed',
      ),
    ).rejects.toMatchObject({ status: 403 })
    expect(await auditRows(user.id)).toEqual([
      expect.objectContaining({ action: 'family-record.update', outcome: 'denied', reason: 'role lacks permission' }),
    ])
  })

  it('lets a parent read their own family (audited as own-family.read) but not another family (404)', async () => {
    const user = await aUser(database.db, { role: 'parent' })
    const family = await aFamily(database.db)
    const other = await aFamily(database.db)
    const parent = accessor(user, ['own-family.read'], { personId: family.adults[0]!.id })

    const grant = await database.db
      .transaction()
      .execute(trx => authoriseFamilyAccess(trx, parent, family.id, 'family-record.read', 'own_family'))
    await expect(
      withFamilyAccess(
        database.db,
        parent,
        { familyId: other.id, permission: 'family-record.read', purpose: 'own_family' },
        async () => 1,
      ),
    ).rejects.toMatchObject({ status: 404 })
    await expect(
      withFamilyAccess(
        database.db,
        parent,
        { familyId: family.id, permission: 'family-record.update', purpose: 'own_family' },
        async () => 1,
      ),
    ).rejects.toMatchObject({ status: 403 })

    expect(grant.basis).toEqual({ type: 'family_member', personId: family.adults[0]!.id })
    expect((await auditRows(user.id)).map(row => [row.action, row.outcome, row.reason, row.subject_id])).toEqual([
      ['own-family.read', 'allowed', null, family.id],
      ['own-family.read', 'denied', 'not a member of this family', other.id],
      ['family-record.update', 'denied', 'role lacks permission', family.id],
    ])
  })

  it('rolls back the work and its audit event together when the work fails', async () => {
    const user = await aUser(database.db)
    const family = await aFamily(database.db)
    await aCareRelationship(database.db, { familyId: family.id, userId: user.id })

    await expect(
      withFamilyAccess(
        database.db,
        accessor(user, ['family-record.update']),
        { familyId: family.id, permission: 'family-record.update', purpose: 'direct_support' },
        async trx => {
          await trx.updateTable('families').set({ postcode: 'ZZ9 9ZZ' }).where('id', '=', family.id).execute()
          throw new Error('boom')
        },
      ),
    ).rejects.toThrow('boom')
    const row = await database.db
      .selectFrom('families')
      .select('postcode')
      .where('id', '=', family.id)
      .executeTakeFirstOrThrow()
    expect(row.postcode).toBe(family.postcode)
    expect(await auditRows(user.id)).toEqual([])
  })
})

describe('the caseload', () => {
  it('lists only families with an active relationship, youngest child first, as minimal cards, and audits the count', async () => {
    const organisationId = await anOrganisation(database.db)
    const teamId = await aTeam(database.db, organisationId)
    const practitioner = await aUser(database.db, { organisationId })
    await putInTeam(database.db, practitioner.id, teamId)
    const older = await aFamily(database.db, {
      children: [{ givenName: 'Olderchild', dateOfBirth: '2022-02-01' }],
      postcode: 'ZX3 9QT',
    })
    const younger = await aFamily(database.db, {
      children: [
        { givenName: 'Babychild', dateOfBirth: '2025-05-20' },
        { givenName: 'Siblingchild', dateOfBirth: '2021-07-04' },
      ],
      postcode: 'QA12 3BC',
    })
    const expired = await aFamily(database.db, { children: [{ givenName: 'Expiredchild' }] })
    const ended = await aFamily(database.db, { children: [{ givenName: 'Endedchild' }] })
    const unrelated = await aFamily(database.db, { children: [{ givenName: 'Unrelatedchild' }] })
    await aCareRelationship(database.db, { familyId: older.id, userId: practitioner.id })
    await aCareRelationship(database.db, { familyId: younger.id, teamId, kind: 'service_episode' })
    await aCareRelationship(database.db, { familyId: younger.id, userId: practitioner.id, kind: 'lead_practitioner' })
    await aCareRelationship(database.db, {
      familyId: expired.id,
      userId: practitioner.id,
      expiresAt: new Date(Date.now() - 1000),
    })
    await aCareRelationship(database.db, { familyId: ended.id, teamId, endedAt: new Date(Date.now() - 1000) })
    const browser = await signIn(app.app, practitioner)

    const response = await browser.get('/families')

    expect(response.statusCode).toBe(200)
    const body = response.body
    expect(body).toContain('Babychild')
    expect(body).toContain('Olderchild')
    expect(body.indexOf('Babychild')).toBeLessThan(body.indexOf('Olderchild'))
    expect(body).toContain('QA12')
    expect(body).not.toContain('QA12 3BC')
    expect(body).not.toContain('ZX3 9QT')
    expect(body).toContain('Lead practitioner, Service episode')
    expect(body).toMatch(/Olderchild \(\d+ years( \d+ months?)?\)/)
    for (const hidden of [expired, ended, unrelated]) {
      expect(body).not.toContain(hidden.children[0]!.givenName)
    }
    for (const shown of [older, younger]) {
      expect(body).not.toContain(shown.children[0]!.familyName)
      expect(body).toContain(`href="/families/${shown.id}"`)
    }
    expect(body).not.toContain(unrelated.id)
    const caseload = (await auditRows(practitioner.id)).filter(row => row.action === 'caseload.read')
    expect(caseload).toEqual([
      expect.objectContaining({ outcome: 'allowed', subject_id: null, details: { page: 1, count: 2, total: 2 } }),
    ])
  })

  it('pages 50 families at a time', async () => {
    const practitioner = await aUser(database.db)
    for (let index = 0; index < 51; index++) {
      const family = await aFamily(database.db, {
        children: [
          {
            givenName: `Pagechild${String(index)}x`,
            dateOfBirth: `2024-01-${String((index % 28) + 1).padStart(2, '0')}`,
          },
        ],
      })
      await aCareRelationship(database.db, { familyId: family.id, userId: practitioner.id })
    }
    const browser = await signIn(app.app, practitioner)

    const first = await browser.get('/families')
    const second = await browser.get('/families?page=2')

    expect(first.body.match(/Open family record/g)).toHaveLength(50)
    expect(first.body).toContain('href="/families?page=2"')
    expect(second.body.match(/Open family record/g)).toHaveLength(1)
    expect(second.body).toContain('href="/families?page=1"')
    const caseload = (await auditRows(practitioner.id)).filter(row => row.action === 'caseload.read')
    expect(caseload.map(row => row.details)).toEqual([
      { page: 1, count: 50, total: 51 },
      { page: 2, count: 1, total: 51 },
    ])
  })

  it('shows a front door officer the families they triage', async () => {
    const officer = await aUser(database.db, { role: 'front_door_officer' })
    const family = await aFamily(database.db, { children: [{ givenName: 'Triagechild' }] })
    await aCareRelationship(database.db, { familyId: family.id, userId: officer.id, kind: 'triage' })
    const browser = await signIn(app.app, officer)

    const response = await browser.get('/families')

    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('Families known to the front door')
    expect(response.body).toContain('Triagechild')
    expect(response.body).toContain('Front door triage')
  })

  it('refuses the caseload to a role without caseload or triage permission, and audits it', async () => {
    const admin = await aUser(database.db, { role: 'system_admin' })
    const browser = await signIn(app.app, admin)

    const response = await browser.get('/families')

    expect(response.statusCode).toBe(403)
    expect(await auditRows(admin.id)).toContainEqual(
      expect.objectContaining({ action: 'caseload.read', outcome: 'denied', reason: 'role lacks permission' }),
    )
  })
})
