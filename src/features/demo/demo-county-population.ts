import { demoEthnicities, namePools, poolsByEthnicity, type DemoEthnicity, type NamePool } from './demo-names.js'
import type { SmallArea } from './demo-county-geography.js'
import type { Sampler } from './demo-county-random.js'

/**
 * The synthetic population: households in the county's small areas with their children under five and the
 * reception cohort whose EYFSP results are in, and 1–2 adults with parental responsibility. Pure: it produces rows
 * in column arrays, chunk by chunk, and never touches the database, so that its distributions can be tested alone.
 */

const dayMs = 86_400_000

/** Births per year at scale 1 in the latest year; each earlier year had about 1.1% more (a slight decline). */
export const latestBirthsAtScaleOne = 6_200
const birthDeclinePerYear = 0.011

export interface CountyCalendar {
  todayDay: number
  /** First birth day of the under-fives (today − 5 years + 1 day). */
  underFiveStartDay: number
  /** Birth days of the reception cohort whose EYFSP results are in: 1 September to 31 August. */
  receptionStartDay: number
  receptionEndDay: number
  /** The academic year of that reception cohort's EYFSP, e.g. "2025/26". */
  academicYear: string
}

const utcDay = (year: number, month: number, day: number): number => Math.floor(Date.UTC(year, month, day) / dayMs)

/** The dates the county is built around: ages are on `today`, the EYFSP cohort is the latest complete one. */
export function countyCalendar(today: Date): CountyCalendar {
  const year = today.getUTCFullYear()
  const month = today.getUTCMonth()
  const date = today.getUTCDate()
  // The latest complete academic year ends on 31 August before today.
  const endYear = month >= 8 ? year : year - 1
  return {
    todayDay: utcDay(year, month, date),
    underFiveStartDay: utcDay(year - 5, month, date) + 1,
    receptionStartDay: utcDay(endYear - 6, 8, 1),
    receptionEndDay: utcDay(endYear - 5, 7, 31),
    academicYear: `${String(endYear - 1)}/${String(endYear).slice(2)}`,
  }
}

export function isoDate(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10)
}

/** Column arrays for one batch of rows of each table (la_code is the same for every row and added on insert). */
export interface PopulationChunk {
  families: { id: string[]; smallAreaCode: string[]; addressLine: string[]; postcode: string[] }
  people: {
    id: string[]
    givenName: string[]
    familyName: string[]
    dateOfBirth: string[]
    sex: ('female' | 'male')[]
    nhsNumber: (string | null)[]
    ethnicity: string[]
    freeSchoolMeals: boolean[]
    send: boolean[]
  }
  members: { familyId: string[]; personId: string[]; relationship: string[]; parentalResponsibility: boolean[] }
  eyfsp: { personId: string[]; goodLevelOfDevelopment: boolean[] }
  children: number
  adults: number
}

export function emptyChunk(): PopulationChunk {
  return {
    families: { id: [], smallAreaCode: [], addressLine: [], postcode: [] },
    people: {
      id: [],
      givenName: [],
      familyName: [],
      dateOfBirth: [],
      sex: [],
      nhsNumber: [],
      ethnicity: [],
      freeSchoolMeals: [],
      send: [],
    },
    members: { familyId: [], personId: [], relationship: [], parentalResponsibility: [] },
    eyfsp: { personId: [], goodLevelOfDevelopment: [] },
    children: 0,
    adults: 0,
  }
}

/** What the caller needs to know about each household to build caseloads. */
export interface FamilyFacts {
  id: string
  smallArea: SmallArea
  /** Birth day of the youngest child under five, or null when the household has only the reception-age child. */
  youngestUnderFiveDay: number | null
  freeSchoolMeals: boolean
}

export interface PopulationOptions {
  scale: number
  calendar: CountyCalendar
  random: Sampler
  nextId: () => string
  nextNhsNumber: () => string
  /** Flush a chunk once it holds this many people. */
  peoplePerChunk: number
  onFamily?: (facts: FamilyFacts) => void
}

// --- Model parameters, calibrated by simulation against the figures in PRODUCT.md (checked in demo-county.test.ts) --

/** Share of households whose under-fives live with one parent or carer, by IMD decile 1…10. */
const loneParentShare = (decile: number): number => 0.12 + 0.026 * (10 - decile)
/** Free school meals / early years pupil premium eligibility of the household, by IMD decile 1…10. */
const fsmByDecile = [0.4, 0.31, 0.25, 0.2, 0.16, 0.12, 0.095, 0.075, 0.06, 0.05]
/** SEND by age in whole years (5 = the reception cohort); multiplied by the sex and FSM factors below. */
const sendByAge = [0.015, 0.03, 0.05, 0.07, 0.085, 0.1]
const sendBoy = 1.35
const sendGirl = 0.65
const sendFsm = 1.6
const sendNotFsm = 0.85
/** Logistic model of a good level of development at the end of reception. */
export const gldModel = { intercept: 1.17, perDecile: 0.095, fsm: -0.62, send: -2.32, girl: 0.27 }

