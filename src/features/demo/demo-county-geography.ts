import { createRandom } from './demo-random.js'
import { streetFirstWords, streetSuffixes, villageNames } from './demo-names.js'
import type { Sampler } from './demo-county-random.js'

/**
 * The fictional county's geography: five districts inland in the English Midlands (latitude 52.6–53.1, longitude
 * −1.9 to −1.1), LSOA-like small areas with IMD deciles, and postcodes in the non-existent "NM" postcode area, so
 * that they can never be mistaken for a real address.
 *
 * Scaling: districts stay five; small areas scale linearly with --scale (about 350 at scale 1, about 31,500 at scale
 * 90, like England's 33,755 LSOAs), so that each keeps a realistic ~110 children under five; postcodes are 10–30 per
 * small area at every scale.
 */

interface Town {
  name: string
  lat: number
  lon: number
  weight: number
  /** Standard deviation of the small-area centroids around the town centre, in degrees of latitude. */
  spread: number
}

export interface DistrictSpec {
  code: string
  name: string
  /** Share of the county's small areas (and so of its children). */
  share: number
  /** Relative frequency of IMD deciles 1 (most deprived) to 10. */
  decileWeights: readonly number[]
  bounds: { latMin: number; latMax: number; lonMin: number; lonMax: number }
  towns: readonly Town[]
  /** Weight of rural small areas (spread evenly over the district) against the towns' weights. */
  ruralWeight: number
  /** Relative frequency of the ethnic groups of demoEthnicities, in order. */
  ethnicityWeights: readonly number[]
  /** Covered by the "Health visiting – North" team. */
  north: boolean
}

export const districtSpecs: readonly DistrictSpec[] = [
  {
    code: 'E07099001',
    name: 'Kettlewick',
    share: 0.3,
    decileWeights: [24, 18, 14, 10, 8, 7, 6, 5, 4, 4],
    bounds: { latMin: 52.86, latMax: 53.1, lonMin: -1.5, lonMax: -1.1 },
    towns: [
      { name: 'Kettlewick', lat: 52.96, lon: -1.3, weight: 0.7, spread: 0.03 },
      { name: 'Hulme Bridge', lat: 53.04, lon: -1.2, weight: 0.2, spread: 0.015 },
    ],
    ruralWeight: 0.1,
    ethnicityWeights: [56, 9, 21, 9, 4, 1],
    north: true,
  },
  {
    code: 'E07099002',
    name: 'Northmoor',
    share: 0.22,
    decileWeights: [8, 9, 10, 11, 11, 11, 10, 10, 10, 10],
    bounds: { latMin: 52.88, latMax: 53.1, lonMin: -1.9, lonMax: -1.5 },
    towns: [
      { name: 'Northmoor', lat: 52.98, lon: -1.7, weight: 0.45, spread: 0.022 },
      { name: 'Rookby', lat: 53.05, lon: -1.83, weight: 0.2, spread: 0.012 },
    ],
    ruralWeight: 0.35,
    ethnicityWeights: [82, 7, 6, 3, 1, 1],
    north: true,
  },
  {
    code: 'E07099003',
    name: 'Ashby Vale',
    share: 0.18,
    decileWeights: [4, 6, 8, 9, 11, 12, 13, 13, 12, 12],
    bounds: { latMin: 52.76, latMax: 52.88, lonMin: -1.9, lonMax: -1.1 },
    towns: [
      { name: 'Ashby', lat: 52.82, lon: -1.52, weight: 0.4, spread: 0.018 },
      { name: 'Coleby', lat: 52.8, lon: -1.72, weight: 0.25, spread: 0.012 },
    ],
    ruralWeight: 0.35,
    ethnicityWeights: [84, 6, 6, 2, 1, 1],
    north: false,
  },
  {
    code: 'E07099004',
    name: 'Stanmere',
    share: 0.16,
    decileWeights: [2, 3, 4, 6, 8, 11, 14, 16, 18, 18],
    bounds: { latMin: 52.6, latMax: 52.76, lonMin: -1.9, lonMax: -1.5 },
    towns: [
      { name: 'Stanmere', lat: 52.68, lon: -1.72, weight: 0.5, spread: 0.018 },
      { name: 'Wolsey Green', lat: 52.64, lon: -1.58, weight: 0.2, spread: 0.01 },
    ],
    ruralWeight: 0.3,
    ethnicityWeights: [83, 6, 8, 1.5, 1, 0.5],
    north: false,
  },
  {
    code: 'E07099005',
    name: 'Harrowgate Fen',
    share: 0.14,
    decileWeights: [6, 8, 11, 13, 14, 13, 11, 10, 8, 6],
    bounds: { latMin: 52.6, latMax: 52.76, lonMin: -1.5, lonMax: -1.1 },
    towns: [
      { name: 'Harrowgate', lat: 52.7, lon: -1.25, weight: 0.35, spread: 0.015 },
      { name: 'Fenby', lat: 52.64, lon: -1.38, weight: 0.15, spread: 0.01 },
    ],
    ruralWeight: 0.5,
    ethnicityWeights: [88, 4, 3, 1.5, 2.5, 1],
    north: false,
  },
]

