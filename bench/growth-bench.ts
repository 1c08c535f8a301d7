// Growth engine benchmark: 1,000,000 mixed measurements (UK-WHO, Trisomy 21, Turner; all measurements, ages from
// 23 weeks gestation to 20 years), generated deterministically before timing, computed on one thread.
//
//   npx tsx bench/growth-bench.ts [count]
//
// Prints measurements/second and µs per measurement for a bare SDS and for a full measurement (both ages, SDS,
// centile and band), then checks a sample against the API-shaped calculateMeasurement().
import { calculateMeasurement } from '../src/features/child-health/growth/growth-calculation.js'
import { measurementForSds, sdsFor } from '../src/features/child-health/growth/growth-core.js'
import { calculateFast, createFastMeasurement } from '../src/features/child-health/growth/growth-fast.js'
import { daysFromCivil, formatIsoDate } from '../src/features/child-health/growth/dates.js'
import { GROWTH_REFERENCES, MEASUREMENT_METHODS, SEXES } from '../src/features/child-health/growth/growth-types.js'
import type { MethodCode, ReferenceCode, SexCode } from '../src/features/child-health/growth/growth-types.js'

const COUNT = Number(process.argv[2] ?? 1_000_000)

// mulberry32: small deterministic PRNG
let seed = 0x5eed_2026
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const randomInt = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
/** roughly normal SDS (Irwin-Hall) */
const randomSds = (): number => random() + random() + random() + random() + random() + random() - 3

const reference = new Uint8Array(COUNT)
const method = new Uint8Array(COUNT)
const sex = new Uint8Array(COUNT)
const birthDay = new Int32Array(COUNT)
const observationDay = new Int32Array(COUNT)
const gestationWeeks = new Uint8Array(COUNT)
const gestationDays = new Uint8Array(COUNT)
const value = new Float64Array(COUNT)
const correctedAge = new Float64Array(COUNT)

const generationStart = performance.now()
const firstBirth = daysFromCivil(2000, 1, 1)
for (let i = 0; i < COUNT; i++) {
  // 80% UK-WHO, 15% Trisomy 21, 5% Turner (girls' height only)
  const r = random()
  const ref = r < 0.8 ? 0 : r < 0.95 ? 1 : 2
  const m = ref === 2 ? 0 : randomInt(0, 3)
  const s = ref === 2 ? 1 : randomInt(0, 1)
  const weeks = ref === 0 ? (random() < 0.3 ? randomInt(23, 42) : randomInt(37, 42)) : 40
  const days = ref === 0 ? randomInt(0, 6) : 0
  const birth = firstBirth + randomInt(0, 7300)
  // ages: half under 5 years, where the references change most
  const ageDays = random() < 0.5 ? randomInt(0, 1826) : randomInt(0, 7300)
  const corrected = (ageDays - (280 - weeks * 7 - days)) / 365.25
  let v = measurementForSds(ref, m as MethodCode, s as SexCode, corrected, randomSds())
  if (!Number.isFinite(v)) {
    v = [100, 15, 17, 45][m] ?? 10
  } // no reference at this age: any plausible value
  reference[i] = ref
  method[i] = m
  sex[i] = s
  birthDay[i] = birth
  observationDay[i] = birth + ageDays
  gestationWeeks[i] = weeks
  gestationDays[i] = days
  value[i] = v
  correctedAge[i] = corrected
}
const generationMs = performance.now() - generationStart

function bareSds(): number {
  let checksum = 0
  for (let i = 0; i < COUNT; i++) {
    const z = sdsFor(
      reference[i] as ReferenceCode,
      method[i] as MethodCode,
      sex[i] as SexCode,
      correctedAge[i] ?? 0,
      value[i] ?? 0,
    )
    if (z === z) {
      checksum += z
    }
  }
  return checksum
}

const out = createFastMeasurement()
function fullMeasurement(): number {
  let checksum = 0
  for (let i = 0; i < COUNT; i++) {
    calculateFast(
      reference[i] as ReferenceCode,
      method[i] as MethodCode,
      sex[i] as SexCode,
      birthDay[i] ?? 0,
      observationDay[i] ?? 0,
      gestationWeeks[i] ?? 40,
      gestationDays[i] ?? 0,
      value[i] ?? 0,
      out,
    )
    if (out.correctedSds === out.correctedSds) {
      checksum += out.correctedSds + out.correctedCentile
    }
    if (out.chronologicalBand !== null) {
      checksum += out.chronologicalBand.length
    }
  }
  return checksum
}

function time(name: string, run: () => number): void {
  run() // warm up
  let best = Infinity
  let checksum = 0
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint()
    checksum = run()
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    best = Math.min(best, ms)
  }
  const perSecond = (COUNT / best) * 1000
  const micros = (best * 1000) / COUNT
  console.log(
    `${name.padEnd(44)} ${best.toFixed(0).padStart(6)} ms  ${Math.round(perSecond).toLocaleString('en-GB').padStart(11)} /s  ${micros.toFixed(3)} µs each  (checksum ${checksum.toFixed(3)})`,
  )
}

console.log(`growth bench: ${COUNT.toLocaleString('en-GB')} measurements, Node ${process.version}, one thread`)
console.log(`generated in ${generationMs.toFixed(0)} ms (not timed)`)
time('bare SDS (corrected age)', bareSds)
time('full measurement (2 ages, SDS, centile, band)', fullMeasurement)

// the fast path and the API-shaped function must agree exactly on a sample
let checked = 0
let mismatches = 0
for (let i = 0; i < COUNT; i += Math.max(1, Math.floor(COUNT / 2000))) {
  const ref = reference[i] as ReferenceCode
  calculateFast(
    ref,
    method[i] as MethodCode,
    sex[i] as SexCode,
    birthDay[i] ?? 0,
    observationDay[i] ?? 0,
    gestationWeeks[i] ?? 40,
    gestationDays[i] ?? 0,
    value[i] ?? 0,
    out,
  )
  const response = calculateMeasurement(
    {
      birth_date: formatIsoDate(birthDay[i] ?? 0),
      observation_date: formatIsoDate(observationDay[i] ?? 0),
      observation_value: value[i] ?? 0,
      sex: SEXES[sex[i] ?? 0] ?? 'male',
      measurement_method: MEASUREMENT_METHODS[method[i] ?? 0] ?? 'height',
      gestation_weeks: gestationWeeks[i] ?? 40,
      gestation_days: gestationDays[i] ?? 0,
      bone_age: null,
      bone_age_type: null,
      bone_age_sds: null,
      bone_age_centile: null,
      bone_age_text: null,
      events_text: null,
    },
    GROWTH_REFERENCES[ref] ?? 'uk-who',
  )
  const v = response.measurement_calculated_values
  const same =
    (v.corrected_sds ?? Number.NaN) === out.correctedSds || (v.corrected_sds === null && Number.isNaN(out.correctedSds))
  const sameChronological =
    (v.chronological_sds ?? Number.NaN) === out.chronologicalSds ||
    (v.chronological_sds === null && Number.isNaN(out.chronologicalSds))
  const sameCentile = v.corrected_centile === null || v.corrected_centile === Number(out.correctedCentile.toFixed(4))
  const sameBand =
    v.corrected_centile_band === out.correctedBand && v.chronological_centile_band === out.chronologicalBand
  if (!(same && sameChronological && sameCentile && sameBand)) {
    mismatches++
  }
  checked++
}
console.log(`sample check against calculateMeasurement(): ${checked} measurements, ${mismatches} mismatches`)
if (mismatches > 0) {
  process.exitCode = 1
}