const ethnicityGroupOfPool: Record<NamePool, DemoEthnicity> = {
  british: 'White',
  eastEuropean: 'White',
  southAsian: 'Asian or Asian British',
  eastAsian: 'Asian or Asian British',
  african: 'Black, Black British, Caribbean or African',
  caribbean: 'Black, Black British, Caribbean or African',
  somali: 'Black, Black British, Caribbean or African',
  arabTurkish: 'Other ethnic group',
  latin: 'Other ethnic group',
}

function pickPool(random: Sampler, ethnicity: DemoEthnicity): NamePool {
  const pools = poolsByEthnicity[ethnicity]
  const index = random.weightedIndex(pools.map(([, weight]) => weight))
  return pools[index]?.[0] ?? 'british'
}

interface Adult {
  relationship: 'mother' | 'father' | 'parent' | 'carer'
  sex: 'female' | 'male'
  pool: NamePool
  ethnicity: DemoEthnicity
  /** Age in years at the birth of the household's eldest child in scope. */
  ageAtFirstBirth: number
  ownSurname: boolean
}

/** Expected births at scale 1 in the under-five window (declining births) and in the reception cohort. */
function birthMasses(calendar: CountyCalendar): { underFive: number; reception: number } {
  // Under-fives: births at age a (years) proportional to 1 + βa, for a in [0, 5).
  const underFive = latestBirthsAtScaleOne * (5 + birthDeclinePerYear * 12.5)
  const receptionMidAge = (calendar.todayDay - (calendar.receptionStartDay + calendar.receptionEndDay) / 2) / 365.25
  const receptionYears = (calendar.receptionEndDay - calendar.receptionStartDay + 1) / 365.25
  const reception = latestBirthsAtScaleOne * (1 + birthDeclinePerYear * receptionMidAge) * receptionYears
  return { underFive, reception }
}

/** Expected number of children (under-fives plus the reception cohort) at a scale. */
export function expectedChildren(scale: number, calendar: CountyCalendar): number {
  const { underFive, reception } = birthMasses(calendar)
  return (underFive + reception) * scale
}

/** Draws a birth day from the county's birth distribution: the under-fives or the reception cohort. */
function createBirthDaySampler(calendar: CountyCalendar, random: Sampler): () => number {
  const windowDays = calendar.todayDay - calendar.underFiveStartDay + 1
  const { underFive, reception } = birthMasses(calendar)
  const receptionShare = reception / (underFive + reception)
  const c = 5 + birthDeclinePerYear * 12.5
  return () => {
    if (random.next() < receptionShare) {
      return calendar.receptionStartDay + random.int(0, calendar.receptionEndDay - calendar.receptionStartDay)
    }
    // Inverse of the CDF (a + βa²/2) / c.
    const u = random.next() * c
    const age = (-1 + Math.sqrt(1 + 2 * birthDeclinePerYear * u)) / birthDeclinePerYear
    const daysAgo = Math.min(windowDays - 1, Math.floor((age / 5) * windowDays))
    return calendar.todayDay - daysAgo
  }
}

/**
 * Generates the households of every small area, yielding a chunk whenever it holds `peoplePerChunk` people. The
 * caller inserts each chunk before asking for the next, so memory stays bounded at any scale.
 */
