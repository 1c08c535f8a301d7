import type { DbOrTx } from '../../db/database.js'
import {
  insertBirthDetailsBatch,
  insertMeasurementsBatch,
  listCaseloadChildren,
  type BirthDetailsColumns,
  type CaseloadChildRow,
  type MeasurementColumns,
} from './child-health-store.js'
import type { RecordedMeasurementMethod } from './child-health-tables.js'
import {
  daysFromCivil,
  formatIsoDate,
  measurementForSds,
  METHOD_CODE,
  parseIsoDate,
  REFERENCE_CODE,
  SEX_CODE,
} from './growth/index.js'

/**
 * Demo red books for the health visitor's caseload: birth details for every child, and for up to 150 children 5 to
 * 15 measurements that follow a plausible centile path (each child has their own centile for weight, length and head,
 * drifting a little towards the middle, with measurement noise and the usual weight dip in the first days). The demo
 * parent's baby (the youngest child of a household with a linked parent account, under a year old) is born at 32+3
 * weeks weighing 1,740 g and is weighed often over her first months, as demo-county-population's
 * demoParentHousehold describes her. Deterministic for a seed and a day.
 */

export interface DemoRedBookOptions {
  seed: number
  laCode: string
  healthVisitorUserId: string
  /** The day measurements run up to (default: today). */
  today?: Date
  /** How many children get measurements (default 150). */
  measuredChildren?: number
}

export interface DemoRedBookSummary {
  birthDetails: number
  measuredChildren: number
  measurements: number
}

/** The demo parent's children, as demo-county-population's demoParentHousehold describes them. */
export const demoParentBaby = { gestationWeeks: 32, gestationDays: 3, birthWeightGrams: 1740 } as const
export const demoParentToddler = { gestationWeeks: 39, gestationDays: 5, birthWeightGrams: 3420 } as const

const places = [
  'Home visit',
  'Northmoor family hub',
  'Riverside family hub',
  'Northmoor health centre',
  'Baby clinic, Moorside',
]

/** mulberry32 over a string-derived seed: small, fast and the same everywhere. */
function randomFor(seed: number, label: string): () => number {
  let state = seed >>> 0
  for (let index = 0; index < label.length; index++) {
    state = Math.imul(state ^ label.charCodeAt(index), 2654435761) >>> 0
  }
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value))

interface Birth {
  gestationWeeks: number
  gestationDays: number
  /** Weight SDS at birth. */
  z: number
  birthWeightGrams: number
}

function drawGestation(random: () => number): { weeks: number; days: number } {
  const roll = random()
  if (roll < 0.015) {
    return { weeks: 28 + Math.floor(random() * 4), days: Math.floor(random() * 7) }
  }
  if (roll < 0.075) {
    return { weeks: 32 + Math.floor(random() * 5), days: Math.floor(random() * 7) }
  }
  const weeks = [37, 38, 38, 39, 39, 39, 40, 40, 40, 41][Math.floor(random() * 10)] ?? 40
  return { weeks, days: Math.floor(random() * 7) }
}

function valueAt(method: RecordedMeasurementMethod, sex: 'female' | 'male', correctedAge: number, z: number): number {
  return measurementForSds(REFERENCE_CODE['uk-who'], METHOD_CODE[method], SEX_CODE[sex], correctedAge, z, 'daily')
}

/** Days after birth a child is usually seen, by the Healthy Child Programme and the clinics between. */
const contactDays = [
  4, 11, 14, 21, 28, 42, 56, 70, 84, 112, 140, 168, 210, 252, 300, 365, 420, 480, 548, 640, 730, 820, 913, 1000, 1095,
  1200, 1300, 1400, 1500, 1642, 1780,
]
const babyContactDays = [6, 13, 20, 27, 34, 41, 55, 69, 90, 120, 150, 180, 210, 235]

