/**
 * Deterministic identifiers for the synthetic county: record ids (UUIDs) and NHS numbers. Both come from a counter
 * passed through a bijection, so they are unique by construction (no set of issued values to hold in memory, which
 * matters at national scale) and the same for the same seed.
 */

/** The murmur3 32-bit finaliser: a bijection on 32-bit integers that scatters neighbouring inputs. */
function fmix32(value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const hexByte = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

function hex8(value: number): string {
  return (
    (hexByte[value >>> 24] ?? '00') +
    (hexByte[(value >>> 16) & 255] ?? '00') +
    (hexByte[(value >>> 8) & 255] ?? '00') +
    (hexByte[value & 255] ?? '00')
  )
}

/**
 * Random-looking version 4 UUIDs from a counter. The first 32 bits are a bijection of the counter, so ids never repeat
 * within one seed (up to 2^32 ids); the rest depends on the counter and the seed.
 */
export function createIdGenerator(seed: number): () => string {
  const k1 = fmix32(seed ^ 0x5bd1e995)
  const k2 = fmix32(seed + 0x27d4eb2f)
  const k3 = fmix32(seed ^ 0x165667b1)
  const k4 = fmix32(seed + 0x9e3779b9)
  let counter = 0
  return () => {
    const n = counter++
    const w1 = fmix32(n ^ k1)
    const w2 = (fmix32((n + k2) >>> 0) & 0xffff0fff) | 0x00004000
    const w3 = ((fmix32(w1 ^ k3) & 0x3fffffff) | 0x80000000) >>> 0
    const w4 = fmix32(w2 ^ k4)
    const a = hex8(w1)
    const b = hex8(w2)
    const c = hex8(w3)
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex8(w4)}`
  }
}

/** The NHS number check digit of the first nine digits (modulus 11, weights 10 to 2), or null when none is valid. */
export function nhsCheckDigit(firstNine: string): number | null {
  let sum = 0
  for (let i = 0; i < 9; i++) {
    sum += (firstNine.charCodeAt(i) - 48) * (10 - i)
  }
  const check = 11 - (sum % 11)
  if (check === 11) {
    return 0
  }
  return check === 10 ? null : check
}

/** True when a 10-digit string is a valid NHS number (its last digit is the modulus 11 check digit). */
export function isValidNhsNumber(value: string): boolean {
  return /^[0-9]{10}$/.test(value) && nhsCheckDigit(value.slice(0, 9)) === Number(value[9])
}

const blockSize = 1_000_000
/** Prefixes used in turn. 999 is the NHS's reserved test range; 998 down to 990 are only needed above ~scale 20. */
const nhsPrefixes = [999, 998, 997, 996, 995, 994, 993, 992, 991, 990]

/** How many distinct NHS numbers the generator can issue (about 9.09 million). */
export const nhsNumberCapacity = Math.floor((blockSize * nhsPrefixes.length * 10) / 11)

/**
 * Fictional NHS numbers: 999 then six digits then the check digit, in a seed-dependent but repeat-free order (an
 * affine permutation of the six digits). When the 999 block is used up, 998, 997, … follow. `startAt` skips that
 * many candidates (for tests of the block boundary).
 */
export function createNhsNumberGenerator(seed: number, startAt = 0): () => string {
  const mixed = fmix32(seed ^ 0x2545f491)
  // A multiplier coprime with 10^6 (odd and not a multiple of 5) makes x -> (a*x + b) mod 10^6 a permutation.
  let multiplier = 100_003 + (mixed % 400_000) * 2
  if (multiplier % 5 === 0) {
    multiplier += 2
  }
  const offset = fmix32(mixed) % blockSize
  let counter = startAt
  return () => {
    for (;;) {
      const block = Math.floor(counter / blockSize)
      const prefix = nhsPrefixes[block]
      if (prefix === undefined) {
        throw new Error('The demo county has run out of fictional NHS numbers')
      }
      const within = (counter % blockSize) * multiplier + offset
      counter++
      // Exact integer arithmetic: multiplier < 10^6 and counter % 10^6 < 10^6, so the product stays below 2^53.
      const six = (within % blockSize).toString().padStart(6, '0')
      const firstNine = `${String(prefix)}${six}`
      const check = nhsCheckDigit(firstNine)
      if (check !== null) {
        return `${firstNine}${String(check)}`
      }
    }
  }
}
