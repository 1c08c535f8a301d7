import { createRandom } from './demo-random.js'

/** Sampling helpers over the seedable mulberry32 generator, so that every draw in the county is reproducible. */
export interface Sampler {
  /** Uniform in [0, 1). */
  next: () => number
  /** Uniform integer in [min, max]. */
  int: (min: number, max: number) => number
  /** True with the given probability. */
  chance: (probability: number) => boolean
  /** Normal with the given mean and standard deviation (Box–Muller). */
  normal: (mean: number, sd: number) => number
  pick: <T>(items: readonly T[]) => T
  /** An index into weights, drawn in proportion to them. */
  weightedIndex: (weights: readonly number[]) => number
}

export function createSampler(seed: number): Sampler {
  const next = createRandom(seed)
  let spare: number | null = null
  const sampler: Sampler = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: probability => next() < probability,
    normal: (mean, sd) => {
      if (spare !== null) {
        const value = spare
        spare = null
        return mean + sd * value
      }
      const u = 1 - next()
      const v = next()
      const radius = Math.sqrt(-2 * Math.log(u))
      spare = radius * Math.sin(2 * Math.PI * v)
      return mean + sd * radius * Math.cos(2 * Math.PI * v)
    },
    pick: items => {
      const item = items[Math.floor(next() * items.length)]
      if (item === undefined) {
        throw new Error('Cannot pick from an empty list')
      }
      return item
    },
    weightedIndex: weights => {
      let total = 0
      for (const weight of weights) {
        total += weight
      }
      let target = next() * total
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i] ?? 0
        if (target < 0) {
          return i
        }
      }
      return weights.length - 1
    },
  }
  return sampler
}

/** A seed for an independent stream, derived from the county seed and a label. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0
  }
  return h
}
