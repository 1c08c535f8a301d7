import type { Db } from '../../db/database.js'
import { createIdGenerator, createNhsNumberGenerator } from './demo-county-identifiers.js'
import { generateGeography } from './demo-county-geography.js'
import {
  buildDemoParentFamily,
  countyCalendar,
  generatePopulation,
  isoDate,
  type FamilyFacts,
} from './demo-county-population.js'
import { createSampler, deriveSeed, type Sampler } from './demo-county-random.js'
import {
  insertCareRelationships,
  insertDistricts,
  insertPopulationChunk,
  insertPostcodes,
  insertSmallAreas,
  linkUserToPerson,
  type CareRelationshipColumns,
} from './demo-county-store.js'
import { demoEmailDomain, type DemoOrganisations } from './demo-users.js'

export interface CountySummary {
  districts: number
  smallAreas: number
  postcodes: number
  families: number
  /** Children under five plus the reception cohort with EYFSP results. */
  children: number
  adults: number
  eyfspResults: number
  careRelationships: number
}

export interface DemoCountyOptions {
  /** 1 = a large county (~38,000 children); 90 ≈ England (~3.4 million). Districts stay 5; the rest is linear. */
  scale: number
  /** The same seed gives the same county. */
  seed: number
  laCode: string
  orgs: DemoOrganisations
  /** Demo account ids by email, from seedDemoUsers. */
  userIds: Map<string, string>
  /** The day ages are worked out on (default: today): fix it to get the very same dates of birth on another day. */
  today?: Date
}

/** Rows per statement for the geography, and people per population chunk (one transaction each). */
const geographyBatch = 5_000
const peoplePerChunk = 5_000
/** Population chunks being inserted at once (bounded, so memory is too). */
const chunksInFlight = 3

/** Caseload sizes of the demo staff, whatever the scale. */
export const demoCaseloads = {
  healthVisitor: 150,
  familySupportWorker: 40,
  midwife: 40,
  healthVisitingNorthTeam: 2_000,
} as const

/** A fixed-size uniform sample of a stream of unknown length (reservoir sampling, algorithm R). */
class Reservoir<T> {
  readonly items: T[] = []
  private seen = 0
  constructor(
    private readonly size: number,
    private readonly random: Sampler,
  ) {}
  offer(item: T): void {
    this.seen++
    if (this.items.length < this.size) {
      this.items.push(item)
      return
    }
    const slot = Math.floor(this.random.next() * this.seen)
    if (slot < this.size) {
      this.items[slot] = item
    }
  }
}

/**
 * Builds the fictional county deterministically from the seed: 5 districts, ~350 small areas with IMD deciles,
 * postcodes, ~26,000 households with ~38,000 children and ~45,000 parents and carers at scale 1, EYFSP results for
 * the latest reception cohort, caseloads for the demo staff, and the demo parent's own household. Rows stream into
 * the database chunk by chunk, so memory stays bounded at national scale.
 */
