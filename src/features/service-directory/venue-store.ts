import { sql, type Insertable } from 'kysely'
import type { DbOrTx } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { dayMaskOfSchedule, type DraftSchedule, type WhereAndWhen } from './where-and-when.js'

/**
 * Makes a service's venues (service-at-locations) and schedules match `value`: adds and removes venue links, and
 * inserts, updates and deletes schedules by id. Rows that are already right are not touched, so ids stay stable
 * (the ORUK API publishes them) and applying an unchanged draft writes nothing.
 */
export async function applyWhereAndWhen(db: DbOrTx, serviceId: string, value: WhereAndWhen): Promise<void> {
  const sals = await db
    .selectFrom('directory_service_at_locations')
    .select(['id', 'location_id', 'description'])
    .where('service_id', '=', serviceId)
    .execute()
  const wanted = new Map(value.venues.map(venue => [venue.locationId, venue]))
  const gone = sals.filter(sal => !wanted.has(sal.location_id)).map(sal => sal.id)
  if (gone.length) {
    // Their schedules go with them (ON DELETE CASCADE).
    await db.deleteFrom('directory_service_at_locations').where('id', 'in', gone).execute()
  }
  const salOf = new Map(sals.filter(sal => wanted.has(sal.location_id)).map(sal => [sal.location_id, sal.id]))
  for (const sal of sals) {
    const venue = wanted.get(sal.location_id)
    if (venue && venue.description !== sal.description) {
      await db
        .updateTable('directory_service_at_locations')
        .set({ description: venue.description })
        .where('id', '=', sal.id)
        .execute()
    }
  }
  const added = value.venues.filter(venue => !salOf.has(venue.locationId))
  if (added.length) {
    const rows = await db
      .insertInto('directory_service_at_locations')
      .values(
        added.map(venue => ({ service_id: serviceId, location_id: venue.locationId, description: venue.description })),
      )
      .returning(['id', 'location_id'])
      .execute()
    for (const row of rows) {
      salOf.set(row.location_id, row.id)
    }
  }

  const existing = new Map(
    (await db.selectFrom('directory_schedules').selectAll().where('service_id', '=', serviceId).execute()).map(row => [
      row.id,
      row,
    ]),
  )
  const keep = new Set(value.schedules.map(schedule => schedule.id))
  const stale = [...existing.keys()].filter(id => !keep.has(id))
  if (stale.length) {
    await db.deleteFrom('directory_schedules').where('id', 'in', stale).execute()
  }
  for (const schedule of value.schedules) {
    const row = scheduleRow(serviceId, schedule, schedule.locationId ? (salOf.get(schedule.locationId) ?? null) : null)
    const before = existing.get(schedule.id)
    if (!before) {
      await db.insertInto('directory_schedules').values(row).execute()
    } else if (differs(before, row)) {
      const { id: _id, ...changes } = row
      await db.updateTable('directory_schedules').set(changes).where('id', '=', schedule.id).execute()
    }
  }
}

type ScheduleRow = Insertable<Database['directory_schedules']> & { id: string }

function scheduleRow(serviceId: string, schedule: DraftSchedule, salId: string | null): ScheduleRow {
  return {
    id: schedule.id,
    service_id: serviceId,
    service_at_location_id: salId,
    kind: schedule.kind,
    freq: schedule.freq,
    interval: schedule.interval,
    byday: schedule.byday,
    bymonthday: schedule.bymonthday,
    day_mask: dayMaskOfSchedule(schedule),
    opens_at: schedule.opensAt,
    closes_at: schedule.closesAt,
    dtstart: schedule.dtstart,
    valid_from: schedule.validFrom,
    valid_to: schedule.validTo,
    term_time_only: schedule.termTimeOnly,
    description: schedule.description,
    notes: schedule.notes,
    attending_type: schedule.attendingType,
    schedule_link: schedule.scheduleLink,
  }
}

function differs(before: Record<string, unknown>, row: ScheduleRow): boolean {
  return Object.entries(row).some(([key, value]) => {
    const old = before[key]
    if (key === 'opens_at' || key === 'closes_at') {
      return (typeof old === 'string' ? old.slice(0, 5) : old) !== value
    }
    return (old ?? null) !== (value ?? null)
  })
}

export interface VenueRow {
  id: string
  name: string
  locationType: string
  address1: string | null
  address2: string | null
  city: string | null
  postalCode: string | null
  confidential: boolean
  networkName: string | null
  /** The directory organisation that owns the venue record. */
  directoryOrganisationId: string | null
  /** The platform organisation behind that directory organisation, and its kind. */
  ownerOrganisationId: string | null
  ownerKind: string | null
}