export function* generatePopulation(
  areas: readonly SmallArea[],
  options: PopulationOptions,
): Generator<PopulationChunk> {
  const { random, calendar, nextId, nextNhsNumber } = options
  const drawBirthDay = createBirthDaySampler(calendar, random)
  const totalChildren = expectedChildren(options.scale, calendar)
  const totalWeight = areas.reduce((sum, area) => sum + area.weight, 0)
  const isoCache = new Map<number, string>()
  const iso = (day: number): string => {
    let value = isoCache.get(day)
    if (value === undefined) {
      value = isoDate(day)
      isoCache.set(day, value)
    }
    return value
  }
  const ageInYears = (day: number): number => {
    if (day <= calendar.receptionEndDay) {
      return 5
    }
    return Math.min(4, Math.floor((calendar.todayDay - day) / 365.25))
  }

  let chunk = emptyChunk()
  let carried = 0
  for (const area of areas) {
    // Each area's share of the children, carrying the rounding over so that the county total is right.
    const exact = (totalChildren * area.weight) / totalWeight + carried
    const quota = Math.round(exact)
    carried = exact - quota
    const decile = area.imdDecile
    const ethnicityWeights = area.district.ethnicityWeights
    // Draw every child's birth day first, then group them into households: the ages keep exactly the county's
    // birth distribution, and siblings are at least 10 months apart (or twins).
    const days: number[] = []
    for (let i = 0; i < quota; i++) {
      days.push(drawBirthDay())
    }
    const used = new Uint8Array(quota)
    for (let i = 0; i < quota; i++) {
      if (used[i]) {
        continue
      }
      used[i] = 1
      const familyId = nextId()
      const wanted = random.chance(0.07) ? 3 : random.chance(0.33) ? 2 : 1
      const birthDays = [days[i] ?? calendar.todayDay]
      for (let j = i + 1; j < quota && j < i + 40 && birthDays.length < wanted; j++) {
        const day = days[j] ?? calendar.todayDay
        if (!used[j] && birthDays.every(other => Math.abs(other - day) >= 300)) {
          used[j] = 1
          birthDays.push(day)
        }
      }
      if (random.chance(0.008)) {
        birthDays.push(birthDays[0] ?? calendar.todayDay)
      }
      birthDays.sort((a, b) => a - b)

      // Household.
      const ethnicity = demoEthnicities[random.weightedIndex(ethnicityWeights)] ?? 'White'
      const lone = random.chance(loneParentShare(decile))
      let fsmChance = fsmByDecile[decile - 1] ?? 0.2
      if (lone) {
        fsmChance = Math.min(0.85, fsmChance * 1.9)
      } else {
        fsmChance *= 0.75
      }
      const fsm = random.chance(fsmChance)
      const adults = householdAdults(random, ethnicity, lone, decile)
      const first = adults[0]
      const second = adults[1]
      const surnameAdult = second?.relationship === 'father' && random.chance(0.85) ? second : first
      const familyName = random.pick(namePools[surnameAdult?.pool ?? 'british'].surnames)
      const eldestDay = birthDays[0] ?? calendar.todayDay

      chunk.families.id.push(familyId)
      chunk.families.smallAreaCode.push(area.code)
      chunk.families.addressLine.push(`${String(random.int(1, 160))} ${random.pick(area.streets)}, ${area.place}`)
      chunk.families.postcode.push(random.pick(area.postcodes))

      for (const adult of adults) {
        const personId = nextId()
        const pool = namePools[adult.pool]
        const ageDays = Math.round(adult.ageAtFirstBirth * 365.25) + random.int(0, 364)
        chunk.people.id.push(personId)
        chunk.people.givenName.push(random.pick(adult.sex === 'female' ? pool.women : pool.men))
        chunk.people.familyName.push(adult.ownSurname ? random.pick(pool.surnames) : familyName)
        chunk.people.dateOfBirth.push(iso(eldestDay - ageDays))
        chunk.people.sex.push(adult.sex)
        chunk.people.nhsNumber.push(null)
        chunk.people.ethnicity.push(adult.ethnicity)
        chunk.people.freeSchoolMeals.push(false)
        chunk.people.send.push(false)
        chunk.members.familyId.push(familyId)
        chunk.members.personId.push(personId)
        chunk.members.relationship.push(adult.relationship)
        chunk.members.parentalResponsibility.push(true)
        chunk.adults++
      }

      let youngestUnderFive: number | null = null
      const siblingNames: string[] = []
      for (const day of birthDays) {
        const personId = nextId()
        const boy = random.chance(0.512)
        const namingAdult = second && random.chance(0.5) ? second : (first ?? second)
        const pool = namePools[namingAdult?.pool ?? 'british']
        let givenName = random.pick(boy ? pool.boys : pool.girls)
        for (let attempt = 0; attempt < 4 && siblingNames.includes(givenName); attempt++) {
          givenName = random.pick(boy ? pool.boys : pool.girls)
        }
        siblingNames.push(givenName)
        const age = ageInYears(day)
        const sendChance = (sendByAge[age] ?? 0.1) * (boy ? sendBoy : sendGirl) * (fsm ? sendFsm : sendNotFsm)
        const send = random.chance(sendChance)
        chunk.people.id.push(personId)
        chunk.people.givenName.push(givenName)
        chunk.people.familyName.push(familyName)
        chunk.people.dateOfBirth.push(iso(day))
        chunk.people.sex.push(boy ? 'male' : 'female')
        chunk.people.nhsNumber.push(nextNhsNumber())
        chunk.people.ethnicity.push(ethnicity)
        chunk.people.freeSchoolMeals.push(fsm)
        chunk.people.send.push(send)
        chunk.members.familyId.push(familyId)
        chunk.members.personId.push(personId)
        chunk.members.relationship.push('child')
        chunk.members.parentalResponsibility.push(false)
        chunk.children++
        if (age === 5) {
          const logit =
            gldModel.intercept +
            gldModel.perDecile * (decile - 5.5) +
            (fsm ? gldModel.fsm : 0) +
            (send ? gldModel.send : 0) +
            (boy ? -gldModel.girl : gldModel.girl)
          chunk.eyfsp.personId.push(personId)
          chunk.eyfsp.goodLevelOfDevelopment.push(random.next() < 1 / (1 + Math.exp(-logit)))
        } else {
          youngestUnderFive = day
        }
      }
      options.onFamily?.({
        id: familyId,
        smallArea: area,
        youngestUnderFiveDay: youngestUnderFive,
        freeSchoolMeals: fsm,
      })
      if (chunk.people.id.length >= options.peoplePerChunk) {
        yield chunk
        chunk = emptyChunk()
      }
    }
  }
  if (chunk.families.id.length > 0) {
    yield chunk
  }
}

