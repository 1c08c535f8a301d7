import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { can } from '../../platform/auth/access.js'
import { NotFoundError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { formError, formValues, parseForm, type FormErrors } from '../../platform/validation.js'
import { isUuid, OrganisationForm, organisationKinds, TeamForm } from './admin-forms.js'
import {
  findOrganisation,
  insertOrganisation,
  insertTeam,
  listOrganisations,
  listTeams,
  organisationNameInUse,
  teamNameInUse,
} from './organisation-store.js'

const views = 'features/admin/views'
const read = { access: { permission: 'organisation.read' as const } }
const manage = { access: { permission: 'organisation.manage' as const } }

/** True when the database refused a duplicate (two administrators adding the same name at once). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
}

/** Organisations and their teams: list, add, see one, add a team to it. */
export function registerOrganisationRoutes(app: FastifyInstance, { config, db }: RouteDeps): void {
  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    return reply.page(`${views}/organisations.njk`, {
      title: 'Organisations',
      organisations: await listOrganisations(db),
      kinds: organisationKinds,
      canManage: can(request, 'organisation.manage'),
      values: {},
      ...extra,
    })
  }

  async function organisationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    organisationId: unknown,
    extra: Record<string, unknown> = {},
  ) {
    const organisation = isUuid(organisationId) ? await findOrganisation(db, organisationId) : undefined
    if (!organisation) {
      throw new NotFoundError('No such organisation')
    }
    return reply.page(`${views}/organisation.njk`, {
      title: organisation.name,
      organisation,
      kindName: organisationKinds[organisation.kind as keyof typeof organisationKinds] ?? organisation.kind,
      teams: await listTeams(db, organisation.id),
      canManage: can(request, 'organisation.manage'),
      canReadUsers: can(request, 'user.read'),
      values: {},
      ...extra,
    })
  }

  app.get('/admin/organisations', { config: read }, async (request, reply) => listPage(request, reply))

  app.post('/admin/organisations', { config: manage }, async (request, reply) => {
    const values = formValues(request.body)
    const refuse = (errors: FormErrors) => {
      reply.code(400)
      return listPage(request, reply, { errors, values })
    }
    const form = parseForm(OrganisationForm, request.body)
    if (!form.ok) {
      return refuse(form.errors)
    }
    const { name, kind, odsCode } = form.value
    const duplicate = formError('name', `There is already an organisation called ${name}`)
    const created = await db
      .transaction()
      .execute(async trx => {
        if (await organisationNameInUse(trx, name)) {
          await recordAuditEvent(trx, request.auditContext(), {
            action: 'organisation.create',
            outcome: 'denied',
            reason: 'name already in use',
          })
          return undefined
        }
        const id = await insertOrganisation(trx, {
          name,
          kind,
          odsCode: odsCode ?? null,
          laCode: config.authority.code,
        })
        await recordAuditEvent(trx, request.auditContext(), {
          action: 'organisation.create',
          outcome: 'allowed',
          subject: { type: 'organisation', id },
          details: { kind, odsCode: odsCode !== undefined },
        })
        return id
      })
      .catch(async (error: unknown) => {
        if (!isUniqueViolation(error)) {
          throw error
        }
        await recordAuditEvent(db, request.auditContext(), {
          action: 'organisation.create',
          outcome: 'denied',
          reason: 'name already in use',
        })
        return undefined
      })
    if (!created) {
      return refuse(duplicate)
    }
    return reply.redirect(`/admin/organisations/${created}?done=created`, 303)
  })

  app.get('/admin/organisations/:organisationId', { config: read }, async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done
    return organisationPage(request, reply, (request.params as Record<string, unknown>).organisationId, {
      flash: done === 'created' || done === 'team' ? done : undefined,
    })
  })

  app.post('/admin/organisations/:organisationId/teams', { config: manage }, async (request, reply) => {
    const organisationId = (request.params as Record<string, unknown>).organisationId
    const organisation = isUuid(organisationId) ? await findOrganisation(db, organisationId) : undefined
    if (!organisation) {
      throw new NotFoundError('No such organisation')
    }
    const values = formValues(request.body)
    const refuse = (errors: FormErrors) => {
      reply.code(400)
      return organisationPage(request, reply, organisation.id, { errors, values })
    }
    const form = parseForm(TeamForm, request.body)
    if (!form.ok) {
      return refuse(form.errors)
    }
    const { name } = form.value
    const created = await db
      .transaction()
      .execute(async trx => {
        if (await teamNameInUse(trx, organisation.id, name)) {
          await recordAuditEvent(trx, request.auditContext(), {
            action: 'team.create',
            outcome: 'denied',
            reason: 'name already in use in the organisation',
            subject: { type: 'organisation', id: organisation.id },
          })
          return undefined
        }
        const id = await insertTeam(trx, { organisationId: organisation.id, name })
        await recordAuditEvent(trx, request.auditContext(), {
          action: 'team.create',
          outcome: 'allowed',
          subject: { type: 'team', id },
          details: { organisationId: organisation.id },
        })
        return id
      })
      .catch(async (error: unknown) => {
        if (!isUniqueViolation(error)) {
          throw error
        }
        await recordAuditEvent(db, request.auditContext(), {
          action: 'team.create',
          outcome: 'denied',
          reason: 'name already in use in the organisation',
          subject: { type: 'organisation', id: organisation.id },
        })
        return undefined
      })
    if (!created) {
      return refuse(formError('name', `${organisation.name} already has a team called ${name}`))
    }
    return reply.redirect(`/admin/organisations/${organisation.id}?done=team`, 303)
  })
}
