/**
 * Where and when a service runs, for its managers: venues (an existing one, or a new one found by postcode), regular
 * sessions, one-off events and closures. Every change goes through the service draft (ADR 0009): straight to the
 * live service, or (a voluntary organisation's published service) as a change waiting for a directory admin.
 */
import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Tx } from '../../db/database.js'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { ForbiddenError, NotFoundError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { formError, parseForm, type FormErrors } from '../../platform/validation.js'
import { dateValues, linkDateErrors } from './date-input.js'
import { formatDays, formatSession } from './directory-format.js'
import { authoriseService } from './manage-routes.js'
import { addVersion, basedOnVersionOf, findVersion, latestVersion, lockService, setWorkflow } from './manage-store.js'
import { isUuid } from './oruk-params.js'
import { findPostcode } from './postcodes.js'
import { invalidateDirectoryIndex } from './search-index.js'
import { changedFields, draftOfService, workingDraft, type ServiceDraft } from './service-draft.js'
import type { ServiceRecord } from './service-records.js'
import { loadService } from './service-records-store.js'
import {
  applyWhereAndWhen,
  countPendingProposalsAt,
  countPublishedServicesAt,
  createVenue,
  findVenue,
  listVenueChoices,
  listVenues,
  updateVenue,
  type VenueDetails,
  type VenueRow,
} from './venue-store.js'
import {
  asScheduleRecord,
  ClosureForm,
  dayOptions,
  EventForm,
  ExistingVenueForm,
  scheduleFrom,
  SessionForm,
  VenueForm,
  type DraftSchedule,
  type ScheduleFields,
  type WhereAndWhen,
} from './where-and-when.js'

const views = 'features/service-directory/views'
const manage = { access: { permission: 'directory.manage' as const } }

type Values = Record<string, string | string[]>

/** Form values to show again after an error: strings, and the days checkboxes as a list. */
function echo(body: unknown): Values {
  const values: Values = { days: [] }
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === '_csrf') {
        continue
      }
      if (key === 'days') {
        values.days = (Array.isArray(value) ? value : [value]).filter(
          (item): item is string => typeof item === 'string',
        )
      } else if (typeof value === 'string') {
        values[key] = value.slice(0, 500)
      }
    }
  }
  return values
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

interface ScheduleKindPage {
  path: 'sessions' | 'events' | 'closures'
  kind: DraftSchedule['kind']
  schema: z.ZodType<ScheduleFields>
  dates: string[]
  atVenue: boolean
  noun: string
  addTitle: string
  changeTitle: string
}

const schedulePages: ScheduleKindPage[] = [
  {
    path: 'sessions',
    kind: 'regular',
    schema: SessionForm,
    dates: ['validFrom', 'validTo'],
    atVenue: true,
    noun: 'session',
    addTitle: 'Add a regular session',
    changeTitle: 'Change a regular session',
  },
  {
    path: 'events',
    kind: 'event',
    schema: EventForm,
    dates: ['dtstart'],
    atVenue: true,
    noun: 'event',
    addTitle: 'Add a one-off event',
    changeTitle: 'Change a one-off event',
  },
  {
    path: 'closures',
    kind: 'closure',
    schema: ClosureForm,
    dates: ['validFrom', 'validTo'],
    atVenue: false,
    noun: 'closure',
    addTitle: 'Add a closure',
    changeTitle: 'Change a closure',
  },
]

/** Form values (strings) for a schedule, to fill the form when changing it. */
function scheduleValues(schedule: DraftSchedule): Values {
  return {
    description: schedule.description ?? '',
    days: (schedule.byday ?? '').split(',').filter(Boolean),
    opensAt: schedule.opensAt ?? '',
    closesAt: schedule.closesAt ?? '',
    termTimeOnly: schedule.termTimeOnly ? 'yes' : '',
    ...dateValues('validFrom', schedule.validFrom),
    ...dateValues('validTo', schedule.validTo),
    ...dateValues('dtstart', schedule.dtstart),
  }
}

function venueAddress(venue: VenueRow): string {
  return [venue.address1, venue.address2, venue.city, venue.postalCode].filter(Boolean).join(', ')
}

const doneMessages: Record<string, string> = {
  saved: 'Your change has been saved. Families can see it now.',
  draft: 'Your change has been saved.',
  proposed:
    'Your change has been sent to a directory admin for approval. Families see the current venues and times until it is approved.',
  'venue-changed': 'The venue’s details have been changed for every service that runs there.',
}