export async function seedDemoRedBooks(db: DbOrTx, options: DemoRedBookOptions): Promise<DemoRedBookSummary> {
  const today = options.today ?? new Date()
  const todayDay = daysFromCivil(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate())
  const children = (await listCaseloadChildren(db, options.healthVisitorUserId)).filter(child => !child.hasBirthDetails)
  const random = randomFor(options.seed, 'red-books')

  // The demo parent's household: its youngest child under a year is the preterm baby, an older one the toddler.
  const parentChildren = children
    .filter(child => child.parentLinked)
    .sort((a, b) => (a.dateOfBirth < b.dateOfBirth ? 1 : -1))
  const baby = parentChildren.find(child => todayDay - (parseIsoDate(child.dateOfBirth) ?? todayDay) < 365)
  const toddler = parentChildren.find(child => child !== baby)

  const births = new Map<string, Birth>()
  const birthColumns: BirthDetailsColumns = {
    personId: [],
    birthDate: [],
    birthTime: [],
    gestationWeeks: [],
    gestationDays: [],
    birthWeightGrams: [],
  }
  for (const child of children) {
    const sex = child.sex ?? (random() < 0.5 ? 'female' : 'male')
    const fixed = child === baby ? demoParentBaby : child === toddler ? demoParentToddler : undefined
    const gestation = fixed ? { weeks: fixed.gestationWeeks, days: fixed.gestationDays } : drawGestation(random)
    const birthAge = (gestation.weeks * 7 + gestation.days - 280) / 365.25
    let z = clamp(normal(random) * 0.9, -2.4, 2.4)
    let grams = Math.round(valueAt('weight', sex, birthAge, z) * 100) * 10
    if (fixed) {
      grams = fixed.birthWeightGrams
      // The centile the fixed weight sits on, found by bisection on the engine's inverse.
      let low = -5
      let high = 5
      for (let step = 0; step < 40; step++) {
        const middle = (low + high) / 2
        if (valueAt('weight', sex, birthAge, middle) * 1000 < grams) {
          low = middle
        } else {
          high = middle
        }
      }
      z = (low + high) / 2
    }
    if (!Number.isFinite(grams) || grams < 400 || grams > 6000) {
      continue
    }
    births.set(child.personId, {
      gestationWeeks: gestation.weeks,
      gestationDays: gestation.days,
      z,
      birthWeightGrams: grams,
    })
    birthColumns.personId.push(child.personId)
    birthColumns.birthDate.push(child.dateOfBirth)
    birthColumns.birthTime.push(
      `${String(Math.floor(random() * 24)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}`,
    )
    birthColumns.gestationWeeks.push(gestation.weeks)
    birthColumns.gestationDays.push(gestation.days)
    birthColumns.birthWeightGrams.push(grams)
  }

  // Who gets measurements: the demo parent's children first, then a seeded shuffle of the rest.
  const wanted = options.measuredChildren ?? 150
  const others = children.filter(child => child !== baby && child !== toddler && births.has(child.personId))
  for (let index = others.length - 1; index > 0; index--) {
    const swap = Math.floor(random() * (index + 1))
    const held = others[index]
    others[index] = others[swap] as CaseloadChildRow
    others[swap] = held as CaseloadChildRow
  }
  const candidates = [baby, toddler, ...others].filter((child): child is CaseloadChildRow => child !== undefined)

  const columns: MeasurementColumns = { personId: [], observationDate: [], method: [], unit: [], value: [], place: [] }
  let measuredChildren = 0
  for (const child of candidates) {
    if (measuredChildren >= wanted) {
      break
    }
    const birth = births.get(child.personId)
    const birthDay = parseIsoDate(child.dateOfBirth)
    if (!birth || birthDay === null) {
      continue
    }
    const ageDays = todayDay - birthDay
    const sex = child.sex ?? 'female'
    const isBaby = child === baby
    let days = (isBaby ? babyContactDays : contactDays).filter(day => day < ageDays)
    if (days.length < 5) {
      // A young baby: seen every few days since birth.
      days = [1, 2, 3, 4, 5, 7, 9].filter(day => day < ageDays)
    }
    if (days.length < 5) {
      continue
    }
    const rows = isBaby ? 15 : 5 + Math.floor(random() * 11)
    // Weighed at most contacts: the first two, then an exact random selection of the later ones, in order. The
    // rows left over go to head circumference and length or height on some of those days.
    const weighings = Math.min(days.length, Math.max(5, rows - Math.floor(rows / 4)))
    const later = days.slice(2)
    for (let index = later.length - 1; index > 0; index--) {
      const swap = Math.floor(random() * (index + 1))
      ;[later[index], later[swap]] = [later[swap] ?? 0, later[index] ?? 0]
    }
    const weighDays = [...days.slice(0, 2), ...later.slice(0, weighings - 2).sort((a, b) => a - b)]
    const pretermDays = 280 - (birth.gestationWeeks * 7 + birth.gestationDays)
    const targetWeight = birth.z * 0.6 + normal(random) * 0.35
    const lengthZ = clamp(birth.z * 0.6 + normal(random) * 0.6, -2.3, 2.3)
    const headZ = clamp(birth.z * 0.5 + normal(random) * 0.6, -2.3, 2.3)
    const place = places[Math.floor(random() * places.length)] ?? 'Home visit'
    let count = 0
    const push = (day: number, method: RecordedMeasurementMethod, value: number) => {
      if (count >= rows || !Number.isFinite(value) || value <= 0) {
        return
      }
      columns.personId.push(child.personId)
      columns.observationDate.push(formatIsoDate(birthDay + day))
      columns.method.push(method)
      columns.unit.push(method === 'weight' ? 'kg' : 'cm')
      columns.value.push(method === 'weight' ? value.toFixed(2) : value.toFixed(1))
      columns.place.push(
        day < pretermDays ? 'Neonatal unit' : day < 15 ? 'Home visit' : random() < 0.2 ? 'Home visit' : place,
      )
      count++
    }
    for (const [index, day] of weighDays.entries()) {
      const corrected = (day - pretermDays) / 365.25
      // The weight SDS moves from birth towards the child's own centile over the first year, with noise.
      const settle = Math.min(1, day / 365)
      // Babies born before 37 weeks usually drop a centile or so after birth, then catch up over the first months.
      const pretermDip = birth.gestationWeeks < 37 ? 0.8 * Math.max(0, 1 - Math.abs(day - 28) / 150) : 0
      const z = birth.z + (targetWeight - birth.z) * settle - pretermDip + normal(random) * 0.12
      let weight = valueAt('weight', sex, corrected, z)
      if (day <= 14) {
        // Babies lose weight in the first days, and are back to birth weight by about 2 weeks.
        weight = Math.min(
          weight,
          (birth.birthWeightGrams / 1000) * (1 - 0.07 * Math.max(0, 1 - Math.abs(day - 4) / 10)),
        )
      }
      push(day, 'weight', Math.round(weight * 100) / 100)
      const remainingDays = weighDays.length - index - 1
      const spare = rows - count - remainingDays
      if (spare > 0 && day <= 400 && index % 3 === 1) {
        push(day, 'ofc', Math.round(valueAt('ofc', sex, corrected, headZ + normal(random) * 0.1) * 10) / 10)
      }
      if (spare > 1 && day >= 42 && (index % 3 === 2 || day >= 700)) {
        push(day, 'height', Math.round(valueAt('height', sex, corrected, lengthZ + normal(random) * 0.1) * 10) / 10)
      }
    }
    measuredChildren++
  }

  const birthDetails = await insertBirthDetailsBatch(db, options.laCode, birthColumns)
  let measurements = 0
  const batch = 5_000
  for (let first = 0; first < columns.personId.length; first += batch) {
    const slice = <T>(values: T[]): T[] => values.slice(first, first + batch)
    measurements += await insertMeasurementsBatch(
      db,
      options.laCode,
      { userId: options.healthVisitorUserId, role: 'health_visitor' },
      {
        personId: slice(columns.personId),
        observationDate: slice(columns.observationDate),
        method: slice(columns.method),
        unit: slice(columns.unit),
        value: slice(columns.value),
        place: slice(columns.place),
      },
    )
  }
  return { birthDetails, measuredChildren, measurements }
}
