import type { AgesShown } from './child-growth.js'
import { COLE_NINE_CENTILES, createCentileLines, type MeasurementMethod, type Sex } from './growth/index.js'

/**
 * Server-rendered UK-WHO centile charts as SVG strings (stack.md §7): no DOM, no <style> (the CSP forbids inline
 * styles; presentation attributes only), role="img" with <title> and <desc>. Drawn to the RCPCH client
 * specification: the nine Cole centile lines, each reference segment drawn separately (so the lines break at 2 weeks,
 * 2 years and 4 years), the 0.4th, 9th, 50th, 91st and 99.6th dashed and the others solid, all the same weight (the
 * 50th is not emphasised), no grid lines, measurements as dots at chronological age and crosses at corrected age,
 * joined by a line when both are shown, and consecutive measurements not joined.
 */

export const ageRanges = {
  '0-1': { label: '0 to 1 year', from: 0, to: 1 },
  '0-4': { label: '0 to 4 years', from: 0, to: 4 },
  '2-18': { label: '2 to 18 years', from: 2, to: 18 },
} as const
export type AgeRange = keyof typeof ageRanges

export function isAgeRange(value: unknown): value is AgeRange {
  return typeof value === 'string' && Object.hasOwn(ageRanges, value)
}

export interface PlotPoint {
  chronologicalAge: number
  correctedAge: number
  value: number
}

export interface GrowthChartInput {
  /** Prefix for the ids inside the SVG: unique on the page. */
  id: string
  method: MeasurementMethod
  sex: Sex
  range: AgeRange
  /** Decimal age the 0–1 and 0–4 charts start at when the baby was born preterm (negative: before term). */
  fromAge?: number
  points: readonly PlotPoint[]
  agesShown: AgesShown
  title: string
  description: string
}

// ---- centile lines, cached per sex and measurement (they never change) ----

interface Segment {
  name: string
  lines: { centile: number; dashed: boolean; points: [number, number][] }[]
}

const dashedCentiles = new Set<number>([0.4, 9, 50, 91, 99.6])
const lineCache = new Map<string, Segment[]>()

export function centileSegments(sex: Sex, method: MeasurementMethod): Segment[] {
  const key = `${sex}:${method}`
  const cached = lineCache.get(key)
  if (cached) {
    return cached
  }
  const segments: Segment[] = []
  for (const bySegment of createCentileLines({ measurementMethod: method, sex })) {
    for (const [name, bySex] of Object.entries(bySegment)) {
      const lines = bySex[sex]?.[method]
      if (!lines) {
        continue
      }
      segments.push({
        name,
        lines: lines.flatMap(line =>
          line.data === null
            ? []
            : [
                {
                  centile: line.centile,
                  dashed: dashedCentiles.has(line.centile),
                  points: line.data.flatMap(point =>
                    point.y === null || !Number.isFinite(point.y) || !Number.isFinite(point.x)
                      ? []
                      : [[point.x, point.y] as [number, number]],
                  ),
                },
              ],
        ),
      })
    }
  }
  lineCache.set(key, segments)
  return segments
}

// ---- geometry ----

const width = 720
const height = 480
const margin = { top: 28, right: 64, bottom: 60, left: 60 }
const plotWidth = width - margin.left - margin.right
const plotHeight = height - margin.top - margin.bottom
const ink = '#0b0c0c'
const lineColour = '#505a5f'
const axisColour = '#6f777b'
const termShade = '#f3f2f1'
const font = 'font-family="arial, sans-serif"'

/** A coordinate for the SVG: 1 decimal place. Never NaN: callers drop non-finite values first. */
function n(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError('A chart coordinate is not a finite number')
  }
  return (Math.round(value * 10) / 10).toFixed(1)
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function niceStep(span: number, targetTicks: number): number {
  const raw = span / targetTicks
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const multiple of [1, 2, 2.5, 5, 10]) {
    if (raw <= multiple * power) {
      return multiple * power
    }
  }
  return 10 * power
}

const weekAge = (weeks: number): number => (weeks * 7 - 280) / 365.25

interface XTick {
  x: number
  label: string | null
}

function xTicks(range: AgeRange, from: number): XTick[] {
  const ticks: XTick[] = []
  if (from < 0) {
    // Before term the axis reads in weeks of gestation.
    for (let week = Math.ceil((from * 365.25) / 7 + 40); week < 40; week++) {
      if (week % 2 === 0) {
        ticks.push({ x: weekAge(week), label: week % 4 === 0 ? `${String(week)} wk` : null })
      }
    }
  }
  const to = ageRanges[range].to
  if (range === '0-1') {
    for (let month = 0; month <= 12; month++) {
      ticks.push({ x: month / 12, label: String(month) })
    }
  } else if (range === '0-4') {
    for (let month = 0; month <= 48; month += month < 24 ? 1 : 3) {
      const label =
        month % 6 !== 0
          ? null
          : month === 0
            ? '0'
            : month % 12 === 0
              ? `${String(month / 12)} y`
              : month < 12
                ? `${String(month)} m`
                : `${String(Math.floor(month / 12))} y 6 m`
      ticks.push({ x: month / 12, label })
    }
  } else {
    for (let half = 4; half <= to * 2; half++) {
      ticks.push({ x: half / 2, label: half % 2 === 0 ? String(half / 2) : null })
    }
  }
  return ticks
}

