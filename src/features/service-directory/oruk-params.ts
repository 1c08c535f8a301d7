import { dayCodes, type DayCode } from './directory-search.js'
import { normalisePostcode } from './postcodes.js'

/** A query parameter the API cannot use: answered 400 with a JSON body naming the parameter. */
export class ParameterError extends Error {
  override name = 'ParameterError'
  readonly status = 400
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message)
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (value: string): boolean => uuidPattern.test(value)

type Query = Record<string, unknown>

function single(query: Query, name: string): string | undefined {
  const value = query[name]
  if (value === undefined) {
    return undefined
  }
  if (Array.isArray(value)) {
    throw new ParameterError(name, `${name} may be given only once`)
  }
  if (typeof value !== 'string') {
    throw new ParameterError(name, `${name} must be text`)
  }
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

function integer(query: Query, name: string, min: number, max: number): number | undefined {
  const value = single(query, name)
  if (value === undefined) {
    return undefined
  }
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ParameterError(name, `${name} must be a whole number from ${String(min)} to ${String(max)}`)
  }
  return Number(value)
}

function decimal(query: Query, name: string, min: number, max: number): number | undefined {
  const value = single(query, name)
  if (value === undefined) {
    return undefined
  }
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ParameterError(name, `${name} must be a number from ${String(min)} to ${String(max)}`)
  }
  return Number(value)
}

function uuids(query: Query, name: string): string[] | undefined {
  const value = single(query, name)
  if (value === undefined) {
    return undefined
  }
  const ids = value.split(',').map(id => id.trim())
  if (ids.length > 20 || !ids.every(isUuid)) {
    throw new ParameterError(name, `${name} must be a UUID, or up to 20 UUIDs separated by commas`)
  }
  return ids.map(id => id.toLowerCase())
}

function time(query: Query, name: string): string | undefined {
  const value = single(query, name)
  if (value === undefined) {
    return undefined
  }
  const match = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$/.exec(value)
  if (!match) {
    throw new ParameterError(name, `${name} must be a time in 24-hour HH:MM form, like 17:30`)
  }
  return `${match[1] ?? '00'}:${match[2] ?? '00'}`
}

function bool(query: Query, name: string): boolean | undefined {
  const value = single(query, name)
  if (value === undefined) {
    return undefined
  }
  if (value !== 'true' && value !== 'false') {
    throw new ParameterError(name, `${name} must be true or false`)
  }
  return value === 'true'
}

const dayNames: Record<string, DayCode> = {
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
  sunday: 'SU',
}

export interface ListParams {
  page: number
  perPage: number
}

export const perPageDefault = 50
export const perPageMax = 500

export function parsePaging(query: Query): ListParams {
  return {
    page: integer(query, 'page', 1, 1_000_000) ?? 1,
    perPage: integer(query, 'per_page', 1, perPageMax) ?? perPageDefault,
  }
}

export interface ServiceQueryParams extends ListParams {
  search: string | undefined
  taxonomyTermIds: string[] | undefined
  taxonomyId: string | undefined
  organizationId: string | undefined
  minimumAge: number | undefined
  maximumAge: number | undefined
  startTime: string | undefined
  endTime: string | undefined
  dayMask: number | undefined
  modifiedAfter: Date | undefined
  postcode: string | undefined
  proximity: number | undefined
  full: boolean
}

/** The largest radius a search may ask for: 100 km covers a county and its neighbours. */
export const maxProximityMetres = 100_000

/** Parses and checks the /services and /service_at_locations filters. Throws ParameterError. */
export function parseServiceQuery(query: Query): ServiceQueryParams {
  const paging = parsePaging(query)
  const search = single(query, 'search')
  if (search !== undefined && search.length > 200) {
    throw new ParameterError('search', 'search must be 200 characters or fewer')
  }
  const taxonomyIds = uuids(query, 'taxonomy_id')
  if (taxonomyIds && taxonomyIds.length > 1) {
    throw new ParameterError('taxonomy_id', 'taxonomy_id must be one UUID')
  }
  const organizationIds = uuids(query, 'organization_id')
  if (organizationIds && organizationIds.length > 1) {
    throw new ParameterError('organization_id', 'organization_id must be one UUID')
  }
  const minimumAge = decimal(query, 'minimum_age', 0, 120)
  const maximumAge = decimal(query, 'maximum_age', 0, 120)
  if (minimumAge !== undefined && maximumAge !== undefined && minimumAge > maximumAge) {
    throw new ParameterError('minimum_age', 'minimum_age must not be more than maximum_age')
  }
  const startTime = time(query, 'start_time')
  const endTime = time(query, 'end_time')
  const day = single(query, 'day')
  let dayMask: number | undefined
  if (day !== undefined) {
    dayMask = 0
    for (const part of day.split(',')) {
      const text = part.trim()
      const code = (dayNames[text.toLowerCase()] ?? text.toUpperCase()) as DayCode
      const index = dayCodes.indexOf(code)
      if (index < 0) {
        throw new ParameterError(
          'day',
          'day must be a day code MO, TU, WE, TH, FR, SA or SU (or several, separated by commas)',
        )
      }
      dayMask |= 1 << index
    }
  }
  const modified = single(query, 'modified_after')
  let modifiedAfter: Date | undefined
  if (modified !== undefined) {
    const valid = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(modified)
    modifiedAfter = valid
      ? new Date(modified.length === 10 ? `${modified}T00:00:00Z` : modified.replace(' ', 'T'))
      : undefined
    if (!modifiedAfter || Number.isNaN(modifiedAfter.getTime())) {
      throw new ParameterError(
        'modified_after',
        'modified_after must be a date or date-time in ISO 8601 form, like 2026-01-31T09:00:00Z',
      )
    }
  }
  const rawPostcode = single(query, 'postcode')
  let postcode: string | undefined
  if (rawPostcode !== undefined) {
    postcode = normalisePostcode(rawPostcode)
    if (!postcode) {
      throw new ParameterError('postcode', 'postcode must be a full UK postcode, like NM1 1AA')
    }
  }
  const proximity = integer(query, 'proximity', 1, maxProximityMetres)
  if (proximity !== undefined && postcode === undefined) {
    throw new ParameterError('postcode', 'proximity needs a postcode to measure from')
  }
  const format = single(query, 'format')
  if (format !== undefined && format !== 'json') {
    throw new ParameterError('format', 'format must be json (ndjson is not offered: page through the results instead)')
  }
  return {
    ...paging,
    search,
    taxonomyTermIds: uuids(query, 'taxonomy_term_id'),
    taxonomyId: taxonomyIds?.[0],
    organizationId: organizationIds?.[0],
    minimumAge,
    maximumAge,
    startTime,
    endTime,
    dayMask,
    modifiedAfter,
    postcode,
    proximity,
    full: bool(query, 'full') ?? false,
  }
}

export function parseId(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) {
    throw new ParameterError('id', 'id must be a UUID')
  }
  return value.toLowerCase()
}