/** The 1–2 adults with parental responsibility in a household. */
function householdAdults(random: Sampler, ethnicity: DemoEthnicity, lone: boolean, decile: number): Adult[] {
  const motherAge = Math.min(45, Math.max(17, random.normal(30.5 - 0.3 * (5.5 - decile), 5)))
  const partnerAge = Math.min(60, Math.max(18, motherAge + random.normal(2.5, 3)))
  // Heritage of the adults: a child of mixed ethnicity usually has one White parent and one of another group.
  let firstPool: NamePool
  let secondPool: NamePool
  let firstEthnicity: DemoEthnicity
  let secondEthnicity: DemoEthnicity
  if (ethnicity === 'Mixed or Multiple ethnic groups') {
    const otherPool = pickPool(random, ethnicity)
    if (random.chance(0.2)) {
      firstPool = otherPool
      secondPool = random.chance(0.5) ? otherPool : 'british'
      firstEthnicity = ethnicity
      secondEthnicity = ethnicity
    } else {
      const whiteFirst = random.chance(0.6)
      firstPool = whiteFirst ? 'british' : otherPool
      secondPool = whiteFirst ? otherPool : 'british'
      firstEthnicity = ethnicityGroupOfPool[firstPool]
      secondEthnicity = ethnicityGroupOfPool[secondPool]
    }
  } else {
    firstPool = pickPool(random, ethnicity)
    secondPool = random.chance(0.9) ? firstPool : pickPool(random, ethnicity)
    firstEthnicity = ethnicity
    secondEthnicity = ethnicity
  }

  if (lone) {
    const roll = random.next()
    if (roll < 0.88) {
      return [
        {
          relationship: 'mother',
          sex: 'female',
          pool: firstPool,
          ethnicity: firstEthnicity,
          ageAtFirstBirth: motherAge,
          ownSurname: random.chance(0.3),
        },
      ]
    }
    if (roll < 0.97) {
      return [
        {
          relationship: 'father',
          sex: 'male',
          pool: secondPool,
          ethnicity: secondEthnicity,
          ageAtFirstBirth: partnerAge,
          ownSurname: false,
        },
      ]
    }
    // A kinship carer (often a grandmother) with a special guardianship or child arrangements order.
    const carerAge = Math.min(75, Math.max(38, random.normal(55, 6)))
    return [
      {
        relationship: 'carer',
        sex: 'female',
        pool: firstPool,
        ethnicity: firstEthnicity,
        ageAtFirstBirth: carerAge,
        ownSurname: random.chance(0.5),
      },
    ]
  }
  const roll = random.next()
  const mother: Adult = {
    relationship: 'mother',
    sex: 'female',
    pool: firstPool,
    ethnicity: firstEthnicity,
    ageAtFirstBirth: motherAge,
    ownSurname: random.chance(0.22),
  }
  if (roll < 0.94) {
    return [
      mother,
      {
        relationship: 'father',
        sex: 'male',
        pool: secondPool,
        ethnicity: secondEthnicity,
        ageAtFirstBirth: partnerAge,
        ownSurname: false,
      },
    ]
  }
  if (roll < 0.96) {
    return [
      mother,
      {
        relationship: 'parent',
        sex: 'female',
        pool: secondPool,
        ethnicity: secondEthnicity,
        ageAtFirstBirth: partnerAge,
        ownSurname: random.chance(0.5),
      },
    ]
  }
  if (roll < 0.97) {
    return [
      {
        relationship: 'father',
        sex: 'male',
        pool: firstPool,
        ethnicity: firstEthnicity,
        ageAtFirstBirth: partnerAge,
        ownSurname: false,
      },
      {
        relationship: 'parent',
        sex: 'male',
        pool: secondPool,
        ethnicity: secondEthnicity,
        ageAtFirstBirth: motherAge + 3,
        ownSurname: random.chance(0.5),
      },
    ]
  }
  // A step-parent who has acquired parental responsibility.
  return [
    mother,
    {
      relationship: 'carer',
      sex: 'male',
      pool: secondPool,
      ethnicity: secondEthnicity,
      ageAtFirstBirth: partnerAge,
      ownSurname: true,
    },
  ]
}

