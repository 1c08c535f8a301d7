import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import type { Permission } from '../../platform/auth/permissions.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { formError, formValues, parseForm, type FormErrors } from '../../platform/validation.js'
import {
  accessActionLabel,
  careRelationshipKindLabel,
  describeAge,
  displayLinkCode,
  formatDate,
  formatNhsNumber,
  hashLinkCode,
  linkCodeDays,
  linkCodeExpiry,
  newLinkCode,
  postcodeDistrict,
  relationshipLabel,
  todayInEngland,
} from './family.js'
import { familyAccessorOf, withFamilyAccess, type FamilyAccessPurpose } from './family-access.js'
import { CaseloadQuery, LinkCodeRecipientForm, ParentLinkForm } from './family-forms.js'
import {
  countCaseloadFamilies,
  expireUnusedLinkCodes,
  findFamily,
  findLinkCodeForUpdate,
  findUserLinkedToPerson,
  insertLinkCode,
  linkUserToPerson,
  listActiveRelationshipHolders,
  listAdultsWithParentalResponsibility,
  listCaseloadFamilies,
  listChildrenOfFamilies,
  listFamilyIdsOfPerson,
  listFamilyMembers,
  listStaffAccessToFamily,
  markLinkCodeUsed,
  type AdultRow,
  type MemberRow,
  type RelationshipHolderRow,
} from './family-store.js'

const views = 'features/families/views'
const caseloadPageSize = 50
const accessLogSize = 50
const parentLinkRateLimit = { max: 10, timeWindow: '1 minute' }
const caseloadPermissions: readonly [Permission, ...Permission[]] = ['caseload.read', 'front-door.triage']

/** Thrown inside a link-code transaction when the chosen adult cannot be given a code: rolls the transaction back. */
class NotAnEligibleAdult extends Error {
  override name = 'NotAnEligibleAdult'
  constructor(readonly problem: string) {
    super(problem)
  }
}

type LinkRefusal =
  'unknown code' | 'used code' | 'expired code' | 'person already linked to another account' | 'account already linked'

const linkRefusalMessages: Record<LinkRefusal, string> = {
  'unknown code': 'The code is not correct. Check it and enter it again',
  'used code': 'This code has already been used. Ask your health visitor or family hub for a new code',
  'expired code': 'This code has expired. Ask your health visitor or family hub for a new code',
  'person already linked to another account':
    'This code cannot be used. Ask your health visitor or family hub for a new code',
  'account already linked': 'Your account is already linked to your family',
}

