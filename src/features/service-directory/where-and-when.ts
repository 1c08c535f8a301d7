/**
 * Where and when a service runs, as its managers edit it: the venues (service-at-locations) and the schedules
 * (regular sessions, one-off events, closures). It is part of the service draft (ServiceDraft.whereAndWhen), so a
 * voluntary organisation's change to a published service waits for approval like any other change (ADR 0009).
 */
import { z } from 'zod'
import { dayCodes, dayMaskOf, dayMaskOfDate } from './directory-search.js'
import { formatSession, listJoin } from './directory-format.js'
import type { ScheduleKind } from './directory-tables.js'
import { dateParts, gatherDates, timeField } from './date-input.js'
import { normalisePostcode } from './postcodes.js'
import type { ScheduleRecord, ServiceRecord } from './service-records.js'

export interface DraftVenue {
  locationId: string
  /** What happens at this venue (service_at_location description), kept as imported. */
  description: string | null
}

/** One directory_schedules row, with its venue named by location id (null: not tied to a venue). */
export interface DraftSchedule {
  id: string
  locationId: string | null
  kind: ScheduleKind
  freq: 'WEEKLY' | 'MONTHLY' | null
  interval: number | null
  byday: string | null
  bymonthday: string | null
  /** 'HH:MM' */
  opensAt: string | null
  closesAt: string | null
  dtstart: string | null
  validFrom: string | null
  validTo: string | null
  termTimeOnly: boolean
  description: string | null
  notes: string | null
  attendingType: string | null
  scheduleLink: string | null
}

export interface WhereAndWhen {
  venues: DraftVenue[]
  schedules: DraftSchedule[]
}

export function whereAndWhenOf(service: ServiceRecord): WhereAndWhen {
  const locationOfSal = new Map(service.locations.map(sal => [sal.id, sal.location.id]))
  return {
    venues: service.locations.map(sal => ({ locationId: sal.location.id, description: sal.description })),
    schedules: service.schedules.map(schedule => ({
      id: schedule.id,
      locationId: schedule.serviceAtLocationId ? (locationOfSal.get(schedule.serviceAtLocationId) ?? null) : null,
      kind: schedule.kind,
      freq: schedule.freq,
      interval: schedule.interval,
      byday: schedule.byday,
      bymonthday: schedule.bymonthday,
      opensAt: schedule.opensAt,
      closesAt: schedule.closesAt,
      dtstart: schedule.dtstart,
      validFrom: schedule.validFrom,
      validTo: schedule.validTo,
      termTimeOnly: schedule.termTimeOnly,
      description: schedule.description,
      notes: schedule.notes,
      attendingType: schedule.attendingType,
      scheduleLink: schedule.scheduleLink,
    })),
  }
}

/** day_mask as the rest of the directory derives it: from the event's date, else from byday. */
export function dayMaskOfSchedule(schedule: Pick<DraftSchedule, 'kind' | 'byday' | 'dtstart'>): number {
  return schedule.kind === 'event' && schedule.dtstart ? dayMaskOfDate(schedule.dtstart) : dayMaskOf(schedule.byday)
}

/** A draft schedule in the shape the wording functions take. */
export function asScheduleRecord(schedule: DraftSchedule): ScheduleRecord {
  return {
    id: schedule.id,
    serviceAtLocationId: null,
    kind: schedule.kind,
    freq: schedule.freq,
    interval: schedule.interval,
    byday: schedule.byday,
    bymonthday: schedule.bymonthday,
    dayMask: dayMaskOfSchedule(schedule),
    opensAt: schedule.opensAt,
    closesAt: schedule.closesAt,
    dtstart: schedule.dtstart,
    validFrom: schedule.validFrom,
    validTo: schedule.validTo,
    termTimeOnly: schedule.termTimeOnly,
    description: schedule.description,
    notes: schedule.notes,
    attendingType: schedule.attendingType,
    scheduleLink: schedule.scheduleLink,
  }
}