/**
 * The household of the demo parent account (Priya Shah): a baby born about 8 months ago at 32 weeks and a toddler.
 * Exported so that features which seed richer records (the red book's birth details) can find and describe it.
 */
export const demoParentHousehold = {
  mother: { givenName: 'Priya', familyName: 'Shah', ageYears: 33 },
  partner: { givenName: 'Nikhil', familyName: 'Shah', ageYears: 35 },
  baby: {
    givenName: 'Anaya',
    sex: 'female',
    ageDays: 243,
    gestationWeeks: 32,
    gestationDays: 3,
    birthWeightGrams: 1_740,
  },
  toddler: {
    givenName: 'Kabir',
    sex: 'male',
    ageDays: 1_005,
    gestationWeeks: 39,
    gestationDays: 5,
    birthWeightGrams: 3_420,
  },
  ethnicity: 'Asian or Asian British',
} as const

export interface DemoParentFamily {
  chunk: PopulationChunk
  familyId: string
  motherId: string
  babyId: string
  toddlerId: string
  facts: FamilyFacts
}

/** Builds the demo parent's household in a Northmoor small area of middling deprivation. */
export function buildDemoParentFamily(
  areas: readonly SmallArea[],
  calendar: CountyCalendar,
  nextId: () => string,
  nextNhsNumber: () => string,
): DemoParentFamily {
  const home =
    areas.find(area => area.district.name === 'Northmoor' && area.imdDecile >= 4 && area.imdDecile <= 6) ??
    areas.find(area => area.district.north) ??
    areas[0]
  if (!home) {
    throw new Error('The demo county has no small areas')
  }
  const h = demoParentHousehold
  const chunk = emptyChunk()
  const familyId = nextId()
  chunk.families.id.push(familyId)
  chunk.families.smallAreaCode.push(home.code)
  chunk.families.addressLine.push(`12 ${home.streets[0] ?? 'Linden Grove'}, ${home.place}`)
  chunk.families.postcode.push(home.postcodes[0] ?? '')
  const babyDay = calendar.todayDay - h.baby.ageDays
  const toddlerDay = calendar.todayDay - h.toddler.ageDays
  const person = (given: string, sex: 'female' | 'male', day: number, relationship: string, child: boolean): string => {
    const id = nextId()
    chunk.people.id.push(id)
    chunk.people.givenName.push(given)
    chunk.people.familyName.push(h.mother.familyName)
    chunk.people.dateOfBirth.push(isoDate(day))
    chunk.people.sex.push(sex)
    chunk.people.nhsNumber.push(child ? nextNhsNumber() : null)
    chunk.people.ethnicity.push(h.ethnicity)
    chunk.people.freeSchoolMeals.push(false)
    chunk.people.send.push(false)
    chunk.members.familyId.push(familyId)
    chunk.members.personId.push(id)
    chunk.members.relationship.push(relationship)
    chunk.members.parentalResponsibility.push(!child)
    if (child) {
      chunk.children++
    } else {
      chunk.adults++
    }
    return id
  }
  const adultDay = (years: number): number => calendar.todayDay - Math.round(years * 365.25) - 97
  const motherId = person(h.mother.givenName, 'female', adultDay(h.mother.ageYears), 'mother', false)
  person(h.partner.givenName, 'male', adultDay(h.partner.ageYears), 'father', false)
  const toddlerId = person(h.toddler.givenName, h.toddler.sex, toddlerDay, 'child', true)
  const babyId = person(h.baby.givenName, h.baby.sex, babyDay, 'child', true)
  return {
    chunk,
    familyId,
    motherId,
    babyId,
    toddlerId,
    facts: { id: familyId, smallArea: home, youngestUnderFiveDay: babyDay, freeSchoolMeals: false },
  }
}