export function registerWhereAndWhenRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const prefix = '/directory/manage/services/:id'

  /** Access, the service, and the version of its venues and times that managers work on. */
  async function load(request: FastifyRequest, action: string) {
    const { id } = request.params as { id: string }
    const access = await authoriseService(db, request, id, action)
    const service = await loadService(db, id)
    if (!service) {
      throw new NotFoundError('There is no such service')
    }
    const live = draftOfService(service)
    const pending =
      access.needsApproval && service.pendingVersionId ? await findVersion(db, service.pendingVersionId) : undefined
    const working = workingDraft(live, pending?.snapshot)
    return { ...access, id, service, working, pending, value: working.whereAndWhen ?? { venues: [], schedules: [] } }
  }

  /**
   * May this user change a venue's name and address? Its owner, or an admin. A voluntary organisation's venue that
   * families can see, or that a change waiting for approval names (the admin checks its address), only an admin.
   */
  async function canEditVenue(
    request: FastifyRequest,
    venue: VenueRow,
  ): Promise<{ ok: boolean; reason: string; message: string }> {
    const session = request.activeUser()
    if (session.permissions.has('directory.approve')) {
      return { ok: true, reason: '', message: '' }
    }
    if (!venue.ownerOrganisationId || venue.ownerOrganisationId !== session.user.organisationId) {
      return {
        ok: false,
        reason: 'not a venue of their organisation',
        message: 'You can only change your own organisation’s venues.',
      }
    }
    if (venue.ownerKind === 'voluntary_organisation' && (await countPublishedServicesAt(db, venue.id)) > 0) {
      return {
        ok: false,
        reason: 'a published venue of a voluntary organisation: directory admins change it',
        message:
          'Families can already see this venue, so a directory admin must change its address. Ask them to change it.',
      }
    }
    if (venue.ownerKind === 'voluntary_organisation' && (await countPendingProposalsAt(db, venue.id)) > 0) {
      return {
        ok: false,
        reason: 'a venue of a voluntary organisation in a change waiting for approval: directory admins change it',
        message:
          'This venue is part of a change waiting for a directory admin’s approval, so only a directory admin can change its address now. Ask them to change it.',
      }
    }
    return { ok: true, reason: '', message: '' }
  }

  /**
   * Refuses an id the service does not offer (a venue or schedule of another service, or one made up): audited like
   * other refusals, as it may be probing. Only outside a transaction (it writes with `db`).
   */
  async function refuseProbe(request: FastifyRequest, reason: string): Promise<void> {
    const { id } = request.params as { id: string }
    await recordAuditEvent(db, request.auditContext(), {
      action: 'directory-service.update',
      outcome: 'denied',
      subject: { type: 'directory-service', id },
      reason,
    })
  }

  /**
   * Saves a change to the venues and times: locks the service, builds the new version from the current one, then
   * applies it (or, for a voluntary organisation's published service, sends it for approval), records the version
   * and the audit event, all in one transaction.
   */
  async function save(
    request: FastifyRequest,
    reply: FastifyReply,
    change: string,
    mutate: (value: WhereAndWhen, trx: Tx, service: ServiceRecord) => Promise<WhereAndWhen> | WhereAndWhen,
  ) {
    const { id } = request.params as { id: string }
    const { session, needsApproval } = await authoriseService(db, request, id, 'directory-service.update')
    const outcome = await db.transaction().execute(async trx => {
      const locked = await lockService(trx, id)
      const service = await loadService(trx, id)
      if (!locked || !service) {
        throw new NotFoundError('There is no such service')
      }
      const live = draftOfService(service)
      const pending =
        needsApproval && locked.pendingVersionId ? await findVersion(trx, locked.pendingVersionId) : undefined
      const base = workingDraft(live, pending?.snapshot)
      const current = base.whereAndWhen ?? { venues: [], schedules: [] }
      const next = await mutate(structuredClone(current), trx, service)
      const proposal = locked.workflowStatus === 'published' && needsApproval
      const draft: ServiceDraft = { ...(proposal ? base : live), whereAndWhen: next }
      const changed = changedFields(live, draft)
      if (proposal) {
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
      } else {
        await applyWhereAndWhen(trx, id, next)
        await addVersion(trx, {
          serviceId: id,
          kind: 'edited',
          snapshot: draft,
          changedFields: changed,
          userId: session.user.id,
        })
        await setWorkflow(
          trx,
          id,
          locked.workflowStatus === 'published' ? { assuredDate: today(), assurerEmail: session.user.email } : {},
        )
      }
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'directory-service.update',
        outcome: 'allowed',
        subject: { type: 'directory-service', id },
        details: { changedFields: changed, awaitingApproval: proposal, whereAndWhen: change },
      })
      return proposal ? 'proposed' : locked.workflowStatus === 'published' ? 'saved' : 'draft'
    })
    invalidateDirectoryIndex(db)
    return reply.redirect(`/directory/manage/services/${id}/where-and-when?done=${outcome}`, 303)
  }

  app.get(`${prefix}/where-and-when`, { config: manage }, async (request, reply) => {
    const { id, service, value, pending, approver, needsApproval } = await load(request, 'directory-service.read')
    const venues = new Map(
      (
        await listVenues(
          db,
          value.venues.map(venue => venue.locationId),
        )
      ).map(v => [v.id, v]),
    )
    const base = `/directory/manage/services/${id}`
    const line = (schedule: DraftSchedule, path: string) => ({
      text: formatSession(asScheduleRecord(schedule)),
      href: `${base}/${path}/${schedule.id}`,
    })
    const pathOf = (schedule: DraftSchedule) =>
      schedule.kind === 'regular' ? 'sessions' : schedule.kind === 'event' ? 'events' : 'closures'
    const venueItems = await Promise.all(
      value.venues.map(async item => {
        const venue = venues.get(item.locationId)
        const here = value.schedules.filter(
          schedule => schedule.locationId === item.locationId && schedule.kind !== 'closure',
        )
        return {
          id: item.locationId,
          name: venue?.name ?? 'A venue that has been deleted',
          address: venue ? venueAddress(venue) : '',
          online: venue?.locationType === 'virtual',
          confidential: venue?.confidential ?? false,
          canEdit: venue ? (await canEditVenue(request, venue)).ok : false,
          sessions: here.filter(schedule => schedule.kind === 'regular').map(schedule => line(schedule, 'sessions')),
          events: here.filter(schedule => schedule.kind === 'event').map(schedule => line(schedule, 'events')),
        }
      }),
    )
    const known = new Set(value.venues.map(venue => venue.locationId))
    const done = (request.query as Record<string, unknown>).done
    return reply.page(`${views}/manage-times.njk`, {
      title: `Venues and times: ${service.name}`,
      service,
      base,
      venues: venueItems,
      elsewhere: value.schedules
        .filter(schedule => schedule.kind !== 'closure' && !(schedule.locationId && known.has(schedule.locationId)))
        .map(schedule => line(schedule, pathOf(schedule))),
      closures: value.schedules
        .filter(schedule => schedule.kind === 'closure')
        .map(schedule => line(schedule, 'closures')),
      editingPending: Boolean(pending),
      pendingForAdmin: approver && Boolean(service.pendingVersionId),
      needsApproval: needsApproval && service.workflowStatus === 'published',
      done: typeof done === 'string' ? doneMessages[done] : undefined,
    })
  })

  // Adding a venue the service does not run at yet: the provider's own venues and the family hub networks'.
  async function venueChoices(directoryOrganisationId: string, value: WhereAndWhen) {
    const used = new Set(value.venues.map(venue => venue.locationId))
    return (await listVenueChoices(db, directoryOrganisationId)).filter(venue => !used.has(venue.id))
  }

  async function showAddVenue(request: FastifyRequest, reply: FastifyReply, values: Values = {}, errors?: FormErrors) {
    const { id, service, owner, value } = await load(request, 'directory-service.update')
    const choices = await venueChoices(owner.directoryOrganisationId, value)
    return reply.page(`${views}/manage-venue-add.njk`, {
      title: 'Add a venue the service already uses',
      service,
      base: `/directory/manage/services/${id}`,
      errors,
      items: [
        { value: '', text: 'Choose a venue' },
        ...choices.map(venue => ({
          value: venue.id,
          text: [venue.networkName ? `${venue.name} (${venue.networkName})` : venue.name, venue.city]
            .filter(Boolean)
            .join(', '),
          selected: values.locationId === venue.id,
        })),
      ],
      hasChoices: choices.length > 0,
    })
  }

  app.get(`${prefix}/venues/add`, { config: manage }, async (request, reply) => showAddVenue(request, reply))

  app.post(`${prefix}/venues/add`, { config: manage }, async (request, reply) => {
    const form = parseForm(ExistingVenueForm, request.body)
    const values = echo(request.body)
    if (!form.ok) {
      reply.code(400)
      return showAddVenue(request, reply, values, form.errors)
    }
    const { owner, value } = await load(request, 'directory-service.update')
    const chosen = (await venueChoices(owner.directoryOrganisationId, value)).find(
      venue => venue.id === form.value.locationId,
    )
    if (!chosen) {
      await refuseProbe(request, 'a venue not offered to this service')
      reply.code(400)
      return showAddVenue(request, reply, values, formError('locationId', 'Choose a venue from the list'))
    }
    return save(request, reply, 'venue-added', current => ({
      ...current,
      venues: [...current.venues, { locationId: chosen.id, description: null }],
    }))
  })

  async function showVenueForm(
    reply: FastifyReply,
    context: { title: string; action: string; back: string; values: Values; errors?: FormErrors; isNew: boolean },
  ) {
    return reply.page(`${views}/manage-venue.njk`, context)
  }

  /** The venue form's fields, with the postcode looked up: the point and local authority, or an error for the field. */
  async function venueDetails(
    body: unknown,
  ): Promise<{ ok: true; value: VenueDetails } | { ok: false; errors: FormErrors }> {
    const form = parseForm(VenueForm, body)
    if (!form.ok) {
      return form
    }
    const point = await findPostcode(db, form.value.postcode)
    if (!point) {
      return {
        ok: false,
        errors: formError(
          'postcode',
          `We cannot find the postcode ${form.value.postcode}. Check it is right, or enter the postcode of a nearby address`,
        ),
      }
    }
    return {
      ok: true,
      value: {
        name: form.value.name,
        address1: form.value.address1,
        address2: form.value.address2,
        city: form.value.city,
        postalCode: form.value.postcode,
        latitude: point.latitude,
        longitude: point.longitude,
        laCode: point.laCode ?? null,
        confidential: form.value.confidential === 'yes',
      },
    }
  }

  app.get(`${prefix}/venues/new`, { config: manage }, async (request, reply) => {
    const { id } = await load(request, 'directory-service.update')
    const base = `/directory/manage/services/${id}`
    return showVenueForm(reply, {
      title: 'Add a new venue',
      action: `${base}/venues/new`,
      back: `${base}/where-and-when`,
      values: {},
      isNew: true,
    })
  })

  app.post(`${prefix}/venues/new`, { config: manage }, async (request, reply) => {
    const { id, owner } = await load(request, 'directory-service.update')
    const base = `/directory/manage/services/${id}`
    const details = await venueDetails(request.body)
    if (!details.ok) {
      reply.code(400)
      return showVenueForm(reply, {
        title: 'Add a new venue',
        action: `${base}/venues/new`,
        back: `${base}/where-and-when`,
        values: echo(request.body),
        errors: details.errors,
        isNew: true,
      })
    }
    return save(request, reply, 'venue-created', async (current, trx) => {
      const locationId = await createVenue(trx, owner.directoryOrganisationId, details.value)
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'directory-location.create',
        outcome: 'allowed',
        subject: { type: 'directory-location', id: locationId },
        details: { serviceId: id, confidential: details.value.confidential },
      })
      return { ...current, venues: [...current.venues, { locationId, description: null }] }
    })
  })

  app.get(`${prefix}/venues/:locationId/remove`, { config: manage }, async (request, reply) => {
    const { id, service, value } = await load(request, 'directory-service.update')
    const { locationId } = request.params as { locationId: string }
    if (!value.venues.some(venue => venue.locationId === locationId)) {
      await refuseProbe(request, 'a venue the service does not run at')
      throw new NotFoundError('The service does not run at that venue')
    }
    const venue = await findVenue(db, locationId)
    const count = value.schedules.filter(schedule => schedule.locationId === locationId).length
    return reply.page(`${views}/manage-confirm.njk`, {
      title: `Remove ${venue?.name ?? 'this venue'} from ${service.name}?`,
      paragraphs: [
        count
          ? `The ${String(count)} ${count === 1 ? 'session or event' : 'sessions and events'} there will be removed too.`
          : 'The service has no sessions there.',
        'The venue itself stays in the directory for other services.',
      ],
      action: `/directory/manage/services/${id}/venues/${locationId}/remove`,
      button: 'Remove the venue',
      back: `/directory/manage/services/${id}/where-and-when`,
    })
  })

  app.post(`${prefix}/venues/:locationId/remove`, { config: manage }, async (request, reply) => {
    const { locationId } = request.params as { locationId: string }
    const { value } = await load(request, 'directory-service.update')
    if (!value.venues.some(venue => venue.locationId === locationId)) {
      await refuseProbe(request, 'a venue the service does not run at')
      throw new NotFoundError('The service does not run at that venue')
    }
    return save(request, reply, 'venue-removed', current => {
      if (!current.venues.some(venue => venue.locationId === locationId)) {
        throw new NotFoundError('The service does not run at that venue')
      }
      return {
        venues: current.venues.filter(venue => venue.locationId !== locationId),
        schedules: current.schedules.filter(schedule => schedule.locationId !== locationId),
      }
    })
  })

  for (const page of schedulePages) {
    async function showScheduleForm(
      request: FastifyRequest,
      reply: FastifyReply,
      options: { values: Values; errors?: FormErrors; schedule?: DraftSchedule; venueId: string | null },
    ) {
      const { id, service } = await load(request, 'directory-service.update')
      const base = `/directory/manage/services/${id}`
      const venue = options.venueId ? await findVenue(db, options.venueId) : undefined
      const days = Array.isArray(options.values.days) ? options.values.days : []
      return reply.page(`${views}/manage-schedule.njk`, {
        title: options.schedule ? page.changeTitle : page.addTitle,
        service,
        kind: page.kind,
        venueName: venue?.name,
        action: options.schedule
          ? `${base}/${page.path}/${options.schedule.id}`
          : `${base}/${page.path}/new${options.venueId ? `?venue=${options.venueId}` : ''}`,
        deleteAction: options.schedule ? `${base}/${page.path}/${options.schedule.id}/delete` : undefined,
        back: `${base}/where-and-when`,
        values: options.values,
        errors: options.errors ? linkDateErrors(options.errors, page.dates) : undefined,
        dayItems: dayOptions.map(day => ({ ...day, checked: days.includes(day.value) })),
        monthly: options.schedule?.freq === 'MONTHLY' ? formatDays(asScheduleRecord(options.schedule)) : undefined,
        noun: page.noun,
      })
    }

    /** The venue named in ?venue= (for a new session or event): one the service runs at, in the working version. */
    async function venueOf(request: FastifyRequest, value: WhereAndWhen): Promise<string | null> {
      if (!page.atVenue) {
        return null
      }
      const venue = (request.query as Record<string, unknown>).venue
      if (typeof venue !== 'string' || !value.venues.some(item => item.locationId === venue)) {
        await refuseProbe(request, `${page.noun} at a venue the service does not run at`)
        throw new NotFoundError('Choose a venue the service runs at first')
      }
      return venue
    }

    /** The schedule in the URL, in `value`; inside a transaction (no audit: `scheduleOf` checked it before). */
    function findSchedule(request: FastifyRequest, value: WhereAndWhen): DraftSchedule {
      const { scheduleId } = request.params as { scheduleId: string }
      const schedule = value.schedules.find(item => item.id === scheduleId && item.kind === page.kind)
      if (!schedule) {
        throw new NotFoundError(`There is no such ${page.noun}`)
      }
      return schedule
    }

    /** The schedule in the URL, outside a transaction: one of another service (or none) is refused and audited. */
    async function scheduleOf(request: FastifyRequest, value: WhereAndWhen): Promise<DraftSchedule> {
      const { scheduleId } = request.params as { scheduleId: string }
      if (!value.schedules.some(item => item.id === scheduleId && item.kind === page.kind)) {
        await refuseProbe(request, `${page.noun} not of this service`)
      }
      return findSchedule(request, value)
    }

    app.get(`${prefix}/${page.path}/new`, { config: manage }, async (request, reply) => {
      const { value } = await load(request, 'directory-service.update')
      return showScheduleForm(request, reply, { values: { days: [] }, venueId: await venueOf(request, value) })
    })

    app.post(`${prefix}/${page.path}/new`, { config: manage }, async (request, reply) => {
      const { value } = await load(request, 'directory-service.update')
      const venueId = await venueOf(request, value)
      const form = parseForm(page.schema, request.body)
      if (!form.ok) {
        reply.code(400)
        return showScheduleForm(request, reply, { values: echo(request.body), errors: form.errors, venueId })
      }
      return save(request, reply, `${page.noun}-added`, current => {
        if (venueId && !current.venues.some(venue => venue.locationId === venueId)) {
          throw new NotFoundError('The service does not run at that venue')
        }
        return {
          ...current,
          schedules: [...current.schedules, scheduleFrom(form.value, crypto.randomUUID(), venueId)],
        }
      })
    })

    app.get(`${prefix}/${page.path}/:scheduleId`, { config: manage }, async (request, reply) => {
      const { value } = await load(request, 'directory-service.update')
      const schedule = await scheduleOf(request, value)
      return showScheduleForm(request, reply, {
        values: scheduleValues(schedule),
        schedule,
        venueId: schedule.locationId,
      })
    })

    app.post(`${prefix}/${page.path}/:scheduleId`, { config: manage }, async (request, reply) => {
      const { value } = await load(request, 'directory-service.update')
      const schedule = await scheduleOf(request, value)
      const form = parseForm(page.schema, request.body)
      if (!form.ok) {
        reply.code(400)
        return showScheduleForm(request, reply, {
          values: echo(request.body),
          errors: form.errors,
          schedule,
          venueId: schedule.locationId,
        })
      }
      return save(request, reply, `${page.noun}-changed`, current => {
        const before = findSchedule(request, current)
        return {
          ...current,
          schedules: current.schedules.map(item =>
            item.id === before.id ? scheduleFrom(form.value, before.id, before.locationId, before) : item,
          ),
        }
      })
    })

    app.post(`${prefix}/${page.path}/:scheduleId/delete`, { config: manage }, async (request, reply) => {
      const { value } = await load(request, 'directory-service.update')
      await scheduleOf(request, value)
      return save(request, reply, `${page.noun}-removed`, current => {
        const before = findSchedule(request, current)
        return { ...current, schedules: current.schedules.filter(item => item.id !== before.id) }
      })
    })
  }

  // A venue's own details: they show for every service there, so only its owner (or a directory admin) changes them.
  async function authoriseVenue(request: FastifyRequest): Promise<VenueRow> {
    const { locationId } = request.params as { locationId: string }
    const venue = isUuid(locationId) ? await findVenue(db, locationId) : undefined
    if (!venue) {
      throw new NotFoundError('There is no such venue')
    }
    const access = await canEditVenue(request, venue)
    if (!access.ok) {
      await recordAuditEvent(db, request.auditContext(), {
        action: 'directory-location.update',
        outcome: 'denied',
        subject: { type: 'directory-location', id: venue.id },
        reason: access.reason,
      })
      throw new ForbiddenError(access.message)
    }
    return venue
  }

  /** Back to the service the manager came from (?service=), or to the list. */
  function backFrom(request: FastifyRequest): string {
    const service = (request.query as Record<string, unknown>).service
    return typeof service === 'string' && isUuid(service)
      ? `/directory/manage/services/${service}/where-and-when`
      : '/directory/manage'
  }

  app.get('/directory/manage/venues/:locationId', { config: manage }, async (request, reply) => {
    const venue = await authoriseVenue(request)
    return showVenueForm(reply, {
      title: `Change ${venue.name}`,
      action: request.url,
      back: backFrom(request),
      isNew: false,
      values: {
        name: venue.name,
        address1: venue.address1 ?? '',
        address2: venue.address2 ?? '',
        city: venue.city ?? '',
        postcode: venue.postalCode ?? '',
        confidential: venue.confidential ? 'yes' : '',
      },
    })
  })

  app.post('/directory/manage/venues/:locationId', { config: manage }, async (request, reply) => {
    const venue = await authoriseVenue(request)
    const details = await venueDetails(request.body)
    if (!details.ok) {
      reply.code(400)
      return showVenueForm(reply, {
        title: `Change ${venue.name}`,
        action: request.url,
        back: backFrom(request),
        isNew: false,
        values: echo(request.body),
        errors: details.errors,
      })
    }
    await db.transaction().execute(async trx => {
      await updateVenue(trx, venue.id, details.value)
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'directory-location.update',
        outcome: 'allowed',
        subject: { type: 'directory-location', id: venue.id },
        details: {
          confidential: details.value.confidential,
          postcodeChanged: venue.postalCode !== details.value.postalCode,
        },
      })
    })
    invalidateDirectoryIndex(db)
    const back = backFrom(request)
    return reply.redirect(back.endsWith('/where-and-when') ? `${back}?done=venue-changed` : back, 303)
  })
}