/** A stable text form, for telling whether two versions differ (order of venues and schedules does not matter). */
export function canonicalWhereAndWhen(value: WhereAndWhen): string {
  const venues = [...value.venues].sort((a, b) => a.locationId.localeCompare(b.locationId))
  const schedules = [...value.schedules]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(schedule => ({ ...schedule, opensAt: schedule.opensAt?.slice(0, 5) ?? null }))
  return JSON.stringify({ venues, schedules })
}

/** In words, for the "what would change" table and the service summary: venue by venue, then closures. */
export function describeWhereAndWhen(value: WhereAndWhen, venueNames: Map<string, string>): string {
  const lines: string[] = []
  for (const venue of value.venues) {
    const sessions = value.schedules
      .filter(schedule => schedule.locationId === venue.locationId && schedule.kind !== 'closure')
      .map(schedule => formatSession(asScheduleRecord(schedule)))
    lines.push(
      `${venueNames.get(venue.locationId) ?? 'A venue'}: ${sessions.length ? listJoin(sessions) : 'no times given'}`,
    )
  }
  const elsewhere = value.schedules.filter(
    schedule =>
      schedule.kind !== 'closure' &&
      (schedule.locationId === null || !value.venues.some(venue => venue.locationId === schedule.locationId)),
  )
  if (elsewhere.length) {
    lines.push(`Not at a venue: ${listJoin(elsewhere.map(schedule => formatSession(asScheduleRecord(schedule))))}`)
  }
  const closures = value.schedules.filter(schedule => schedule.kind === 'closure')
  for (const closure of closures) {
    lines.push(formatSession(asScheduleRecord(closure)))
  }
  return lines.length ? lines.join('. ') : 'No venues or times'
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .optional()
    .transform(value => (value ?? '').trim())
    .pipe(z.string().max(max, `${label} must be ${String(max)} characters or fewer`))
    .transform(value => (value === '' ? null : value))

const requiredText = (max: number, empty: string, label: string) =>
  z
    .string({ error: empty })
    .trim()
    .min(1, empty)
    .max(max, `${label} must be ${String(max)} characters or fewer`)

const checkboxes = z.preprocess(
  (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value]),
  z.array(z.string()),
)

const dayNames: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
}
export const dayOptions = dayCodes.map(code => ({ value: code, text: dayNames[code] ?? code }))

/** What the session, event and closure forms give: the fields of a schedule that the forms edit. */
export type ScheduleFields = Pick<
  DraftSchedule,
  'kind' | 'freq' | 'interval' | 'byday' | 'opensAt' | 'closesAt' | 'dtstart' | 'validFrom' | 'validTo'
> &
  Pick<DraftSchedule, 'termTimeOnly' | 'description'>

function laterTime(ctx: z.RefinementCtx, opensAt: string, closesAt: string): void {
  if (opensAt >= closesAt) {
    ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'The finish time must be after the start time' })
  }
}

/** A regular weekly session: days, times, optional term time only and first and last dates. */
export const SessionForm = z.preprocess(
  body => gatherDates(body, ['validFrom', 'validTo']),
  z
    .object({
      description: optionalText(100, 'What the session is called'),
      days: checkboxes.pipe(
        z
          .array(z.enum(dayCodes, { error: 'Choose the days from the list' }))
          .min(1, 'Choose at least one day the session runs'),
      ),
      opensAt: timeField('the time the session starts'),
      closesAt: timeField('the time the session finishes'),
      termTimeOnly: z.string().optional(),
      validFrom: dateParts('the date of the first session', { required: false }),
      validTo: dateParts('the date of the last session', { required: false }),
    })
    .superRefine((form, ctx) => {
      laterTime(ctx, form.opensAt, form.closesAt)
      if (form.validFrom && form.validTo && form.validFrom > form.validTo) {
        ctx.addIssue({
          code: 'custom',
          path: ['validTo'],
          message: 'The date of the last session must be the same as or after the first',
        })
      }
    })
    .transform((form): ScheduleFields => ({
      kind: 'regular',
      freq: 'WEEKLY',
      interval: 1,
      byday: dayCodes.filter(code => form.days.includes(code)).join(','),
      opensAt: form.opensAt,
      closesAt: form.closesAt,
      dtstart: null,
      validFrom: form.validFrom,
      validTo: form.validTo,
      termTimeOnly: form.termTimeOnly === 'yes',
      description: form.description,
    })),
)