export async function seedDemoCounty(db: Db, options: DemoCountyOptions): Promise<CountySummary> {
  const { scale, seed, laCode, orgs, userIds } = options
  const calendar = countyCalendar(options.today ?? new Date())
  const summary: CountySummary = {
    districts: 0,
    smallAreas: 0,
    postcodes: 0,
    families: 0,
    children: 0,
    adults: 0,
    eyfspResults: 0,
    careRelationships: 0,
  }

  // Geography.
  const geography = generateGeography(createSampler(deriveSeed(seed, 'geography')), scale)
  await insertDistricts(db, laCode, {
    code: geography.districts.map(district => district.code),
    name: geography.districts.map(district => district.name),
  })
  summary.districts = geography.districts.length
  for (let first = 0; first < geography.smallAreas.length; first += geographyBatch) {
    const batch = geography.smallAreas.slice(first, first + geographyBatch)
    await insertSmallAreas(db, laCode, {
      code: batch.map(area => area.code),
      name: batch.map(area => area.name),
      districtCode: batch.map(area => area.district.code),
      imdDecile: batch.map(area => area.imdDecile),
      latitude: batch.map(area => area.latitude),
      longitude: batch.map(area => area.longitude),
    })
    summary.smallAreas += batch.length
  }
  for (const batch of geography.postcodeRows(geographyBatch)) {
    await insertPostcodes(db, laCode, {
      postcode: batch.map(row => row.postcode),
      latitude: batch.map(row => row.latitude),
      longitude: batch.map(row => row.longitude),
      lsoaCode: batch.map(row => row.lsoaCode),
    })
    summary.postcodes += batch.length
  }

  // The demo parent's household first, then everyone else.
  const nextId = createIdGenerator(seed)
  const nextNhsNumber = createNhsNumberGenerator(seed)
  const demoFamily = buildDemoParentFamily(geography.smallAreas, calendar, nextId, nextNhsNumber)
  await insertPopulationChunk(db, laCode, calendar.academicYear, demoFamily.chunk)
  summary.families += 1
  summary.children += demoFamily.chunk.children
  summary.adults += demoFamily.chunk.adults

  const sampling = createSampler(deriveSeed(seed, 'caseloads'))
  const northTeam = new Reservoir<FamilyFacts>(demoCaseloads.healthVisitingNorthTeam - 1, sampling)
  const midwifery = new Reservoir<FamilyFacts>(demoCaseloads.midwife, sampling)
  const familySupport = new Reservoir<FamilyFacts>(demoCaseloads.familySupportWorker, sampling)
  const newbornSince = calendar.todayDay - 42
  const population = generatePopulation(geography.smallAreas, {
    scale,
    calendar,
    random: createSampler(deriveSeed(seed, 'population')),
    nextId,
    nextNhsNumber,
    peoplePerChunk,
    onFamily: facts => {
      const youngest = facts.youngestUnderFiveDay
      if (youngest !== null && facts.smallArea.district.north) {
        northTeam.offer(facts)
      }
      if (youngest !== null && youngest >= newbornSince) {
        midwifery.offer(facts)
      }
      if (facts.smallArea.imdDecile <= 3) {
        familySupport.offer(facts)
      }
    },
  })
  // Each chunk is self-contained (its households, people and memberships), so a few can be in flight at once: on
  // PostgreSQL they run on separate connections; on PGlite (one connection) they simply queue.
  const inFlight = new Set<Promise<void>>()
  let failure: { error: unknown } | undefined
  for (const chunk of population) {
    while (inFlight.size >= chunksInFlight) {
      await Promise.race(inFlight)
    }
    if (failure) {
      break
    }
    const insert: Promise<void> = insertPopulationChunk(db, laCode, calendar.academicYear, chunk)
      .catch((error: unknown) => {
        failure ??= { error }
      })
      .finally(() => inFlight.delete(insert))
    inFlight.add(insert)
    summary.families += chunk.families.id.length
    summary.children += chunk.children
    summary.adults += chunk.adults
    summary.eyfspResults += chunk.eyfsp.personId.length
  }
  await Promise.all(inFlight)
  if (failure) {
    throw failure.error
  }

  // Caseloads: the health visitor's families are a sample of her team's; the demo parent's family is on both.
  const rows: CareRelationshipColumns = {
    id: [],
    familyId: [],
    holderUserId: [],
    holderTeamId: [],
    basis: [],
    startsAt: [],
    expiresAt: [],
  }
  const add = (
    facts: FamilyFacts,
    holder: { userId?: string; teamId?: string },
    basis: string,
    startDay: number,
    expiresDay: number | null,
  ): void => {
    rows.id.push(nextId())
    rows.familyId.push(facts.id)
    rows.holderUserId.push(holder.userId ?? null)
    rows.holderTeamId.push(holder.teamId ?? null)
    rows.basis.push(basis)
    rows.startsAt.push(`${isoDate(Math.min(startDay, calendar.todayDay))}T00:00:00Z`)
    rows.expiresAt.push(expiresDay === null ? null : `${isoDate(expiresDay)}T23:59:59Z`)
  }
  // Health visiting takes over from midwifery at 10–14 days.
  const visitingStart = (facts: FamilyFacts): number => (facts.youngestUnderFiveDay ?? calendar.todayDay) + 14
  const healthVisitor = userIds.get(`health.visitor@${demoEmailDomain}`)
  const midwife = userIds.get(`midwife@${demoEmailDomain}`)
  const familySupportWorker = userIds.get(`family.support@${demoEmailDomain}`)
  const teamFamilies = [demoFamily.facts, ...northTeam.items]
  for (const facts of teamFamilies) {
    add(facts, { teamId: orgs.teams.healthVisitingNorth }, 'health visiting team caseload', visitingStart(facts), null)
  }
  if (healthVisitor) {
    for (const facts of teamFamilies.slice(0, demoCaseloads.healthVisitor)) {
      add(facts, { userId: healthVisitor }, 'health visiting caseload', visitingStart(facts), null)
    }
  }
  if (midwife) {
    for (const facts of midwifery.items) {
      // Booked at about 10 weeks of pregnancy; postnatal care ends at 8 weeks.
      const birthDay = facts.youngestUnderFiveDay ?? calendar.todayDay
      add(facts, { userId: midwife }, 'community midwifery caseload', birthDay - 210, birthDay + 56)
    }
  }
  if (familySupportWorker) {
    for (const facts of familySupport.items) {
      add(
        facts,
        { userId: familySupportWorker },
        'family support caseload',
        calendar.todayDay - sampling.int(14, 300),
        null,
      )
    }
  }
  for (let first = 0; first < rows.id.length; first += geographyBatch) {
    const slice = <T>(values: T[]): T[] => values.slice(first, first + geographyBatch)
    await insertCareRelationships(db, laCode, {
      id: slice(rows.id),
      familyId: slice(rows.familyId),
      holderUserId: slice(rows.holderUserId),
      holderTeamId: slice(rows.holderTeamId),
      basis: slice(rows.basis),
      startsAt: slice(rows.startsAt),
      expiresAt: slice(rows.expiresAt),
    })
  }
  summary.careRelationships = rows.id.length

  const parent = userIds.get(`parent@${demoEmailDomain}`)
  if (parent) {
    await linkUserToPerson(db, parent, demoFamily.motherId)
  }
  return summary
}
