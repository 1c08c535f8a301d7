import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Db, Tx } from '../../db/database.js'
import { z } from 'zod'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import type { SessionRecord } from '../../platform/auth/session-store.js'
import { ForbiddenError, NotFoundError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { parseForm } from '../../platform/validation.js'
import { formatCost, formatEligibility } from './directory-format.js'
import { noticeDecision } from './directory-notices.js'
import type { WorkflowStatus } from './directory-tables.js'
import {
  addVersion,
  applyDraft,
  basedOnVersionOf,
  countsFor,
  createService,
  directoryOrganisationFor,
  draftOfProposal,
  findVersion,
  latestVersion,
  liveChangedSince,
  listAwaitingApproval,
  listDirectoryOrganisations,
  listManagedServices,
  listNeedsReview,
  listVersions,
  lockService,
  serviceOwner,
  setWorkflow,
  type ManageScope,
  type ManagedServiceRow,
} from './manage-store.js'
import { isUuid } from './oruk-params.js'
import {
  changedFields,
  draftFieldLabels,
  draftOfService,
  formValuesOf,
  languageName,
  languageOptions,
  serviceFormSchema,
  workingDraft,
  type ServiceDraft,
} from './service-draft.js'
import type { ServiceRecord } from './service-records.js'
import { loadService } from './service-records-store.js'
import { invalidateDirectoryIndex } from './search-index.js'
import { loadTaxonomyIndex, Taxonomies, type TaxonomyIndex } from './taxonomy.js'
import { listVenues } from './venue-store.js'
import { describeWhereAndWhen } from './where-and-when.js'

const views = 'features/service-directory/views'

type StepResult =
  | { done: string; details?: Record<string, string | number | boolean | null | string[]>; reason?: string }
  | { refused: string }
const manage = { access: { permission: 'directory.manage' as const } }
const approve = { access: { permission: 'directory.approve' as const } }
const pageSize = 50

export const statusNames: Record<WorkflowStatus, { text: string; colour: string }> = {
  draft: { text: 'Draft', colour: 'govuk-tag--grey' },
  awaiting_approval: { text: 'Waiting for approval', colour: 'govuk-tag--yellow' },
  published: { text: 'Published', colour: 'govuk-tag--green' },
  archived: { text: 'Archived', colour: 'govuk-tag--red' },
}

const versionNames: Record<string, string> = {
  created: 'Created',
  edited: 'Changed',
  proposed: 'Change sent for approval',
  approved: 'Approved',
  rejected: 'Not approved',
  submitted: 'Sent for approval',
  published: 'Published',
  archived: 'Archived',
  restored: 'Restored',
  assured: 'Checked and confirmed',
  imported: 'Imported',
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

function threeMonthsAgo(): string {
  const date = new Date()
  date.setUTCMonth(date.getUTCMonth() - 3)
  return date.toISOString().slice(0, 10)
}

function scopeOf(session: SessionRecord): ManageScope {
  return session.permissions.has('directory.approve')
    ? { all: true }
    : { all: false, organisationId: session.user.organisationId }
}

function rowView(row: ManagedServiceRow) {
  return {
    ...row,
    status: statusNames[row.workflowStatus],
    needsReview: row.workflowStatus === 'published' && (!row.assuredDate || row.assuredDate < threeMonthsAgo()),
  }
}

/** Form values to show again: strings, and arrays for the checkbox groups. */
function echo(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  const arrays = ['categoryCodes', 'deliveryCodes', 'audience', 'languageCodes']
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === '_csrf') {
        continue
      }
      if (arrays.includes(key)) {
        values[key] = (Array.isArray(value) ? value : [value])
          .filter((item): item is string => typeof item === 'string')
          .map(item => item.slice(0, 100))
      } else if (typeof value === 'string') {
        values[key] = value.slice(0, 5000)
      }
    }
  }
  for (const key of arrays) {
    values[key] ??= []
  }
  return values
}