function xAxisTitle(range: AgeRange, from: number): string {
  if (range === '0-1') {
    return from < 0 ? 'Age in months (weeks of gestation before term)' : 'Age in months'
  }
  if (range === '0-4') {
    return from < 0 ? 'Age (weeks of gestation before term)' : 'Age'
  }
  return 'Age in years'
}

const yAxisTitles: Record<MeasurementMethod, string> = {
  weight: 'Weight (kg)',
  height: 'Length or height (cm)',
  ofc: 'Head circumference (cm)',
  bmi: 'Body mass index (kg/m²)',
}

const centileLabel = (centile: number): string =>
  centile === 0.4 || centile === 99.6
    ? `${String(centile)}th`
    : centile === 2
      ? '2nd'
      : centile === 91
        ? '91st'
        : `${String(centile)}th`

/** The decimal age a chart starts at: the range's start, earlier for a baby plotted before term. */
export function chartStart(
  range: AgeRange,
  fromAge: number | undefined,
  points: readonly PlotPoint[],
  agesShown: AgesShown,
): number {
  const start = ageRanges[range].from
  if (start !== 0) {
    return start
  }
  let earliest = fromAge ?? 0
  for (const point of points) {
    if (agesShown !== 'chronological') {
      earliest = Math.min(earliest, point.correctedAge)
    }
  }
  if (earliest >= 0) {
    return 0
  }
  // Start on a whole week of gestation, a week before the earliest point, and never before 23 weeks.
  const weeks = Math.floor((earliest * 365.25) / 7 + 40) - 1
  return weekAge(Math.max(23, weeks))
}

