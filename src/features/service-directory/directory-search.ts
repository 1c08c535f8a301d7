import type { Origin } from './postcodes.js'

/**
 * What a directory search filters on and what it finds, shared by the public search page and the ORUK API. The
 * in-memory index (search-index.ts) runs the searches; directory-search-queries.ts holds the same search in SQL.
 *
 * Everything a directory search can filter on. Filters are cumulative (AND); within one group of terms, languages or
 * delivery methods, any one is enough (OR).
 */
export interface DirectoryFilters {
  text?: string | undefined
  /** Each group must match at least one of its terms (term ids, of any taxonomy, including derived ones). */
  termGroups?: string[][] | undefined
  /** Services with any term of this taxonomy. */
  taxonomyId?: string | undefined
  /** Child age overlap, in months: the service serves some age between min and max (inclusive). */
  childMonths?: { min?: number | undefined; max?: number | undefined } | undefined
  /** Stage of pregnancy overlap, in weeks. */
  pregnancyWeeks?: { min: number; max: number } | undefined
  freeOnly?: boolean | undefined
  languages?: string[] | undefined
  /** Venue features the location must have, all of them (accessibility term codes). */
  accessibility?: string[] | undefined
  schedule?: ScheduleFilter | undefined
  modifiedAfter?: Date | undefined
  directoryOrganisationId?: string | undefined
  networkId?: string | undefined
  origin?: Origin | undefined
  /** Only locations within this distance of the origin. Without it, everything matches, nearest first. */
  radiusMetres?: number | undefined
  /**
   * With a radius: also list services that have no venue (online, telephone, home visits), after the others. The
   * search page does; the ORUK API's proximity filter does not (a service without a venue has no distance).
   */
  includeServicesWithoutVenue?: boolean | undefined
}

export interface ScheduleFilter {
  /** Bit 0 Monday … bit 6 Sunday: sessions on any of these days. */
  dayMask?: number | undefined
  /** Sessions that run into the evening (close after 17:30) or at the weekend: any of those ticked. */
  evenings?: boolean | undefined
  weekends?: boolean | undefined
  /** 'HH:MM': sessions that start at or after this time (ORUK start_time). */
  opensFrom?: string | undefined
  /** 'HH:MM': sessions that end at or before this time (ORUK end_time). */
  closesBy?: string | undefined
}

export const dayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export type DayCode = (typeof dayCodes)[number]
export const weekendMask = (1 << 5) | (1 << 6)

/** 'MO,WE' or '1MO,-1FR' → bit mask (ordinal prefixes of monthly rules are ignored for searching). */
export function dayMaskOf(byday: string | null | undefined): number {
  let mask = 0
  for (const part of (byday ?? '').split(',')) {
    const code = part
      .trim()
      .toUpperCase()
      .replace(/^[+-]?\d+/, '')
    const index = dayCodes.indexOf(code as DayCode)
    if (index >= 0) {
      mask |= 1 << index
    }
  }
  return mask
}

/** The weekday of a 'YYYY-MM-DD' date as a mask bit. */
export function dayMaskOfDate(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay() // 0 Sunday
  return 1 << ((day + 6) % 7)
}

export interface ServiceHit {
  serviceId: string
  /** Metres to the nearest matching venue; null for services without a venue (online, telephone, home visits). */
  distance: number | null
}

export interface ServiceAtLocationHit {
  id: string
  serviceId: string
  locationId: string
  distance: number | null
}