export interface SmallArea {
  code: string
  name: string
  district: DistrictSpec
  imdDecile: number
  latitude: number
  longitude: number
  /** Town or village of the area's addresses. */
  place: string
  streets: string[]
  /** Relative number of young children living in the area. */
  weight: number
  postcodes: string[]
}

export interface PostcodeRow {
  postcode: string
  latitude: number
  longitude: number
  lsoaCode: string
}

/** Small areas at scale 1; the count is linear in the scale. */
export const smallAreasAtScaleOne = 350

const inwardLetters = 'ABDEFGHJLNPQRSTUWXYZ'
const unitsPerOutward = 10 * inwardLetters.length * inwardLetters.length

/** NM1 … NM99, then NM1A … NM9Z: the outward codes of the fictional NM postcode area, in the order they are used. */
function outwardCodes(): string[] {
  const codes: string[] = []
  for (let district = 1; district <= 99; district++) {
    codes.push(`NM${String(district)}`)
  }
  for (let district = 1; district <= 9; district++) {
    for (const letter of inwardLetters) {
      codes.push(`NM${String(district)}${letter}`)
    }
  }
  return codes
}

function inwardCode(unit: number): string {
  const sector = Math.floor(unit / (inwardLetters.length * inwardLetters.length))
  const rest = unit % (inwardLetters.length * inwardLetters.length)
  return `${String(sector)}${inwardLetters[Math.floor(rest / inwardLetters.length)] ?? 'A'}${inwardLetters[rest % inwardLetters.length] ?? 'A'}`
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value))

/** Degrees of longitude are shorter than degrees of latitude at 53°N: stretch east–west spreads to match. */
const lonStretch = 1.66

export interface Geography {
  districts: readonly DistrictSpec[]
  smallAreas: SmallArea[]
  postcodeCount: number
  /** Calls back with the postcodes in batches; each small area's postcodes are in SmallArea.postcodes. */
  postcodeRows: (batchSize: number) => Generator<PostcodeRow[]>
}