function venueQuery(db: DbOrTx) {
  return db
    .selectFrom('directory_locations as l')
    .leftJoin('directory_networks as n', 'n.id', 'l.network_id')
    .leftJoin('directory_organisations as o', 'o.id', 'l.directory_organisation_id')
    .leftJoin('organisations as p', 'p.id', 'o.organisation_id')
    .select([
      'l.id',
      'l.name',
      'l.location_type',
      'l.address_1',
      'l.address_2',
      'l.city',
      'l.postal_code',
      'l.confidential',
      'n.name as network_name',
      'l.directory_organisation_id',
      'o.organisation_id as owner_organisation_id',
      'p.kind as owner_kind',
    ])
}

function toVenue(row: {
  id: string
  name: string
  location_type: string
  address_1: string | null
  address_2: string | null
  city: string | null
  postal_code: string | null
  confidential: boolean
  network_name: string | null
  directory_organisation_id: string | null
  owner_organisation_id: string | null
  owner_kind: string | null
}): VenueRow {
  return {
    id: row.id,
    name: row.name,
    locationType: row.location_type,
    address1: row.address_1,
    address2: row.address_2,
    city: row.city,
    postalCode: row.postal_code,
    confidential: row.confidential,
    networkName: row.network_name,
    directoryOrganisationId: row.directory_organisation_id,
    ownerOrganisationId: row.owner_organisation_id,
    ownerKind: row.owner_kind,
  }
}

export async function findVenue(db: DbOrTx, id: string): Promise<VenueRow | undefined> {
  const row = await venueQuery(db).where('l.id', '=', id).executeTakeFirst()
  return row ? toVenue(row) : undefined
}

export async function listVenues(db: DbOrTx, ids: string[]): Promise<VenueRow[]> {
  if (!ids.length) {
    return []
  }
  return (await venueQuery(db).where('l.id', 'in', ids).execute()).map(toVenue)
}

/**
 * Venues a service can be added at: those of its own directory organisation and every family hub network venue,
 * networks first (by network, then name), then the organisation's own. At most 1,000.
 */
export async function listVenueChoices(db: DbOrTx, directoryOrganisationId: string): Promise<VenueRow[]> {
  const rows = await venueQuery(db)
    .where(eb =>
      eb.or([eb('l.directory_organisation_id', '=', directoryOrganisationId), eb('l.network_id', 'is not', null)]),
    )
    .orderBy('n.name')
    .orderBy('l.name')
    .orderBy('l.id')
    .limit(1000)
    .execute()
  return rows.map(toVenue)
}

/** How many published services run at a venue (a venue families can see). */
export async function countPublishedServicesAt(db: DbOrTx, locationId: string): Promise<number> {
  const row = await db
    .selectFrom('directory_service_at_locations as sal')
    .innerJoin('directory_services as s', 's.id', 'sal.service_id')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('sal.location_id', '=', locationId)
    .where('s.workflow_status', '=', 'published')
    .executeTakeFirst()
  return row?.n ?? 0
}

/**
 * How many changes waiting for approval on published services would add or keep the service at a venue: a voluntary
 * organisation's venue in one is checked by a directory admin, so it must not change under them.
 */
export async function countPendingProposalsAt(db: DbOrTx, locationId: string): Promise<number> {
  const row = await db
    .selectFrom('directory_services as s')
    .innerJoin('directory_service_versions as v', 'v.id', 's.pending_version_id')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('s.workflow_status', '=', 'published')
    .where(sql<boolean>`v.snapshot -> 'whereAndWhen' -> 'venues' @> ${JSON.stringify([{ locationId }])}::jsonb`)
    .executeTakeFirst()
  return row?.n ?? 0
}

export interface VenueDetails {
  name: string
  address1: string
  address2: string | null
  city: string
  postalCode: string
  latitude: number
  longitude: number
  laCode: string | null
  confidential: boolean
}

function venueColumns(details: VenueDetails) {
  return {
    name: details.name,
    address_1: details.address1,
    address_2: details.address2,
    city: details.city,
    postal_code: details.postalCode,
    latitude: details.latitude,
    longitude: details.longitude,
    la_code: details.laCode,
    confidential: details.confidential,
  }
}

export async function createVenue(db: DbOrTx, directoryOrganisationId: string, details: VenueDetails): Promise<string> {
  const row = await db
    .insertInto('directory_locations')
    .values({
      ...venueColumns(details),
      directory_organisation_id: directoryOrganisationId,
      location_type: 'physical',
      country: 'GB',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateVenue(db: DbOrTx, id: string, details: VenueDetails): Promise<void> {
  await db
    .updateTable('directory_locations')
    .set({ ...venueColumns(details), updated_at: new Date() })
    .where('id', '=', id)
    .execute()
}
