import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defaultAgesShown, formatCentile, formatSds } from './child-growth.js'
import { centileSegments, chartStart, renderGrowthChart, type GrowthChartInput } from './growth-chart-svg.js'
import { createCentileLines } from './growth/index.js'
import { shortAge } from './red-book.js'

const base: GrowthChartInput = {
  id: 'chart-weight',
  method: 'weight',
  sex: 'female',
  range: '0-1',
  points: [
    { chronologicalAge: 0, correctedAge: -0.2, value: 1.74 },
    { chronologicalAge: 0.25, correctedAge: 0.05, value: 3.2 },
  ],
  agesShown: 'both',
  title: 'Weight chart for Anaya <Shah> & co',
  description: 'UK-WHO weight chart for girls',
  fromAge: -0.2,
}

describe('growth chart SVG', () => {
  it('draws the nine centile lines of each reference segment from the engine, and the points in RCPCH notation', () => {
    const svg = renderGrowthChart(base)
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg).toContain('role="img" aria-labelledby="chart-weight-title chart-weight-desc"')
    expect(svg).toContain('<title id="chart-weight-title">Weight chart for Anaya &lt;Shah&gt; &amp; co</title>')
    // 0–1 year for a preterm baby: the UK90 preterm segment and the WHO infant segment, nine lines each.
    expect(svg.match(/data-centile="/g)).toHaveLength(18)
    for (const centile of ['0.4', '9', '50', '91', '99.6']) {
      expect(svg).toMatch(new RegExp(`data-centile="${centile}" stroke-dasharray="6 4"`))
    }
    for (const centile of ['2', '25', '75', '98']) {
      expect(svg).toMatch(new RegExp(`data-centile="${centile}"/>`))
    }
    expect(svg.match(/data-point="chronological"/g)).toHaveLength(2)
    expect(svg.match(/data-point="corrected"/g)).toHaveLength(2)
    expect(svg.match(/data-join="yes"/g)).toHaveLength(2)
    expect(svg).not.toContain('<style')
    expect(svg).not.toContain('style=')
  })

  it('uses the engine’s centile lines unchanged (the 50th at 1 year)', () => {
    const engine = createCentileLines({ measurementMethod: 'weight', sex: 'female' })
    const infant = engine.flatMap(segment => segment.uk_who_infant?.female?.weight ?? [])
    const fiftieth = infant.find(line => line.centile === 50)?.data?.find(point => point.x === 1)
    const cached = centileSegments('female', 'weight').find(segment => segment.name === 'uk_who_infant')
    expect(cached?.lines.find(line => line.centile === 50)?.points.find(([x]) => x === 1)?.[1]).toBe(fiftieth?.y)
  })

  it('plots only the ages asked for, and nothing outside the range', () => {
    const chronological = renderGrowthChart({ ...base, agesShown: 'chronological' })
    expect(chronological).not.toContain('data-point="corrected"')
    expect(chronological).not.toContain('data-join')
    const corrected = renderGrowthChart({ ...base, agesShown: 'corrected' })
    expect(corrected).not.toContain('data-point="chronological"')
    const older = renderGrowthChart({ ...base, range: '2-18' })
    expect(older).not.toContain('data-point')
    expect(older.match(/data-centile="/g)?.length).toBeGreaterThanOrEqual(18)
  })

  it('starts before term only for a baby plotted there, never before 23 weeks', () => {
    expect(chartStart('0-1', undefined, [], 'chronological')).toBe(0)
    expect(chartStart('2-18', -0.2, base.points, 'both')).toBe(2)
    // −0.2 years is 29.6 weeks of gestation: the chart starts at 28 weeks, a whole week before.
    expect(chartStart('0-1', -0.2, base.points, 'both')).toBeCloseTo((28 * 7 - 280) / 365.25, 10)
    expect(chartStart('0-4', -0.5, [], 'both')).toBeCloseTo((23 * 7 - 280) / 365.25, 10)
  })

  it('never writes NaN, whatever the measurements, and escapes any title', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('weight', 'height', 'ofc', 'bmi' as const),
        fc.constantFrom('female', 'male' as const),
        fc.constantFrom('0-1', '0-4', '2-18' as const),
        fc.array(
          fc.record({
            chronologicalAge: fc.double({ min: 0, max: 20, noNaN: true }),
            correctedAge: fc.double({ min: -0.35, max: 20, noNaN: true }),
            value: fc.double({ min: 0.1, max: 200, noNaN: true }),
          }),
          { maxLength: 12 },
        ),
        fc.string(),
        (method, sex, range, points, title) => {
          const svg = renderGrowthChart({ ...base, method, sex, range, points, title, agesShown: 'both' })
          expect(svg).not.toContain('NaN')
          expect(svg).not.toContain('Infinity')
          expect(svg).not.toContain('<style')
          const titleText = /<title id="chart-weight-title">([^<]*)<\/title>/.exec(svg)?.[1]
          expect(titleText).toBeDefined()
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('presentation rules', () => {
  it('shows ages as RCPCH does by default', () => {
    const basis = { birthDate: '2025-01-01', sex: 'female' as const, gestationDays: 0, gestationRecorded: true }
    expect(defaultAgesShown({ ...basis, gestationWeeks: 40 }, [0.1, 0.5])).toBe('chronological')
    expect(defaultAgesShown({ ...basis, gestationWeeks: 30 }, [0.1, 0.5])).toBe('both')
    expect(defaultAgesShown({ ...basis, gestationWeeks: 30 }, [-0.1, 0.01])).toBe('corrected')
    expect(defaultAgesShown({ ...basis, gestationWeeks: 30 }, [1.5, 2.5])).toBe('corrected')
    expect(defaultAgesShown({ ...basis, gestationWeeks: 38 }, [0.1, 0.5])).toBe('corrected')
    expect(defaultAgesShown({ ...basis, gestationWeeks: 40, gestationRecorded: false }, [0.1])).toBe('chronological')
  })

  it('writes SDS with a sign and centiles as RCPCH reports them', () => {
    expect(formatSds(-1.204)).toBe('\u22121.20')
    expect(formatSds(0.524)).toBe('+0.52')
    expect(formatSds(-0.001)).toBe('0.00')
    expect(formatSds(null)).toBe('Not available')
    expect(formatCentile(50.4)).toBe('50th')
    expect(formatCentile(1.6)).toBe('2nd')
    expect(formatCentile(22.6)).toBe('23rd')
    expect(formatCentile(11.2)).toBe('11th')
    expect(formatCentile(0.72)).toBe('0.7th')
    expect(formatCentile(99.2)).toBe('99.2th')
    expect(formatCentile(0.2)).toBe('below 0.4th')
    expect(formatCentile(99.9)).toBe('above 99.6th')
  })

  it('writes ages for tables briefly', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000
    expect(shortAge(day('2025-01-01'), day('2025-01-01'))).toBe('at birth')
    expect(shortAge(day('2025-01-01'), day('2025-01-11'))).toBe('10 days')
    expect(shortAge(day('2025-01-01'), day('2025-01-23'))).toBe('3 weeks 1 day')
    expect(shortAge(day('2025-01-01'), day('2025-03-20'))).toBe('2 months 2 weeks')
    expect(shortAge(day('2025-01-01'), day('2026-01-01'))).toBe('12 months')
    expect(shortAge(day('2022-01-31'), day('2025-03-01'))).toBe('3 years 1 month')
  })
})