function paramsOf(request: FastifyRequest): { familyId: string } {
  const params = request.params as { familyId?: unknown }
  return { familyId: typeof params.familyId === 'string' ? params.familyId : '' }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${String(char.charCodeAt(0))};`)
}

/** Household members as table rows: NHS numbers (children only) written 3-3-4, and a link to each child's red book. */
function memberRows(
  members: MemberRow[],
  today: string,
  options: { showParentalResponsibility: boolean; redBookBase: string },
) {
  return members.map(member => {
    const child = member.relationship === 'child'
    const born = member.dateOfBirth
      ? `${formatDate(member.dateOfBirth)}${child ? ` (${describeAge(member.dateOfBirth, today)})` : ''}`
      : 'Not recorded'
    const nhsNumber = child ? (formatNhsNumber(member.nhsNumber) ?? 'Not recorded') : 'Not shown for adults'
    return [
      { text: `${member.givenName} ${member.familyName}` },
      { text: born },
      { text: relationshipLabel(member.relationship) },
      ...(options.showParentalResponsibility ? [{ text: member.parentalResponsibility ? 'Yes' : 'No' }] : []),
      { text: nhsNumber },
      child
        ? {
            html: `<a class="govuk-link" href="${options.redBookBase}/${encodeURIComponent(member.personId)}">Red book<span class="govuk-visually-hidden"> for ${escapeHtml(member.givenName)}</span></a>`,
          }
        : { text: '' },
    ]
  })
}

function holderRows(holders: RelationshipHolderRow[]) {
  return holders.map(holder => [
    { text: holder.userName ?? holder.teamName ?? 'Unknown' },
    { text: holder.userName ? (holder.roleName ?? '') : 'Team' },
    { text: holder.organisationName ?? '' },
    { text: careRelationshipKindLabel(holder.kind) },
    { text: formatDate(holder.startsAt) },
    { text: holder.expiresAt ? formatDate(holder.expiresAt) : 'No end date' },
  ])
}

function adultName(adult: AdultRow): string {
  return `${adult.givenName} ${adult.familyName}`
}

/** The shared family record: caseload, the record itself, link codes for parents, and a parent's own family. */
export function familyRoutes({ db }: RouteDeps): FastifyPluginAsync {
  function purposeOf(request: FastifyRequest): FamilyAccessPurpose {
    const permissions = request.activeUser().permissions
    return permissions.has('front-door.triage') && !permissions.has('caseload.read') ? 'triage' : 'direct_support'
  }

  async function showLinkCodeForm(request: FastifyRequest, reply: FastifyReply, errors?: FormErrors) {
    const { familyId } = paramsOf(request)
    const adults = await withFamilyAccess(
      db,
      familyAccessorOf(request),
      { familyId, permission: 'family-record.read', purpose: 'account_linking' },
      async trx => listAdultsWithParentalResponsibility(trx, familyId),
    )
    if (errors) {
      reply.code(400)
    }
    return reply.page(`${views}/link-code-new.njk`, {
      title: 'Give a parent or carer a code to link their account',
      familyId,
      errors,
      days: linkCodeDays,
      adults: adults.map(adult => ({
        value: adult.personId,
        text: adultName(adult),
        hint: {
          text: adult.linked
            ? `${relationshipLabel(adult.relationship)}. Already has an account linked to this family`
            : relationshipLabel(adult.relationship),
        },
      })),
    })
  }

  async function showParentLink(reply: FastifyReply, extra: Record<string, unknown> = {}) {
    return reply.page(`${views}/parent-link.njk`, { title: 'Link your account to your family', ...extra })
  }

  return async app => {
    app.get('/families', { config: { access: { anyPermission: caseloadPermissions } } }, async (request, reply) => {
      const session = request.activeUser()
      const context = request.auditContext()
      const { page } = CaseloadQuery.parse(request.query)
      const holder = { userId: session.user.id, teamId: session.user.teamId }
      const today = todayInEngland()
      const { total, families, children } = await db.transaction().execute(async trx => {
        const total = await countCaseloadFamilies(trx, holder)
        const families = await listCaseloadFamilies(trx, holder, {
          limit: caseloadPageSize,
          offset: (page - 1) * caseloadPageSize,
        })
        const children = await listChildrenOfFamilies(
          trx,
          families.map(family => family.familyId),
        )
        await recordAuditEvent(trx, context, {
          action: 'caseload.read',
          outcome: 'allowed',
          purpose: purposeOf(request),
          details: { page, count: families.length, total },
        })
        return { total, families, children }
      })
      const pages = Math.max(1, Math.ceil(total / caseloadPageSize))
      const cards = families.map(family => {
        const names = children
          .filter(child => child.familyId === family.familyId)
          .map(child => `${child.givenName} (${describeAge(child.dateOfBirth, today)})`)
        return {
          href: `/families/${family.familyId}`,
          title: names.length > 0 ? names.join(', ') : 'No children recorded',
          district: postcodeDistrict(family.postcode) ?? 'Not recorded',
          relationships: family.kinds.map(careRelationshipKindLabel).join(', '),
        }
      })
      return reply.page(`${views}/caseload.njk`, {
        title: session.permissions.has('caseload.read') ? 'Your caseload' : 'Families known to the front door',
        cards,
        total,
        page,
        pages,
        first: total === 0 ? 0 : (page - 1) * caseloadPageSize + 1,
        last: (page - 1) * caseloadPageSize + families.length,
        previous: page > 1 ? { href: `/families?page=${String(page - 1)}` } : undefined,
        next: page < pages ? { href: `/families?page=${String(page + 1)}` } : undefined,
      })
    })

    app.get(
      '/families/:familyId',
      { config: { access: { permission: 'family-record.read' } } },
      async (request, reply) => {
        const { familyId } = paramsOf(request)
        const record = await withFamilyAccess(
          db,
          familyAccessorOf(request),
          { familyId, permission: 'family-record.read', purpose: purposeOf(request) },
          async trx => ({
            family: await findFamily(trx, familyId),
            members: await listFamilyMembers(trx, familyId),
            holders: await listActiveRelationshipHolders(trx, familyId),
          }),
        )
        const today = todayInEngland()
        return reply.page(`${views}/family-record.njk`, {
          title: 'Family record',
          familyId,
          caption: record.members
            .filter(member => member.relationship === 'child')
            .map(member => `${member.givenName} ${member.familyName}`)
            .join(', '),
          addressLine: record.family?.addressLine,
          postcode: record.family?.postcode,
          memberRows: memberRows(record.members, today, { showParentalResponsibility: true, redBookBase: '/children' }),
          holderRows: holderRows(record.holders),
          canGiveLinkCode: request.activeUser().permissions.has('family-link-code.create'),
        })
      },
    )

    app.get(
      '/families/:familyId/link-code',
      { config: { access: { permission: 'family-link-code.create' } } },
      async (request, reply) => showLinkCodeForm(request, reply),
    )

    app.post(
      '/families/:familyId/link-code',
      { config: { access: { permission: 'family-link-code.create' } } },
      async (request, reply) => {
        const { familyId } = paramsOf(request)
        const form = parseForm(LinkCodeRecipientForm, request.body)
        if (!form.ok) {
          return showLinkCodeForm(request, reply, form.errors)
        }
        const { personId } = form.value
        const session = request.activeUser()
        let created: { code: string; expiresAt: Date; adult: AdultRow }
        try {
          created = await withFamilyAccess(
            db,
            familyAccessorOf(request),
            {
              familyId,
              permission: 'family-record.update',
              purpose: 'account_linking',
              action: 'family-link-code.create',
              details: { personId },
            },
            async trx => {
              const adult = (await listAdultsWithParentalResponsibility(trx, familyId)).find(
                each => each.personId === personId,
              )
              if (!adult) {
                throw new NotAnEligibleAdult('Select who the code is for')
              }
              if (adult.linked) {
                throw new NotAnEligibleAdult(
                  `${adultName(adult)} already has an account linked to this family. Ask them to sign in to it`,
                )
              }
              await expireUnusedLinkCodes(trx, personId)
              const expiresAt = linkCodeExpiry()
              for (let attempt = 0; attempt < 5; attempt++) {
                const code = newLinkCode()
                const id = await insertLinkCode(trx, {
                  familyId,
                  personId,
                  codeHash: hashLinkCode(code),
                  createdBy: session.user.id,
                  expiresAt,
                })
                if (id) {
                  return { code, expiresAt, adult }
                }
              }
              throw new Error('Could not draw an unused link code')
            },
          )
        } catch (error) {
          if (error instanceof NotAnEligibleAdult) {
            return showLinkCodeForm(request, reply, formError('personId', error.problem))
          }
          throw error
        }
        return reply.page(`${views}/link-code-created.njk`, {
          title: `Code for ${adultName(created.adult)}`,
          familyId,
          name: adultName(created.adult),
          givenName: created.adult.givenName,
          code: displayLinkCode(created.code),
          expiresOn: formatDate(created.expiresAt),
        })
      },
    )

    app.get('/parent/link', { config: { access: { permission: 'own-family.read' } } }, async (request, reply) => {
      const session = request.activeUser()
      return showParentLink(reply, { alreadyLinked: session.user.personId !== null })
    })

    app.post(
      '/parent/link',
      { config: { access: { permission: 'own-family.read' }, rateLimit: parentLinkRateLimit } },
      async (request, reply) => {
        const session = request.activeUser()
        const context = request.auditContext()
        const values = formValues(request.body)
        if (session.user.personId !== null) {
          await recordAuditEvent(db, context, {
            action: 'family-link-code.redeem',
            outcome: 'denied',
            reason: 'account already linked',
          })
          reply.code(409)
          return showParentLink(reply, { alreadyLinked: true })
        }
        const form = parseForm(ParentLinkForm, request.body)
        if (!form.ok) {
          await recordAuditEvent(db, context, {
            action: 'family-link-code.redeem',
            outcome: 'denied',
            reason: 'malformed code',
          })
          reply.code(400)
          return showParentLink(reply, { errors: form.errors, values })
        }
        const outcome = await db.transaction().execute(async trx => {
          const code = await findLinkCodeForUpdate(trx, hashLinkCode(form.value.code))
          let refusal: LinkRefusal | undefined
          if (!code) {
            refusal = 'unknown code'
          } else if (code.usedAt) {
            refusal = 'used code'
          } else if (code.expired) {
            refusal = 'expired code'
          } else if (await findUserLinkedToPerson(trx, code.personId)) {
            refusal = 'person already linked to another account'
          } else if (!(await linkUserToPerson(trx, session.user.id, code.personId))) {
            refusal = 'account already linked'
          }
          if (refusal || !code) {
            await recordAuditEvent(trx, context, {
              action: 'family-link-code.redeem',
              outcome: 'denied',
              reason: refusal ?? 'unknown code',
              ...(code ? { subject: { type: 'family', id: code.familyId }, details: { codeId: code.id } } : {}),
            })
            return { ok: false as const, refusal: refusal ?? 'unknown code' }
          }
          await markLinkCodeUsed(trx, code.id, session.user.id)
          await recordAuditEvent(trx, context, {
            action: 'family-link-code.redeem',
            outcome: 'allowed',
            subject: { type: 'family', id: code.familyId },
            purpose: 'account_linking',
            details: { codeId: code.id, personId: code.personId },
          })
          return { ok: true as const }
        })
        if (!outcome.ok) {
          if (outcome.refusal === 'account already linked') {
            reply.code(409)
            return showParentLink(reply, { alreadyLinked: true })
          }
          reply.code(400)
          return showParentLink(reply, { errors: formError('code', linkRefusalMessages[outcome.refusal]), values })
        }
        return reply.redirect('/my-family?linked=yes', 303)
      },
    )

    app.get('/my-family', { config: { access: { permission: 'own-family.read' } } }, async (request, reply) => {
      const session = request.activeUser()
      const personId = session.user.personId
      if (!personId) {
        return reply.page(`${views}/my-family-not-linked.njk`, { title: 'Your family' })
      }
      const accessor = familyAccessorOf(request)
      const today = todayInEngland()
      const familyIds = await listFamilyIdsOfPerson(db, personId)
      const families = []
      for (const familyId of familyIds) {
        const record = await withFamilyAccess(
          db,
          accessor,
          { familyId, permission: 'family-record.read', purpose: 'own_family' },
          async trx => ({
            family: await findFamily(trx, familyId),
            members: await listFamilyMembers(trx, familyId),
            events: await listStaffAccessToFamily(trx, familyId, accessLogSize),
          }),
        )
        families.push({
          addressLine: record.family?.addressLine,
          postcode: record.family?.postcode,
          memberRows: memberRows(record.members, today, {
            showParentalResponsibility: false,
            redBookBase: '/my-family/children',
          }),
          eventRows: record.events.map(event => [
            { text: formatDate(event.occurredAt) },
            { text: event.organisationName ?? 'Not recorded' },
            { text: event.roleName ?? 'Not recorded' },
            { text: accessActionLabel(event.action) },
          ]),
        })
      }
      return reply.page(`${views}/my-family.njk`, {
        title: 'Your family',
        families,
        accessLogSize,
        linked: (request.query as Record<string, unknown>).linked === 'yes',
      })
    })
  }
}