/** A one-off event on a date, with times. */
export const EventForm = z.preprocess(
  body => gatherDates(body, ['dtstart']),
  z
    .object({
      description: requiredText(100, 'Enter what the event is, like “Summer fun day”', 'What the event is'),
      dtstart: dateParts('the date of the event', { required: true }),
      opensAt: timeField('the time the event starts'),
      closesAt: timeField('the time the event finishes'),
    })
    .superRefine((form, ctx) => {
      laterTime(ctx, form.opensAt, form.closesAt)
    })
    .transform((form): ScheduleFields => ({
      kind: 'event',
      freq: null,
      interval: null,
      byday: null,
      opensAt: form.opensAt,
      closesAt: form.closesAt,
      dtstart: form.dtstart,
      validFrom: null,
      validTo: null,
      termTimeOnly: false,
      description: form.description,
    })),
)

/** A closure: the first and last days the service is closed, and why. */
export const ClosureForm = z.preprocess(
  body => gatherDates(body, ['validFrom', 'validTo']),
  z
    .object({
      description: optionalText(100, 'The reason'),
      validFrom: dateParts('the first day of the closure', { required: true }),
      validTo: dateParts('the last day of the closure', { required: true }),
    })
    .superRefine((form, ctx) => {
      if (form.validFrom && form.validTo && form.validFrom > form.validTo) {
        ctx.addIssue({
          code: 'custom',
          path: ['validTo'],
          message: 'The last day of the closure must be the same as or after the first day',
        })
      }
    })
    .transform((form): ScheduleFields => ({
      kind: 'closure',
      freq: null,
      interval: null,
      byday: null,
      opensAt: null,
      closesAt: null,
      dtstart: null,
      validFrom: form.validFrom,
      validTo: form.validTo,
      termTimeOnly: false,
      description: form.description,
    })),
)

/** A new venue, or a change to one: name and address; the postcode is looked up afterwards. */
export const VenueForm = z.object({
  name: requiredText(120, 'Enter the name of the venue', 'Name of the venue'),
  address1: requiredText(120, 'Enter the first line of the address', 'Address line 1'),
  address2: optionalText(120, 'Address line 2'),
  city: requiredText(60, 'Enter the town or city', 'Town or city'),
  postcode: z
    .string({ error: 'Enter the postcode' })
    .trim()
    .min(1, 'Enter the postcode')
    .transform((value, ctx): string => {
      const postcode = normalisePostcode(value)
      if (!postcode) {
        ctx.addIssue({ code: 'custom', message: 'Enter a full postcode, like NM1 1AA' })
        return z.NEVER
      }
      return postcode
    }),
  confidential: z.string().optional(),
})
export type VenueForm = z.infer<typeof VenueForm>

/** Choosing a venue the service does not run at yet. */
export const ExistingVenueForm = z.object({
  locationId: z.string({ error: 'Choose a venue' }).trim().min(1, 'Choose a venue'),
})

/** A schedule written from a form: the new fields over the old schedule (so imported details are kept). */
export function scheduleFrom(
  fields: ScheduleFields,
  id: string,
  locationId: string | null,
  before?: DraftSchedule,
): DraftSchedule {
  return {
    notes: null,
    attendingType: null,
    scheduleLink: null,
    bymonthday: null,
    ...before,
    ...fields,
    id,
    locationId,
  }
}
