import { describeAge, formatNhsNumber } from '../families/index.js'
import type { BirthDetailsRow, ChildRow, MeasurementRow, RedBookRows } from './child-health-store.js'
import {
  calculateGrowth,
  defaultAgesShown,
  dueDate,
  formatCentile,
  formatSds,
  formatValue,
  isPreterm,
  methodNames,
  methodWords,
  reportedSds,
  type AgesShown,
  type GrowthBasis,
} from './child-growth.js'
import {
  ageRanges,
  escapeXml,
  isAgeRange,
  renderGrowthChart,
  type AgeRange,
  type PlotPoint,
} from './growth-chart-svg.js'
import { parseIsoDate, type MeasurementMethod, type MeasurementResponse } from './growth/index.js'
import { relativeDelta } from './growth/dates.js'
import { isValidNhsNumber } from './nhs-number.js'
import { formatDate, formatDateTime, relationshipLabel, roleLabel } from './red-book-text.js'

/**
 * The red book page as data for its template, for a practitioner (names, SDS, the engine's clinician comments,
 * corrections) or a parent (roles not names, the engine's lay comments, plain-language help). Pure: the route reads
 * the rows and passes them in.
 */

export type Audience = 'practitioner' | 'parent'

export interface RedBookOptions {
  audience: Audience
  /** YYYY-MM-DD in England. */
  today: string
  /** From the query string; checked here. */
  range?: unknown
  ages?: unknown
  /** '/children/ID' or '/my-family/children/ID'. */
  basePath: string
  /** Show "Correct" links (practitioners who may update the record). */
  canCorrect: boolean
}

type Cell = { text: string } | { html: string; classes?: string } | { text: string; classes?: string; format?: string }

export interface ChartView {
  id: string
  method: MeasurementMethod
  heading: string
  svg: string
  caption: string
  head: Cell[]
  rows: Cell[][]
  emptyText: string
}

export interface RedBookView {
  name: string
  givenName: string
  summaryRows: { key: { text: string }; value: { text: string } | { html: string } }[]
  preterm: boolean
  /** The engine's comment on age correction, in the audience's words. */
  ageComment: string | null
  measurementHead: Cell[]
  measurementRows: Cell[][]
  correctedCount: number
  charts: ChartView[]
  chartsUnavailable: string | null
  range: AgeRange
  rangeLabel: string
  rangeLinks: { text: string; href: string; current: boolean }[]
  agesLinks: { text: string; href: string; current: boolean }[]
  agesShown: AgesShown
  notes: { author: string; date: string; text: string }[]
}

export function growthBasisOf(child: ChildRow, birth: BirthDetailsRow | null): GrowthBasis {
  return {
    birthDate: birth?.birthDate ?? child.dateOfBirth,
    sex: child.sex,
    gestationWeeks: birth?.gestationWeeks ?? 40,
    gestationDays: birth?.gestationDays ?? 0,
    gestationRecorded: birth !== null,
  }
}