function describeValue(
  draft: ServiceDraft,
  key: keyof ServiceDraft,
  index: TaxonomyIndex,
  venueNames = new Map<string, string>(),
): string {
  if (key === 'whereAndWhen') {
    return draft.whereAndWhen ? describeWhereAndWhen(draft.whereAndWhen, venueNames) : 'Not changed'
  }
  const value = draft[key]
  if (key === 'categoryCodes') {
    return draft.categoryCodes.map(code => index.term(Taxonomies.startForLife, code)?.name ?? code).join(', ')
  }
  if (key === 'deliveryCodes') {
    return draft.deliveryCodes.map(code => index.term(Taxonomies.delivery, code)?.name ?? code).join(', ')
  }
  if (key === 'languageCodes') {
    return draft.languageCodes.map(languageName).join(', ')
  }
  if (typeof value === 'boolean') {
    return value ? 'Yes' : 'No'
  }
  return value === null || value === undefined || value === '' ? 'Not given' : String(value)
}

/**
 * Who may change a service: its own organisation's service managers and every directory admin. Anyone else gets a
 * 403, and the refusal is audited. `needsApproval`: a voluntary organisation's change to a published service waits
 * for a directory admin.
 */
export async function authoriseService(db: Db, request: FastifyRequest, serviceId: string, action: string) {
  const session = request.activeUser()
  const owner = isUuid(serviceId) ? await serviceOwner(db, serviceId) : undefined
  if (!owner) {
    throw new NotFoundError('There is no such service')
  }
  const approver = session.permissions.has('directory.approve')
  if (!approver && (!owner.organisationId || owner.organisationId !== session.user.organisationId)) {
    await recordAuditEvent(db, request.auditContext(), {
      action,
      outcome: 'denied',
      subject: { type: 'directory-service', id: serviceId },
      reason: 'not a service of their organisation',
    })
    throw new ForbiddenError('You can only change your own organisation’s services.')
  }
  return { session, owner, approver, needsApproval: !approver && owner.organisationKind === 'voluntary_organisation' }
}