/** The SVG for one growth chart. */
export function renderGrowthChart(input: GrowthChartInput): string {
  const from = chartStart(input.range, input.fromAge, input.points, input.agesShown)
  const to = ageRanges[input.range].to
  const segments = centileSegments(input.sex, input.method)

  // The vertical scale covers the centile lines over the age range, and the child's points.
  let low = Number.POSITIVE_INFINITY
  let high = Number.NEGATIVE_INFINITY
  for (const segment of segments) {
    for (const line of segment.lines) {
      for (const [x, y] of line.points) {
        if (x >= from && x <= to) {
          low = Math.min(low, y)
          high = Math.max(high, y)
        }
      }
    }
  }
  const visible = input.points.filter(
    point =>
      Number.isFinite(point.value) &&
      ((input.agesShown !== 'corrected' && point.chronologicalAge >= from && point.chronologicalAge <= to) ||
        (input.agesShown !== 'chronological' && point.correctedAge >= from && point.correctedAge <= to)),
  )
  for (const point of visible) {
    low = Math.min(low, point.value)
    high = Math.max(high, point.value)
  }
  if (!Number.isFinite(low) || !Number.isFinite(high) || high <= low) {
    low = 0
    high = 1
  }
  const step = niceStep(high - low, 8)
  const yMin = Math.max(0, Math.floor(low / step) * step)
  const yMax = Math.ceil(high / step) * step
  const sx = (x: number): number => margin.left + ((x - from) / (to - from)) * plotWidth
  const sy = (y: number): number => margin.top + (1 - (y - yMin) / (yMax - yMin)) * plotHeight
  const plotRight = margin.left + plotWidth
  const plotBottom = margin.top + plotHeight
  const clipId = `${input.id}-clip`

  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${String(width)} ${String(height)}" width="100%" role="img" aria-labelledby="${input.id}-title ${input.id}-desc" focusable="false">`,
    `<title id="${input.id}-title">${escapeXml(input.title)}</title>`,
    `<desc id="${input.id}-desc">${escapeXml(input.description)}</desc>`,
    `<defs><clipPath id="${clipId}"><rect x="${n(margin.left)}" y="${n(margin.top)}" width="${n(plotWidth)}" height="${n(plotHeight)}"/></clipPath></defs>`,
    `<rect x="0" y="0" width="${String(width)}" height="${String(height)}" fill="#ffffff"/>`,
  )

  // Term (37 to 42 weeks) shaded on charts that start before term.
  if (from < 0) {
    const termFrom = Math.max(from, weekAge(37))
    parts.push(
      `<rect x="${n(sx(termFrom))}" y="${n(margin.top)}" width="${n(sx(weekAge(42)) - sx(termFrom))}" height="${n(plotHeight)}" fill="${termShade}"/>`,
      `<text x="${n((sx(termFrom) + sx(weekAge(42))) / 2)}" y="${n(margin.top - 8)}" ${font} font-size="11" fill="${ink}" text-anchor="middle">Term</text>`,
    )
  }

  // Axes: inconspicuous, ticks only (no grid lines).
  parts.push(
    `<line x1="${n(margin.left)}" y1="${n(plotBottom)}" x2="${n(plotRight)}" y2="${n(plotBottom)}" stroke="${axisColour}" stroke-width="1"/>`,
    `<line x1="${n(margin.left)}" y1="${n(margin.top)}" x2="${n(margin.left)}" y2="${n(plotBottom)}" stroke="${axisColour}" stroke-width="1"/>`,
  )
  for (const tick of xTicks(input.range, from)) {
    if (tick.x < from - 1e-9 || tick.x > to + 1e-9) {
      continue
    }
    const x = sx(tick.x)
    parts.push(
      `<line x1="${n(x)}" y1="${n(plotBottom)}" x2="${n(x)}" y2="${n(plotBottom + (tick.label ? 6 : 3))}" stroke="${axisColour}" stroke-width="1"/>`,
    )
    if (tick.label) {
      parts.push(
        `<text x="${n(x)}" y="${n(plotBottom + 20)}" ${font} font-size="11" fill="${ink}" text-anchor="middle">${escapeXml(tick.label)}</text>`,
      )
    }
  }
  const decimals = Number.isInteger(step) ? 0 : Number.isInteger(step * 10) ? 1 : 2
  const tickCount = Math.round((yMax - yMin) / step)
  for (let index = 0; index <= tickCount; index++) {
    const value = yMin + index * step
    const y = sy(value)
    parts.push(
      `<line x1="${n(margin.left - 5)}" y1="${n(y)}" x2="${n(margin.left)}" y2="${n(y)}" stroke="${axisColour}" stroke-width="1"/>`,
      `<text x="${n(margin.left - 8)}" y="${n(y + 4)}" ${font} font-size="11" fill="${ink}" text-anchor="end">${value.toFixed(decimals)}</text>`,
    )
  }
  parts.push(
    `<text x="${n(margin.left + plotWidth / 2)}" y="${n(height - 14)}" ${font} font-size="12" fill="${ink}" text-anchor="middle">${escapeXml(xAxisTitle(input.range, from))}</text>`,
    `<text x="16" y="${n(margin.top + plotHeight / 2)}" ${font} font-size="12" fill="${ink}" text-anchor="middle" transform="rotate(-90 16 ${n(margin.top + plotHeight / 2)})">${escapeXml(yAxisTitles[input.method])}</text>`,
  )

  // Centile lines: each segment drawn on its own, clipped to the plot.
  const rightEnds = new Map<number, number>()
  parts.push(`<g clip-path="url(#${clipId})" fill="none" stroke="${lineColour}" stroke-width="1">`)
  for (const segment of segments) {
    for (const line of segment.lines) {
      const inRange = line.points.filter(([x]) => x >= from - 0.1 && x <= to + 0.1)
      if (inRange.length < 2) {
        continue
      }
      const path = inRange.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${n(sx(x))} ${n(sy(y))}`).join('')
      parts.push(
        `<path d="${path}" data-centile="${String(line.centile)}"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      )
      const last = line.points.filter(([x]) => x <= to).at(-1)
      const first = line.points[0]
      if (last && first && first[0] <= to) {
        rightEnds.set(line.centile, last[1])
      }
    }
  }
  parts.push('</g>')

  // Centile labels at the right-hand end, nudged apart so they never overlap.
  const labels = COLE_NINE_CENTILES.flatMap(centile => {
    const y = rightEnds.get(centile)
    return y === undefined ? [] : [{ centile, y: sy(y) }]
  }).sort((a, b) => b.y - a.y)
  for (let index = 1; index < labels.length; index++) {
    const below = labels[index - 1]
    const label = labels[index]
    if (below && label && below.y - label.y < 11) {
      label.y = below.y - 11
    }
  }
  for (const label of labels) {
    parts.push(
      `<text x="${n(plotRight + 6)}" y="${n(label.y + 4)}" ${font} font-size="10" fill="${ink}">${centileLabel(label.centile)}</text>`,
    )
  }

  // The child's measurements.
  parts.push(`<g clip-path="url(#${clipId})">`)
  for (const point of visible) {
    const y = sy(point.value)
    const chronologicalX = sx(point.chronologicalAge)
    const correctedX = sx(point.correctedAge)
    if (input.agesShown === 'both') {
      parts.push(
        `<line x1="${n(correctedX)}" y1="${n(y)}" x2="${n(chronologicalX)}" y2="${n(y)}" stroke="${ink}" stroke-width="1" data-join="yes"/>`,
      )
    }
    if (input.agesShown !== 'chronological') {
      parts.push(
        `<path d="M${n(correctedX - 4)} ${n(y - 4)}L${n(correctedX + 4)} ${n(y + 4)}M${n(correctedX - 4)} ${n(y + 4)}L${n(correctedX + 4)} ${n(y - 4)}" stroke="${ink}" stroke-width="2" fill="none" data-point="corrected"/>`,
      )
    }
    if (input.agesShown !== 'corrected') {
      parts.push(
        `<circle cx="${n(chronologicalX)}" cy="${n(y)}" r="4" fill="${ink}" stroke="#ffffff" stroke-width="1" data-point="chronological"/>`,
      )
    }
  }
  parts.push('</g>', '</svg>')
  return parts.join('')
}