/** Builds the districts, small areas and postcodes. Memory is linear in the number of postcodes (strings only). */
export function generateGeography(random: Sampler, scale: number): Geography {
  const totalAreas = Math.max(districtSpecs.length * 2, Math.round(smallAreasAtScaleOne * scale))
  const smallAreas: SmallArea[] = []
  const postcodeSpreads: { sd: number; area: SmallArea }[] = []
  const counts: number[] = []
  let codeNumber = 99001
  let villageIndex = random.int(0, villageNames.length - 1)
  for (const district of districtSpecs) {
    const areaCount = Math.max(2, Math.round(totalAreas * district.share))
    const placeWeights = [...district.towns.map(town => town.weight), district.ruralWeight]
    const msoaSizes: number[] = []
    for (let left = areaCount; left > 0;) {
      const size = Math.min(left, random.int(4, 6))
      msoaSizes.push(size)
      left -= size
    }
    let msoa = 0
    let letter = 0
    for (let i = 0; i < areaCount; i++) {
      if (letter >= (msoaSizes[msoa] ?? 0)) {
        msoa++
        letter = 0
      }
      const { bounds } = district
      const placeIndex = random.weightedIndex(placeWeights)
      const town = district.towns[placeIndex]
      let latitude: number
      let longitude: number
      let place: string
      let spread: number
      if (town) {
        latitude = clamp(random.normal(town.lat, town.spread), bounds.latMin, bounds.latMax)
        longitude = clamp(random.normal(town.lon, town.spread * lonStretch), bounds.lonMin, bounds.lonMax)
        place = town.name
        spread = 0.003
      } else {
        latitude = bounds.latMin + random.next() * (bounds.latMax - bounds.latMin)
        longitude = bounds.lonMin + random.next() * (bounds.lonMax - bounds.lonMin)
        place = villageNames[villageIndex++ % villageNames.length] ?? district.name
        spread = 0.01
      }
      const imdDecile = 1 + random.weightedIndex(district.decileWeights)
      const streets: string[] = []
      for (let s = 0; s < 6; s++) {
        streets.push(`${random.pick(streetFirstWords)} ${random.pick(streetSuffixes)}`)
      }
      const area: SmallArea = {
        code: `E01${String(codeNumber++).padStart(6, '0')}`,
        name: `${district.name} ${String(msoa + 1).padStart(3, '0')}${String.fromCharCode(65 + letter)}`,
        district,
        imdDecile,
        latitude: round6(latitude),
        longitude: round6(longitude),
        place,
        streets,
        // Deprived areas have more young children (higher fertility, younger families).
        weight: (1 + 0.05 * (5.5 - imdDecile)) * (0.75 + 0.5 * random.next()),
        postcodes: [],
      }
      letter++
      smallAreas.push(area)
      const count = random.int(10, 30)
      counts.push(count)
      postcodeSpreads.push({ sd: spread, area })
    }
  }

  // Outward codes: about 175 postcodes each at scale 1 (NM1 … NM40), more per outward code at large scales.
  const outwards = outwardCodes()
  const postcodeCount = counts.reduce((sum, count) => sum + count, 0)
  const outwardCount = clamp(Math.ceil(postcodeCount / 175), 1, outwards.length)
  const areasPerOutward = Math.ceil(smallAreas.length / outwardCount)
  let assigned = 0
  for (let first = 0; first < smallAreas.length; first += areasPerOutward) {
    const outward = outwards[Math.floor(first / areasPerOutward)] ?? 'NM99'
    const last = Math.min(smallAreas.length, first + areasPerOutward)
    let needed = 0
    for (let i = first; i < last; i++) {
      needed += counts[i] ?? 0
    }
    const maxSkip = clamp(Math.floor((unitsPerOutward - needed) / Math.max(1, needed)), 0, 3)
    let unit = random.int(0, maxSkip)
    for (let i = first; i < last; i++) {
      const area = smallAreas[i]
      if (!area) {
        continue
      }
      const count = counts[i] ?? 0
      for (let p = 0; p < count && unit < unitsPerOutward; p++) {
        area.postcodes.push(`${outward} ${inwardCode(unit)}`)
        unit += 1 + random.int(0, maxSkip)
        assigned++
      }
    }
  }

  const seedForCoordinates = random.int(0, 0x7fffffff)
  return {
    districts: districtSpecs,
    smallAreas,
    postcodeCount: assigned,
    postcodeRows: function* (batchSize: number) {
      // Coordinates come from their own stream, so that inserting postcodes in any batch size gives the same rows.
      const uniform = createRandom(seedForCoordinates)
      const jitter = (): number => uniform() * 2 - 1
      let batch: PostcodeRow[] = []
      for (const { area, sd } of postcodeSpreads) {
        for (const postcode of area.postcodes) {
          batch.push({
            postcode,
            latitude: round6(area.latitude + jitter() * sd * 1.7),
            longitude: round6(area.longitude + jitter() * sd * 1.7 * lonStretch),
            lsoaCode: area.code,
          })
          if (batch.length >= batchSize) {
            yield batch
            batch = []
          }
        }
      }
      if (batch.length > 0) {
        yield batch
      }
    },
  }
}