/** Service directory management: service managers keep their organisation's entries; directory admins approve. */
export function registerManageRoutes(app: FastifyInstance, { db, config }: RouteDeps): void {
  const authorise = (request: FastifyRequest, serviceId: string, action: string) =>
    authoriseService(db, request, serviceId, action)

  async function formContext(session: SessionRecord, values: Record<string, string | string[]>, index: TaxonomyIndex) {
    const list = (key: string): string[] => {
      const value = values[key]
      return Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
    }
    const providers = session.permissions.has('directory.approve') ? await listDirectoryOrganisations(db) : []
    return {
      values,
      providerItems: providers.map(provider => ({
        value: provider.id,
        text: provider.name,
        selected: values.directoryOrganisationId === provider.id,
      })),
      categoryItems: index
        .termsOf(Taxonomies.startForLife)
        .map(term => ({ value: term.code, text: term.name, checked: list('categoryCodes').includes(term.code) })),
      deliveryItems: index
        .termsOf(Taxonomies.delivery)
        .map(term => ({ value: term.code, text: term.name, checked: list('deliveryCodes').includes(term.code) })),
      languageItems: languageOptions.map(option => ({
        value: option.code,
        text: option.name,
        checked: list('languageCodes').includes(option.code),
      })),
      audience: list('audience'),
    }
  }

  async function showService(request: FastifyRequest, reply: FastifyReply, service: ServiceRecord) {
    const session = request.activeUser()
    const index = await loadTaxonomyIndex(db)
    const owner = await serviceOwner(db, service.id)
    const versions = await listVersions(db, service.id)
    const live = draftOfService(service)
    const pending = service.pendingVersionId ? await findVersion(db, service.pendingVersionId) : undefined
    const proposed = pending ? workingDraft(live, pending.snapshot) : undefined
    const venueIds = [
      ...(live.whereAndWhen?.venues ?? []).map(venue => venue.locationId),
      ...(proposed?.whereAndWhen?.venues ?? []).map(venue => venue.locationId),
    ]
    const venues = await listVenues(db, venueIds)
    const venueNames = new Map(venues.map(venue => [venue.id, venue.name]))
    // A venue the change adds is checked by the admin before families see it: its address, and whether it is hidden.
    const liveVenues = new Set((live.whereAndWhen?.venues ?? []).map(venue => venue.locationId))
    const proposedVenueNames = new Map(
      venues.map(venue => [
        venue.id,
        liveVenues.has(venue.id)
          ? venue.name
          : `${venue.name} (new venue: ${
              [venue.address1, venue.address2, venue.city, venue.postalCode].filter(Boolean).join(', ') || 'no address'
            }; ${venue.confidential ? 'confidential: families are not shown the address' : 'not confidential'})`,
      ]),
    )
    const approver = session.permissions.has('directory.approve')
    const needsApproval = !approver && owner?.organisationKind === 'voluntary_organisation'
    const done = (request.query as Record<string, unknown>).done
    return reply.page(`${views}/manage-service.njk`, {
      title: service.name,
      service,
      status: statusNames[service.workflowStatus],
      needsReview:
        service.workflowStatus === 'published' && (!service.assuredDate || service.assuredDate < threeMonthsAgo()),
      approver,
      needsApproval,
      done: typeof done === 'string' ? doneMessages[done] : undefined,
      details: [
        { key: { text: 'Provider' }, value: { text: service.organisation.name } },
        { key: { text: 'Summary' }, value: { text: service.summary ?? '' } },
        { key: { text: 'Who it is for' }, value: { text: formatEligibility(service) } },
        { key: { text: 'Cost' }, value: { text: formatCost(service) } },
        { key: { text: 'Categories' }, value: { text: describeValue(live, 'categoryCodes', index) || 'None' } },
        {
          key: { text: 'How it is delivered' },
          value: { text: describeValue(live, 'deliveryCodes', index) || 'Not given' },
        },
        { key: { text: 'Languages' }, value: { text: describeValue(live, 'languageCodes', index) || 'Not given' } },
        { key: { text: 'Phone' }, value: { text: live.phone ?? 'Not given' } },
        {
          key: { text: 'Venues' },
          value: {
            text: service.locations.map(sal => sal.location.name).join(', ') || 'None (online, phone or home visits)',
          },
        },
        { key: { text: 'Last checked' }, value: { text: service.assuredDate ?? 'Never' } },
      ],
      pendingChanges: proposed
        ? changedFields(live, proposed).map(key => ({
            field: draftFieldLabels[key],
            before: describeValue(live, key, index, venueNames),
            after: describeValue(proposed, key, index, proposedVenueNames),
          }))
        : undefined,
      pending,
      versions: versions.map(version => ({
        ...version,
        kindName: versionNames[version.kind] ?? version.kind,
        fields: version.changedFields.map(field => draftFieldLabels[field as keyof ServiceDraft] ?? field).join(', '),
      })),
      publicUrl: service.workflowStatus === 'published' ? `/find-support/services/${service.id}` : undefined,
      whereAndWhenUrl: `/directory/manage/services/${service.id}/where-and-when`,
    })
  }

  app.get('/directory/manage', { config: manage }, async (request, reply) => {
    const session = request.activeUser()
    const query = request.query as Record<string, unknown>
    const status =
      typeof query.status === 'string' && query.status in statusNames ? (query.status as WorkflowStatus) : undefined
    const page = typeof query.page === 'string' && /^\d{1,5}$/.test(query.page) ? Math.max(1, Number(query.page)) : 1
    const scope = scopeOf(session)
    const { total, rows } = await listManagedServices(db, scope, {
      status,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    })
    const counts = await countsFor(db, scope)
    const totalPages = Math.max(1, Math.ceil(total / pageSize))
    const href = (n: number) =>
      `/directory/manage?${new URLSearchParams({ ...(status ? { status } : {}), page: String(n) }).toString()}`
    return reply.page(`${views}/manage-list.njk`, {
      title: session.permissions.has('directory.approve')
        ? 'Service directory'
        : `${session.user.organisationName ?? 'Your organisation'}: services`,
      rows: rows.map(rowView),
      total,
      counts,
      status,
      approver: session.permissions.has('directory.approve'),
      statusLinks: [
        { text: 'All', href: '/directory/manage', current: !status },
        ...Object.entries(statusNames).map(([code, name]) => ({
          text: name.text,
          href: `/directory/manage?status=${code}`,
          current: status === code,
        })),
      ],
      pagination:
        totalPages > 1
          ? {
              previous: page > 1 ? { href: href(page - 1) } : undefined,
              next: page < totalPages ? { href: href(page + 1) } : undefined,
            }
          : undefined,
    })
  })

  app.get('/directory/manage/review', { config: manage }, async (request, reply) => {
    const rows = await listNeedsReview(db, scopeOf(request.activeUser()))
    return reply.page(`${views}/manage-queue.njk`, {
      title: 'Services that need review',
      intro:
        'These published services were last checked more than 3 months ago. Check each one with the provider, update it if anything has changed, then confirm it is right.',
      empty: 'Every published service has been checked in the last 3 months.',
      rows: rows.map(rowView),
    })
  })

  app.get('/directory/manage/approvals', { config: approve }, async (_request, reply) => {
    const rows = await listAwaitingApproval(db)
    return reply.page(`${views}/manage-queue.njk`, {
      title: 'Waiting for approval',
      intro: 'New services and changes from voluntary organisations. Families see them only after you approve them.',
      empty: 'Nothing is waiting for approval.',
      rows: rows.map(rowView),
    })
  })

  app.get('/directory/manage/services/new', { config: manage }, async (request, reply) => {
    const session = request.activeUser()
    const index = await loadTaxonomyIndex(db)
    const values = {
      audience: ['children'],
      cost: 'free',
      operatingStatus: 'active',
      languageCodes: ['en'],
      categoryCodes: [],
      deliveryCodes: ['in-person'],
    }
    return reply.page(`${views}/manage-edit.njk`, {
      title: 'Add a service',
      action: '/directory/manage/services',
      isNew: true,
      ...(await formContext(session, values, index)),
    })
  })

  app.post('/directory/manage/services', { config: manage }, async (request, reply) => {
    const session = request.activeUser()
    const index = await loadTaxonomyIndex(db)
    const form = parseForm(serviceFormSchema(index), request.body)
    const values = echo(request.body)
    if (!form.ok) {
      reply.code(400)
      return reply.page(`${views}/manage-edit.njk`, {
        title: 'Add a service',
        action: '/directory/manage/services',
        isNew: true,
        errors: form.errors,
        ...(await formContext(session, values, index)),
      })
    }
    const approver = session.permissions.has('directory.approve')
    const chosen =
      typeof values.directoryOrganisationId === 'string' && isUuid(values.directoryOrganisationId)
        ? values.directoryOrganisationId
        : undefined
    if (!approver && !session.user.organisationId) {
      throw new ForbiddenError('Your account is not part of an organisation.')
    }
    const draft = form.value
    const id = await db.transaction().execute(async trx => {
      const directoryOrganisationId =
        approver && chosen ? chosen : await directoryOrganisationFor(trx, session.user.organisationId ?? '')
      const serviceId = await createService(trx, {
        directoryOrganisationId,
        name: draft.name,
        description: draft.description,
      })
      await applyDraft(trx, serviceId, draft, index)
      await addVersion(trx, { serviceId, kind: 'created', snapshot: draft, userId: session.user.id })
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'directory-service.create',
        outcome: 'allowed',
        subject: { type: 'directory-service', id: serviceId },
        details: { directoryOrganisationId },
      })
      return serviceId
    })
    invalidateDirectoryIndex(db)
    return reply.redirect(`/directory/manage/services/${id}?done=created`, 303)
  })

  app.get('/directory/manage/services/:id', { config: manage }, async (request, reply) => {
    const { id } = request.params as { id: string }
    await authorise(request, id, 'directory-service.read')
    const service = await loadService(db, id)
    if (!service) {
      throw new NotFoundError('There is no such service')
    }
    return showService(request, reply, service)
  })

  app.get('/directory/manage/services/:id/edit', { config: manage }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const { session } = await authorise(request, id, 'directory-service.update')
    const service = await loadService(db, id)
    if (!service) {
      throw new NotFoundError('There is no such service')
    }
    const index = await loadTaxonomyIndex(db)
    const pending = service.pendingVersionId ? await findVersion(db, service.pendingVersionId) : undefined
    const draft = pending ? (pending.snapshot as unknown as ServiceDraft) : draftOfService(service)
    return reply.page(`${views}/manage-edit.njk`, {
      title: `Change ${service.name}`,
      action: `/directory/manage/services/${id}/edit`,
      service,
      editingPending: Boolean(pending),
      ...(await formContext(session, formValuesOf(draft), index)),
    })
  })

  app.post('/directory/manage/services/:id/edit', { config: manage }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const { session, needsApproval } = await authorise(request, id, 'directory-service.update')
    const index = await loadTaxonomyIndex(db)
    const service = await loadService(db, id)
    if (!service) {
      throw new NotFoundError('There is no such service')
    }
    const form = parseForm(serviceFormSchema(index), request.body)
    if (!form.ok) {
      reply.code(400)
      return reply.page(`${views}/manage-edit.njk`, {
        title: `Change ${service.name}`,
        action: `/directory/manage/services/${id}/edit`,
        service,
        errors: form.errors,
        ...(await formContext(session, echo(request.body), index)),
      })
    }
    const outcome = await db.transaction().execute(async trx => {
      const locked = await lockService(trx, id)
      // Read after the lock, so that a change to the venues and times made meanwhile is not undone.
      const current = await loadService(trx, id)
      if (!locked || !current) {
        throw new NotFoundError('There is no such service')
      }
      const live = draftOfService(current)
      const pending =
        needsApproval && locked.pendingVersionId ? await findVersion(trx, locked.pendingVersionId) : undefined
      // The details form does not hold venues and times: keep those of the change it builds on.
      const draft: ServiceDraft = { ...form.value, whereAndWhen: workingDraft(live, pending?.snapshot).whereAndWhen }
      const changed = changedFields(live, draft)
      let proposed = false
      if (locked.workflowStatus === 'published' && needsApproval) {
        const versionId = await addVersion(trx, {
          serviceId: id,
          kind: 'proposed',
          snapshot: draft,
          changedFields: changed,
          userId: session.user.id,
          // A change to a waiting change is still based on the live version that one was.
          basedOnVersion: basedOnVersionOf(pending?.snapshot) ?? (await latestVersion(trx, id)),
        })
        await setWorkflow(trx, id, { pendingVersionId: versionId })
        proposed = true
      } else {
        await applyDraft(trx, id, draft, index)
        await addVersion(trx, {
          serviceId: id,
          kind: 'edited',
          snapshot: draft,
          changedFields: changed,
          userId: session.user.id,
        })
        if (locked.workflowStatus === 'published') {
          await setWorkflow(trx, id, { assuredDate: today(), assurerEmail: session.user.email })
        }
      }
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'directory-service.update',
        outcome: 'allowed',
        subject: { type: 'directory-service', id },
        details: { changedFields: changed, awaitingApproval: proposed },
      })
      return proposed ? 'proposed' : 'saved'
    })
    invalidateDirectoryIndex(db)
    return reply.redirect(`/directory/manage/services/${id}?done=${outcome}`, 303)
  })

  /** A workflow step: checks access, locks the service, does the change and audits it in one transaction. */
  async function step(
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    run: (context: {
      trx: Tx
      status: WorkflowStatus
      pendingVersionId: number | null
      session: SessionRecord
      needsApproval: boolean
    }) => Promise<StepResult>,
  ) {
    const { id } = request.params as { id: string }
    const { session, needsApproval } = await authorise(request, id, action)
    const result = await db.transaction().execute(async trx => {
      const locked = await lockService(trx, id)
      if (!locked) {
        throw new NotFoundError('There is no such service')
      }
      const outcome = await run({
        trx,
        status: locked.workflowStatus,
        pendingVersionId: locked.pendingVersionId,
        session,
        needsApproval,
      })
      if ('refused' in outcome) {
        return outcome
      }
      await recordAuditEvent(trx, request.auditContext(), {
        action,
        outcome: 'allowed',
        subject: { type: 'directory-service', id },
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        details: outcome.details ?? {},
      })
      return outcome
    })
    invalidateDirectoryIndex(db)
    if ('refused' in result) {
      reply.code(409)
      return reply.page(`${views}/message.njk`, {
        title: 'That cannot be done now',
        paragraphs: [result.refused],
        link: { href: `/directory/manage/services/${id}`, text: 'Back to the service' },
      })
    }
    return reply.redirect(`/directory/manage/services/${id}?done=${result.done}`, 303)
  }

  async function snapshotOf(id: string): Promise<ServiceDraft> {
    const service = await loadService(db, id)
    if (!service) {
      throw new NotFoundError('There is no such service')
    }
    return draftOfService(service)
  }

  app.post('/directory/manage/services/:id/submit', { config: manage }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const snapshot = await snapshotOf(id)
    return step(
      request,
      reply,
      'directory-service.submit',
      async ({ trx, status, session, needsApproval }): Promise<StepResult> => {
        if (status !== 'draft') {
          return { refused: 'Only a draft can be sent for approval or published.' }
        }
        if (needsApproval) {
          await setWorkflow(trx, id, { status: 'awaiting_approval' })
          await addVersion(trx, { serviceId: id, kind: 'submitted', snapshot, userId: session.user.id })
          return { done: 'submitted', details: { to: 'awaiting_approval' } }
        }
        await setWorkflow(trx, id, { status: 'published', assuredDate: today(), assurerEmail: session.user.email })
        await addVersion(trx, { serviceId: id, kind: 'published', snapshot, userId: session.user.id })
        return { done: 'published', details: { to: 'published' } }
      },
    )
  })

  app.post('/directory/manage/services/:id/assure', { config: manage }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const snapshot = await snapshotOf(id)
    return step(request, reply, 'directory-service.assure', async ({ trx, status, session }): Promise<StepResult> => {
      if (status === 'archived') {
        return { refused: 'Restore the service before confirming it is right.' }
      }
      await setWorkflow(trx, id, { assuredDate: today(), assurerEmail: session.user.email })
      await addVersion(trx, { serviceId: id, kind: 'assured', snapshot, userId: session.user.id })
      return { done: 'assured', details: { assuredDate: today() } }
    })
  })

  const ReasonForm = z.object({
    reason: z
      .string({ error: 'Give a reason' })
      .trim()
      .min(1, 'Give a reason, so the provider knows what to change')
      .max(500, 'The reason must be 500 characters or fewer'),
  })

  app.post('/directory/manage/services/:id/archive', { config: manage }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const snapshot = await snapshotOf(id)
    const reason =
      typeof (request.body as Record<string, unknown> | undefined)?.reason === 'string'
        ? String((request.body as Record<string, string>).reason).slice(0, 500)
        : ''
    return step(request, reply, 'directory-service.archive', async ({ trx, status, session }): Promise<StepResult> => {
      if (status === 'archived') {
        return { refused: 'The service is already archived.' }
      }
      await setWorkflow(trx, id, { status: 'archived', archivedAt: new Date(), pendingVersionId: null })
      await addVersion(trx, {
        serviceId: id,
        kind: 'archived',
        snapshot,
        note: reason || null,
        userId: session.user.id,
      })
      return { done: 'archived', details: { from: status }, ...(reason ? { reason } : {}) }
    })
  })

  app.post('/directory/manage/services/:id/restore', { config: manage }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const snapshot = await snapshotOf(id)
    return step(
      request,
      reply,
      'directory-service.restore',
      async ({ trx, status, session, needsApproval }): Promise<StepResult> => {
        if (status !== 'archived') {
          return { refused: 'Only an archived service can be restored.' }
        }
        const to: WorkflowStatus = needsApproval ? 'awaiting_approval' : 'published'
        await setWorkflow(trx, id, {
          status: to,
          archivedAt: null,
          ...(to === 'published' ? { assuredDate: today(), assurerEmail: session.user.email } : {}),
        })
        await addVersion(trx, { serviceId: id, kind: 'restored', snapshot, userId: session.user.id })
        return { done: to === 'published' ? 'restored' : 'submitted', details: { to } }
      },
    )
  })

  app.post('/directory/manage/services/:id/approve', { config: approve }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const index = await loadTaxonomyIndex(db)
    const service = await loadService(db, id)
    const pending = service?.pendingVersionId ? await findVersion(db, service.pendingVersionId) : undefined
    const snapshot = service ? draftOfService(service) : undefined
    return step(
      request,
      reply,
      'directory-service.approve',
      async ({ trx, status, pendingVersionId, session }): Promise<StepResult> => {
        if (pendingVersionId && pending && pending.id === pendingVersionId) {
          const basedOn = basedOnVersionOf(pending.snapshot)
          if (basedOn !== undefined && (await liveChangedSince(trx, id, basedOn))) {
            return {
              refused:
                'The live entry has changed since this change was proposed, so approving it would undo that. Do not approve it, and ask the provider to propose their change again.',
            }
          }
          const proposed = draftOfProposal(pending.snapshot)
          await applyDraft(trx, id, proposed, index)
          await setWorkflow(trx, id, { pendingVersionId: null, assuredDate: today(), assurerEmail: session.user.email })
          await addVersion(trx, {
            serviceId: id,
            kind: 'approved',
            snapshot: proposed,
            changedFields: pending.changedFields,
            note: `Approved version ${String(pending.version)}`,
            userId: session.user.id,
          })
          await noticeDecision(trx, { serviceId: id, decision: 'approved', change: true, settings: config })
          return { done: 'approved', details: { change: true, changedFields: pending.changedFields } }
        }
        if (status === 'awaiting_approval' && snapshot) {
          await setWorkflow(trx, id, { status: 'published', assuredDate: today(), assurerEmail: session.user.email })
          await addVersion(trx, { serviceId: id, kind: 'approved', snapshot, userId: session.user.id })
          await noticeDecision(trx, { serviceId: id, decision: 'approved', change: false, settings: config })
          return { done: 'approved', details: { change: false, to: 'published' } }
        }
        return { refused: 'There is nothing waiting for approval on this service.' }
      },
    )
  })

  app.post('/directory/manage/services/:id/reject', { config: approve }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const form = parseForm(ReasonForm, request.body)
    const service = await loadService(db, id)
    if (!service) {
      throw new NotFoundError('There is no such service')
    }
    if (!form.ok) {
      reply.code(400)
      return showServiceWithErrors(request, reply, service, form.errors)
    }
    const snapshot = draftOfService(service)
    return step(
      request,
      reply,
      'directory-service.reject',
      async ({ trx, status, pendingVersionId, session }): Promise<StepResult> => {
        if (pendingVersionId) {
          await setWorkflow(trx, id, { pendingVersionId: null })
          await addVersion(trx, {
            serviceId: id,
            kind: 'rejected',
            snapshot,
            note: form.value.reason,
            userId: session.user.id,
          })
          const reason = form.value.reason
          await noticeDecision(trx, { serviceId: id, decision: 'rejected', change: true, reason, settings: config })
          return { done: 'rejected', details: { change: true }, reason: form.value.reason }
        }
        if (status === 'awaiting_approval') {
          await setWorkflow(trx, id, { status: 'draft' })
          await addVersion(trx, {
            serviceId: id,
            kind: 'rejected',
            snapshot,
            note: form.value.reason,
            userId: session.user.id,
          })
          const reason = form.value.reason
          await noticeDecision(trx, { serviceId: id, decision: 'rejected', change: false, reason, settings: config })
          return { done: 'rejected', details: { change: false, to: 'draft' }, reason: form.value.reason }
        }
        return { refused: 'There is nothing waiting for approval on this service.' }
      },
    )
  })

  async function showServiceWithErrors(
    request: FastifyRequest,
    reply: FastifyReply,
    service: ServiceRecord,
    errors: unknown,
  ) {
    const original = reply.page.bind(reply)
    reply.page = (template, context = {}) => original(template, { ...context, errors })
    return showService(request, reply, service)
  }
}

const doneMessages: Record<string, string> = {
  created: 'The service has been saved as a draft. Families cannot see it until it is published.',
  saved: 'Your changes have been saved.',
  proposed:
    'Your change has been sent to a directory admin for approval. Families see the old details until it is approved.',
  submitted: 'The service has been sent to a directory admin for approval.',
  published: 'The service is published. Families can now find it.',
  assured: 'Thank you. The service is marked as checked today.',
  archived: 'The service has been archived. Families can no longer see it.',
  restored: 'The service has been restored and published.',
  approved: 'Approved. Families can now see it.',
  rejected: 'Not approved. The provider can see your reason in the history.',
}
