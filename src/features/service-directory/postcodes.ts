import type { DbOrTx } from '../../db/database.js'
import {
  districtCentre,
  findPostcodeRow,
  networkHubByName,
  outcodeCentre,
  smallAreaByName,
  townCentre,
} from './postcode-store.js'

/** A full UK postcode without its space: outward code (area, district) then inward code (sector, unit). */
const fullPostcode = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/
const outwardCode = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/
const placeName = /^[\p{L}][\p{L}' .,&-]*$/u

/** 'nm11aa', ' NM1  1AA ' → 'NM1 1AA'; undefined when it is not a full postcode. */
export function normalisePostcode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/\s+/g, '')
  if (!fullPostcode.test(compact)) {
    return undefined
  }
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`
}

export type LocationQuery =
  { kind: 'postcode'; postcode: string } | { kind: 'outcode'; outcode: string } | { kind: 'place'; name: string }

export type ParsedLocation = { ok: true; query: LocationQuery } | { ok: false; message: string }

export const locationMessages = {
  empty: 'Enter a postcode, or the name of a town or area',
  tooLong: 'Postcode or place must be 100 characters or fewer',
  badPostcode: 'Enter a full postcode, like NM1 1AA, or the name of a town or area',
} as const

/**
 * What a parent typed in the "postcode or place" box: a full postcode, the first half of one (NM1), or a place name.
 * Anything with digits that is not a postcode gets a message that says what a postcode looks like.
 */
export function parseLocationInput(input: string | undefined): ParsedLocation {
  const text = (input ?? '').trim().replace(/\s+/g, ' ')
  if (text === '') {
    return { ok: false, message: locationMessages.empty }
  }
  if (text.length > 100) {
    return { ok: false, message: locationMessages.tooLong }
  }
  const postcode = normalisePostcode(text)
  if (postcode) {
    return { ok: true, query: { kind: 'postcode', postcode } }
  }
  const compact = text.toUpperCase().replace(/\s+/g, '')
  if (outwardCode.test(compact)) {
    return { ok: true, query: { kind: 'outcode', outcode: compact } }
  }
  if (/\d/.test(text) || !placeName.test(text)) {
    return { ok: false, message: locationMessages.badPostcode }
  }
  return { ok: true, query: { kind: 'place', name: text } }
}

/** The point a search measures distances from. */
export interface Origin {
  latitude: number
  longitude: number
  /** What to call it on the page: 'NM1 1AA', 'Ashby'. */
  label: string
  /** The local authority of the point, for service-area coverage; null when not known. */
  laCode: string | null
}

export function notFoundMessage(query: LocationQuery): string {
  switch (query.kind) {
    case 'postcode':
      return `We could not find the postcode ${query.postcode}. Check it is right, or enter the name of a town or area instead`
    case 'outcode':
      return `We could not find any postcodes starting ${query.outcode}. Enter a full postcode, like NM1 1AA`
    case 'place':
      return `We could not find a place called ${query.name}. Check the spelling, or enter a postcode instead`
  }
}

const postcodeCache = new Map<string, Origin>()
const postcodeCacheLimit = 20_000

export async function findPostcode(db: DbOrTx, postcode: string): Promise<Origin | undefined> {
  const cached = postcodeCache.get(postcode)
  if (cached) {
    return cached
  }
  const row = await findPostcodeRow(db, postcode)
  if (!row) {
    return undefined
  }
  const origin = { latitude: row.latitude, longitude: row.longitude, label: row.postcode, laCode: row.la_code }
  if (postcodeCache.size >= postcodeCacheLimit) {
    postcodeCache.clear()
  }
  postcodeCache.set(postcode, origin)
  return origin
}

/** Forgets cached postcodes (after an import, and between tests that reuse a postcode). */
export function clearPostcodeCache(): void {
  postcodeCache.clear()
}

/**
 * Resolves a search location to a point: a postcode from the postcode directory; an outward code to the centre of
 * its postcodes; a place to a district, small area, town of a venue, or family hub network of that name.
 */
export async function resolveLocation(db: DbOrTx, query: LocationQuery): Promise<Origin | undefined> {
  if (query.kind === 'postcode') {
    return findPostcode(db, query.postcode)
  }
  if (query.kind === 'outcode') {
    const row = await outcodeCentre(db, query.outcode)
    if (!row || row.n === 0) {
      return undefined
    }
    return { latitude: row.latitude, longitude: row.longitude, label: query.outcode, laCode: row.la_code }
  }
  const name = query.name.toLowerCase()
  const district = await districtCentre(db, name)
  if (district) {
    return {
      latitude: district.latitude,
      longitude: district.longitude,
      label: district.name,
      laCode: district.la_code,
    }
  }
  const area = await smallAreaByName(db, name)
  if (area) {
    return { latitude: area.latitude, longitude: area.longitude, label: area.name, laCode: area.la_code }
  }
  const town = await townCentre(db, name)
  if (town && town.n > 0) {
    return { latitude: town.latitude, longitude: town.longitude, label: town.city ?? query.name, laCode: town.la_code }
  }
  const network = await networkHubByName(db, name)
  if (network && network.latitude !== null && network.longitude !== null) {
    return { latitude: network.latitude, longitude: network.longitude, label: network.name, laCode: network.la_code }
  }
  return undefined
}

export const earthRadiusMetres = 6_371_000
const radiansPerDegree = Math.PI / 180
export const metresPerMile = 1609.344

/** Great-circle distance in metres (haversine), as the SQL below computes it. */
export function haversineMetres(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  return haversineBetween(a.latitude, a.longitude, b.latitude, b.longitude)
}

/** haversineMetres on plain numbers (no objects to allocate in a search's inner loop). */
export function haversineBetween(latitude1: number, longitude1: number, latitude2: number, longitude2: number): number {
  const dLat = (latitude2 - latitude1) * radiansPerDegree
  const dLon = (longitude2 - longitude1) * radiansPerDegree
  const sinLat = Math.sin(dLat / 2)
  const sinLon = Math.sin(dLon / 2)
  const h =
    sinLat * sinLat + Math.cos(latitude1 * radiansPerDegree) * Math.cos(latitude2 * radiansPerDegree) * sinLon * sinLon
  return 2 * earthRadiusMetres * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** A latitude/longitude box that contains every point within `metres` of the origin (with a small margin). */
export function boundingBox(origin: { latitude: number; longitude: number }, metres: number) {
  const dLat = (metres / 111_000) * 1.01
  const cos = Math.max(0.01, Math.cos((origin.latitude * Math.PI) / 180))
  const dLon = (metres / (111_000 * cos)) * 1.01
  return {
    minLat: origin.latitude - dLat,
    maxLat: origin.latitude + dLat,
    minLon: origin.longitude - dLon,
    maxLon: origin.longitude + dLon,
  }
}