/** The range a chart opens on: the one the child's age is in now. */
export function defaultRange(birthDate: string | null, today: string): AgeRange {
  if (birthDate === null) {
    return '0-1'
  }
  const years = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${birthDate}T00:00:00Z`)) / (365.25 * 86_400_000)
  return years < 1 ? '0-1' : years < 4 ? '0-4' : '2-18'
}

/** The NHS number written 3 3 4, flagged when it fails the modulus 11 check (it was typed or imported wrongly). */
function nhsNumberText(nhsNumber: string | null): string {
  if (nhsNumber === null) {
    return 'Not recorded'
  }
  const written = formatNhsNumber(nhsNumber) ?? nhsNumber
  return isValidNhsNumber(nhsNumber)
    ? written
    : `${written}: this is not a valid NHS number. Check it with the child health records team`
}

function gestationText(weeks: number, days: number): string {
  return `${String(weeks)} weeks${days > 0 ? ` and ${String(days)} ${days === 1 ? 'day' : 'days'}` : ''}`
}

function earlyText(weeks: number, days: number): string {
  const early = 280 - (weeks * 7 + days)
  if (early <= 0) {
    return early === 0 ? 'born on the due date' : `born ${daysAsWeeks(-early)} after the due date`
  }
  return `born ${daysAsWeeks(early)} before the due date`
}

function daysAsWeeks(total: number): string {
  const weeks = Math.floor(total / 7)
  const days = total % 7
  const parts = [
    weeks > 0 ? `${String(weeks)} ${weeks === 1 ? 'week' : 'weeks'}` : '',
    days > 0 ? `${String(days)} ${days === 1 ? 'day' : 'days'}` : '',
  ]
  return parts.filter(Boolean).join(' and ')
}

interface Calculated {
  row: MeasurementRow
  result: MeasurementResponse | null
}

const plural = (count: number, unit: string): string => `${String(count)} ${unit}${count === 1 ? '' : 's'}`

/**
 * An age as a red book writes it in a table, from the engine's calendar arithmetic (relativeDelta): days under
 * 2 weeks, weeks and days under a month, months and weeks under 2 years, then years and months.
 */
export function shortAge(fromDay: number, toDay: number): string {
  if (toDay < fromDay) {
    return ''
  }
  const { years, months, days } = relativeDelta(fromDay, toDay)
  const totalMonths = years * 12 + months
  if (toDay - fromDay < 14) {
    return toDay === fromDay ? 'at birth' : plural(toDay - fromDay, 'day')
  }
  if (totalMonths === 0) {
    return [plural(Math.floor(days / 7), 'week'), days % 7 > 0 ? plural(days % 7, 'day') : ''].filter(Boolean).join(' ')
  }
  if (totalMonths < 24) {
    const weeks = Math.floor(days / 7)
    return [plural(totalMonths, 'month'), weeks > 0 ? plural(weeks, 'week') : ''].filter(Boolean).join(' ')
  }
  return [plural(years, 'year'), months > 0 ? plural(months, 'month') : ''].filter(Boolean).join(' ')
}

function ageCell(result: MeasurementResponse | null, preterm: boolean): Cell {
  if (!result) {
    return { text: 'Not available' }
  }
  const birth = parseIsoDate(result.birth_data.birth_date) ?? 0
  const observation = parseIsoDate(result.measurement_dates.observation_date) ?? 0
  const chronological = shortAge(birth, observation)
  if (!preterm) {
    return { text: chronological }
  }
  const gestational = result.measurement_dates.corrected_gestational_age
  const due = parseIsoDate(result.birth_data.estimated_date_delivery) ?? 0
  const corrected =
    gestational.corrected_gestation_weeks !== null
      ? `${String(gestational.corrected_gestation_weeks)}+${String(gestational.corrected_gestation_days ?? 0)} weeks gestation`
      : observation === due
        ? 'due date'
        : shortAge(due, observation)
  return {
    html: `${escapeXml(chronological)}<br><span class="govuk-body-s">Corrected: ${escapeXml(corrected)}</span>`,
  }
}

function centileText(result: MeasurementResponse | null): string {
  const values = result?.measurement_calculated_values
  if (!values || values.corrected_centile === null) {
    return values?.corrected_measurement_error ?? 'Not available'
  }
  return values.corrected_centile_band ?? `${formatCentile(values.corrected_centile)} centile`
}

function whoMeasured(row: MeasurementRow, audience: Audience): string {
  if (row.source === 'parent') {
    return 'Parent or carer'
  }
  return audience === 'practitioner' && row.measuredByName
    ? `${row.measuredByName}, ${roleLabel(row.measuredByRole)}`
    : roleLabel(row.measuredByRole)
}

/** Previous values of a current measurement, newest first, following corrected_from back. */
function history(
  row: MeasurementRow,
  byId: Map<string, MeasurementRow>,
): { previous: MeasurementRow; correction: MeasurementRow }[] {
  const steps: { previous: MeasurementRow; correction: MeasurementRow }[] = []
  let current: MeasurementRow | undefined = row
  while (current?.correctedFrom) {
    const previous = byId.get(current.correctedFrom)
    if (!previous) {
      break
    }
    steps.push({ previous, correction: current })
    current = previous
  }
  return steps
}

export function buildRedBook(rows: RedBookRows, options: RedBookOptions): RedBookView {
  const { child, birth } = rows
  const basis = growthBasisOf(child, birth)
  const preterm = isPreterm(basis)
  const name = `${child.givenName} ${child.familyName}`
  const practitioner = options.audience === 'practitioner'

  // ---- about the child ----
  const birthDate = basis.birthDate
  const summaryRows: RedBookView['summaryRows'] = [
    { key: { text: 'Name' }, value: { text: name } },
    { key: { text: 'NHS number' }, value: { text: nhsNumberText(child.nhsNumber) } },
    {
      key: { text: 'Date of birth' },
      value: {
        text: birthDate
          ? `${formatDate(birthDate)}${birth?.birthTime ? ` at ${birth.birthTime.slice(0, 5)}` : ''} (${describeAge(birthDate, options.today)})`
          : 'Not recorded',
      },
    },
    {
      key: { text: 'Sex' },
      value: { text: child.sex === 'female' ? 'Female' : child.sex === 'male' ? 'Male' : 'Not recorded' },
    },
    {
      key: { text: 'Gestation at birth' },
      value: {
        text: birth
          ? `${gestationText(birth.gestationWeeks, birth.gestationDays)} (${earlyText(birth.gestationWeeks, birth.gestationDays)})`
          : 'Not recorded. The charts take it as 40 weeks',
      },
    },
  ]
  const due = dueDate(basis)
  if (preterm && due) {
    summaryRows.push({ key: { text: 'Due date' }, value: { text: formatDate(due) } })
  }
  summaryRows.push({
    key: { text: 'Birth weight' },
    value: {
      text:
        birth && birth.birthWeightGrams !== null
          ? `${formatValue('weight', birth.birthWeightGrams / 1000)} (${birth.birthWeightGrams.toLocaleString('en-GB')} g)`
          : 'Not recorded',
    },
  })
  if (birth && birth.birthOrder > 1) {
    summaryRows.push({
      key: { text: 'Birth order' },
      value: { text: `Born ${ordinalWord(birth.birthOrder)} in a multiple birth` },
    })
  }
  summaryRows.push({
    key: { text: 'Parents and carers' },
    value:
      rows.carers.length === 0
        ? { text: 'None recorded' }
        : {
            html: `<ul class="govuk-list">${rows.carers
              .map(
                carer =>
                  `<li>${escapeXml(`${carer.givenName} ${carer.familyName}`)} (${escapeXml(relationshipLabel(carer.relationship))}${carer.parentalResponsibility ? ', parental responsibility' : ''})</li>`,
              )
              .join('')}</ul>`,
          },
  })

  // ---- measurements ----
  const byId = new Map(rows.measurements.map(row => [row.id, row]))
  const current: Calculated[] = rows.measurements
    .filter(row => row.supersededBy === null)
    .map(row => ({ row, result: calculateGrowth(basis, row.method, row.observationDate, row.value) }))
  const newestFirst = [...current].sort((a, b) =>
    a.row.observationDate === b.row.observationDate
      ? b.row.recordedAt.getTime() - a.row.recordedAt.getTime()
      : a.row.observationDate < b.row.observationDate
        ? 1
        : -1,
  )
  const measurementHead: Cell[] = [
    { text: 'Date' },
    { text: 'Measurement' },
    { text: 'Value', format: 'numeric' },
    { text: 'Age' },
    ...(practitioner ? [{ text: 'SDS', format: 'numeric' }] : []),
    { text: 'Centile' },
    { text: 'Measured by' },
    ...(options.canCorrect ? [{ text: 'Action' }] : []),
  ]
  let correctedCount = 0
  const measurementRows = newestFirst.map(({ row, result }): Cell[] => {
    const steps = history(row, byId)
    if (steps.length > 0) {
      correctedCount++
    }
    const historyHtml = steps
      .map(
        ({ previous, correction }) =>
          `<br><span class="govuk-body-s">Corrected from ${escapeXml(formatValue(row.method, previous.value))} on ${escapeXml(formatDate(correction.recordedAt))}${practitioner && correction.measuredByName ? ` by ${escapeXml(correction.measuredByName)}` : ''}. Reason: ${escapeXml(correction.correctionReason ?? '')}</span>`,
      )
      .join('')
    const valueCell: Cell =
      steps.length > 0
        ? { html: `${escapeXml(formatValue(row.method, row.value))}${historyHtml}` }
        : { text: formatValue(row.method, row.value), format: 'numeric' }
    const place = row.place ?? 'Place not recorded'
    const cells: Cell[] = [
      { text: formatDate(row.observationDate) },
      { text: methodNames[row.method] },
      valueCell,
      ageCell(result, preterm),
      ...(practitioner ? [{ text: formatSds(reportedSds(result)), format: 'numeric' }] : []),
      { text: centileText(result) },
      {
        html: `${escapeXml(whoMeasured(row, options.audience))}<br><span class="govuk-body-s">${escapeXml(place)}</span>`,
      },
    ]
    if (options.canCorrect) {
      cells.push({
        html: `<a class="govuk-link" href="${escapeXml(`${options.basePath}/measurements/${row.id}/correct`)}">Correct<span class="govuk-visually-hidden"> the ${escapeXml(methodWords[row.method])} of ${escapeXml(formatDate(row.observationDate))}</span></a>`,
      })
    }
    return cells
  })

  // ---- the engine's comment on age correction, in the audience's words ----
  const sample =
    current.find(each => each.result !== null)?.result ??
    (basis.birthDate !== null
      ? calculateGrowth(basis, 'weight', basis.birthDate, (birth?.birthWeightGrams ?? 3300) / 1000)
      : null)
  const point = sample?.plottable_data.centile_data.corrected_decimal_age_data
  const ageComment = point ? (practitioner ? point.clinician_comment : point.lay_comment) : null

  // ---- charts ----
  const range: AgeRange = isAgeRange(options.range) ? options.range : defaultRange(basis.birthDate, options.today)
  const pointsByMethod = new Map<
    MeasurementMethod,
    { date: string; point: PlotPoint; result: MeasurementResponse; label?: string }[]
  >()
  const addPoint = (method: MeasurementMethod, date: string, result: MeasurementResponse | null, label?: string) => {
    const dates = result?.measurement_dates
    if (!result || !dates || dates.corrected_decimal_age === null) {
      return
    }
    const list = pointsByMethod.get(method) ?? []
    list.push({
      date,
      point: {
        chronologicalAge: dates.chronological_decimal_age,
        correctedAge: dates.corrected_decimal_age,
        value: result.child_observation_value.observation_value,
      },
      result,
      ...(label ? { label } : {}),
    })
    pointsByMethod.set(method, list)
  }
  if (birth && birth.birthWeightGrams !== null) {
    addPoint(
      'weight',
      birth.birthDate,
      calculateGrowth(basis, 'weight', birth.birthDate, birth.birthWeightGrams / 1000),
      'Birth weight',
    )
  }
  const oldestFirst = [...current].sort((a, b) =>
    a.row.observationDate < b.row.observationDate ? -1 : a.row.observationDate > b.row.observationDate ? 1 : 0,
  )
  for (const { row, result } of oldestFirst) {
    addPoint(row.method, row.observationDate, result)
  }
  // BMI, worked out where a weight and a height share a date, from 2 years.
  for (const { row: weight } of oldestFirst.filter(each => each.row.method === 'weight')) {
    const height = oldestFirst.find(
      each => each.row.method === 'height' && each.row.observationDate === weight.observationDate,
    )
    if (!height) {
      continue
    }
    const bmi = weight.value / (height.row.value / 100) ** 2
    const result = calculateGrowth(basis, 'bmi', weight.observationDate, Math.round(bmi * 100) / 100)
    if (result && result.measurement_dates.chronological_decimal_age >= 2) {
      addPoint('bmi', weight.observationDate, result)
    }
  }
  const allCorrected = [...pointsByMethod.values()].flat().map(each => each.point.correctedAge)
  const defaultAges = defaultAgesShown(basis, allCorrected)
  const agesOffered = basis.gestationRecorded && basis.gestationWeeks < 40
  const agesShown: AgesShown =
    agesOffered && (options.ages === 'both' || options.ages === 'corrected' || options.ages === 'chronological')
      ? options.ages
      : defaultAges

  let chartsUnavailable: string | null = null
  if (basis.birthDate === null) {
    chartsUnavailable = `${child.givenName}’s date of birth is not recorded, so growth cannot be charted.`
  } else if (basis.sex === null) {
    chartsUnavailable = `${child.givenName}’s sex is not recorded. The UK-WHO charts are different for girls and boys, so growth cannot be charted.`
  }
  const charts: ChartView[] = []
  const sex = basis.sex
  if (chartsUnavailable === null && sex !== null) {
    const methods: MeasurementMethod[] = ['weight', 'height', 'ofc']
    const bmiInRange = (pointsByMethod.get('bmi') ?? []).some(
      each => each.point.chronologicalAge <= ageRanges[range].to,
    )
    if (range !== '0-1' && bmiInRange) {
      methods.push('bmi')
    }
    const fromAge = basis.gestationRecorded
      ? (basis.gestationWeeks * 7 + basis.gestationDays - 280) / 365.25
      : undefined
    for (const method of methods) {
      const all = pointsByMethod.get(method) ?? []
      const inRange = all.filter(each => {
        const x = agesShown === 'chronological' ? each.point.chronologicalAge : each.point.correctedAge
        const lowest = range === '2-18' ? 2 : -1
        return x >= lowest && Math.min(each.point.chronologicalAge, each.point.correctedAge) <= ageRanges[range].to
      })
      const id = `chart-${method}`
      const heading = method === 'height' ? 'Length and height' : methodNames[method]
      const sexWord = sex === 'female' ? 'girls' : 'boys'
      const plotted =
        agesShown === 'both'
          ? 'as dots at actual age and crosses at age corrected for gestation, each pair joined by a line'
          : agesShown === 'corrected'
            ? 'as crosses at age corrected for gestation'
            : 'as dots at actual age'
      const count = inRange.length
      const description = `UK-WHO ${methodWords[method]} chart for ${sexWord}, ${ageRanges[range].label}, with the nine centile lines from the 0.4th to the 99.6th. ${
        count === 0
          ? `No ${methodWords[method]} measurements of ${child.givenName} in this age range.`
          : `${String(count)} ${count === 1 ? 'measurement' : 'measurements'} of ${child.givenName} plotted ${plotted}. The table after the chart lists them.`
      }`
      const head: Cell[] = [
        { text: 'Date' },
        { text: 'Age' },
        { text: methodNames[method], format: 'numeric' },
        { text: 'Centile' },
      ]
      const tableRows = inRange.map((each): Cell[] => [
        { text: each.label ? `${formatDate(each.date)} (${each.label.toLowerCase()})` : formatDate(each.date) },
        ageCell(each.result, preterm),
        { text: formatValue(method, each.point.value), format: 'numeric' },
        {
          text:
            each.result.measurement_calculated_values.corrected_centile === null
              ? 'Not available'
              : `${formatCentile(each.result.measurement_calculated_values.corrected_centile)}${practitioner ? ` (SDS ${formatSds(reportedSds(each.result))})` : ''}`,
        },
      ])
      charts.push({
        id,
        method,
        heading,
        svg: renderGrowthChart({
          id,
          method,
          sex,
          range,
          ...(fromAge !== undefined && fromAge < 0 ? { fromAge } : {}),
          points: inRange.map(each => each.point),
          agesShown,
          title: `${heading} chart for ${name}, ${ageRanges[range].label}`,
          description,
        }),
        caption: `${heading}: ${child.givenName}’s measurements, ${ageRanges[range].label}`,
        head,
        rows: tableRows,
        emptyText: `No ${methodWords[method]} measurements in this age range.`,
      })
    }
  }

  const link = (query: Record<string, string>) => `${options.basePath}?${new URLSearchParams(query).toString()}`
  const keep = (extra: Record<string, string>): Record<string, string> => ({
    ...(isAgeRange(options.range) ? { range } : {}),
    ...(agesOffered && agesShown !== defaultAges ? { ages: agesShown } : {}),
    ...extra,
  })
  const rangeLinks = (Object.keys(ageRanges) as AgeRange[]).map(each => ({
    text: ageRanges[each].label,
    href: `${link(keep({ range: each }))}#charts`,
    current: each === range,
  }))
  const agesLinks = agesOffered
    ? (
        [
          ['both', 'Actual and corrected age'],
          ['corrected', 'Corrected age only'],
          ['chronological', 'Actual age only'],
        ] as const
      ).map(([value, text]) => ({
        text,
        href: `${link(keep({ range, ages: value }))}#charts`,
        current: value === agesShown,
      }))
    : []

  return {
    name,
    givenName: child.givenName,
    summaryRows,
    preterm,
    ageComment,
    measurementHead,
    measurementRows,
    correctedCount,
    charts,
    chartsUnavailable,
    range,
    rangeLabel: ageRanges[range].label,
    rangeLinks,
    agesLinks,
    agesShown,
    notes: rows.notes.map(note => ({
      author: note.authorIsParent ? `${note.authorName} (parent or carer)` : note.authorName,
      date: formatDateTime(note.createdAt),
      text: note.text,
    })),
  }
}

function ordinalWord(order: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'][order - 1] ?? String(order)
}
