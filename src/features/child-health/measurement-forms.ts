import type { FormErrors } from '../../platform/validation.js'
import type { MeasurementUnit, RecordedMeasurementMethod } from './child-health-tables.js'
import { formatDate } from './red-book-text.js'
import { calculateGrowth, formatSds, formatValue, methodWords, reportedSds, type GrowthBasis } from './child-growth.js'
import { daysFromCivil, formatIsoDate } from './growth/index.js'

/**
 * The red book's forms: a new measurement (GOV.UK date input, what was measured, value and unit, where), a
 * correction, and a parent's note. Checks come in two steps: what the form alone can tell (parseMeasurementForm),
 * then what needs the child (checkMeasurementForChild): before birth, impossible for the age (error), unusual for the
 * age or a big change from the last measurement (a warning the practitioner confirms).
 */

export const recordedMethods = ['weight', 'height', 'ofc'] as const satisfies readonly RecordedMeasurementMethod[]
export const enteredUnits = ['kg', 'g', 'cm', 'mm'] as const
export type EnteredUnit = (typeof enteredUnits)[number]
export type DatePart = 'day' | 'month' | 'year'

export const unitNames: Record<EnteredUnit, string> = {
  kg: 'kilograms (kg)',
  g: 'grams (g)',
  cm: 'centimetres (cm)',
  mm: 'millimetres (mm)',
}

/** Absolute limits in the stored unit, the same as the database's CHECK constraint. */
export const hardLimits: Record<RecordedMeasurementMethod, { min: number; max: number }> = {
  weight: { min: 0.2, max: 250 },
  height: { min: 20, max: 250 },
  ofc: { min: 15, max: 80 },
}

/** SDS beyond which a value is impossible (an error), and beyond which it is unusual (a warning): RCPCH's ±8 and ±4. */
export const impossibleSds = 8
export const unusualSds = 4
/** A change of more than 2 SDS (three centile spaces) from the last measurement is checked with the practitioner. */
export const bigChangeSds = 2

export interface ParsedMeasurement {
  observationDate: string
  method: RecordedMeasurementMethod
  /** In the stored unit: kg for weight, cm otherwise. */
  value: number
  unit: MeasurementUnit
  place: string | null
}

export interface MeasurementFormProblems {
  errors: FormErrors
  /** Which boxes of the date input to mark as in error. */
  dateParts: DatePart[]
}

export type MeasurementFormResult = { ok: true; value: ParsedMeasurement } | ({ ok: false } & MeasurementFormProblems)

const fieldOrder = ['observationDate', 'measurementMethod', 'value', 'unit', 'place', 'reason', 'text'] as const
type Field = (typeof fieldOrder)[number]

class ErrorCollector {
  private readonly found = new Map<Field, { text: string; href: string }>()
  dateParts: DatePart[] = []

  add(field: Field, text: string, href = `#${field}`): void {
    if (!this.found.has(field)) {
      this.found.set(field, { text, href })
    }
  }

  has(field: Field): boolean {
    return this.found.has(field)
  }

  get empty(): boolean {
    return this.found.size === 0
  }

  toErrors(): FormErrors {
    const errors: FormErrors = { summary: [], fields: {} }
    for (const field of fieldOrder) {
      const error = this.found.get(field)
      if (error) {
        errors.summary.push(error)
        errors.fields[field] = { text: error.text }
      }
    }
    return errors
  }
}

function stringField(body: unknown, name: string): string {
  if (body && typeof body === 'object') {
    const value = (body as Record<string, unknown>)[name]
    if (typeof value === 'string') {
      return value.trim()
    }
  }
  return ''
}

function isRecordedMethod(value: string): value is RecordedMeasurementMethod {
  return (recordedMethods as readonly string[]).includes(value)
}

function isEnteredUnit(value: string): value is EnteredUnit {
  return (enteredUnits as readonly string[]).includes(value)
}

const partNames: Record<DatePart, string> = { day: 'day', month: 'month', year: 'year' }

function listParts(parts: DatePart[]): string {
  const names = parts.map(part => partNames[part])
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`
}

/** The date input's day, month and year as YYYY-MM-DD, or the GOV.UK error and the boxes to mark. */
export function parseDateInput(
  day: string,
  month: string,
  year: string,
  label: string,
): { ok: true; date: string } | { ok: false; message: string; parts: DatePart[] } {
  const given: Record<DatePart, string> = { day, month, year }
  const parts: DatePart[] = ['day', 'month', 'year']
  const missing = parts.filter(part => given[part] === '')
  if (missing.length === 3) {
    return { ok: false, message: `Enter the ${label.toLowerCase()}`, parts }
  }
  if (missing.length > 0) {
    return { ok: false, message: `${label} must include a ${listParts(missing)}`, parts: missing }
  }
  const notNumbers = parts.filter(part => !/^\d+$/.test(given[part]))
  if (notNumbers.length > 0) {
    return { ok: false, message: `${label} must be a real date`, parts: notNumbers }
  }
  if (given.year.length !== 4) {
    return { ok: false, message: 'Year must include 4 numbers', parts: ['year'] }
  }
  const y = Number(given.year)
  const m = Number(given.month)
  const d = Number(given.day)
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900) {
    return {
      ok: false,
      message: `${label} must be a real date`,
      parts: m < 1 || m > 12 ? ['month'] : d < 1 || d > 31 ? ['day'] : ['year'],
    }
  }
  const iso = formatIsoDate(daysFromCivil(y, m, d))
  if (iso !== `${given.year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`) {
    // 31 April, 29 February in a common year
    return { ok: false, message: `${label} must be a real date`, parts }
  }
  return { ok: true, date: iso }
}

const valueNames: Record<RecordedMeasurementMethod, string> = {
  weight: 'Weight',
  height: 'Length or height',
  ofc: 'Head circumference',
}
const numberExamples: Record<RecordedMeasurementMethod, string> = { weight: '4.25', height: '62.4', ofc: '40.5' }

function decimalPlaces(text: string): number {
  const point = text.indexOf('.')
  return point === -1 ? 0 : text.length - point - 1
}

/** Converts what was typed to the stored unit, keeping decimal digits exact (no floating-point noise). */
function toStoredUnit(text: string, unit: EnteredUnit): { value: number; places: number } {
  const places = decimalPlaces(text)
  if (unit === 'g' || unit === 'mm') {
    const shift = unit === 'g' ? 3 : 1
    return { value: Number((Number(text) / 10 ** shift).toFixed(places + shift)), places: places + shift }
  }
  return { value: Number(text), places }
}

function checkValue(
  collector: ErrorCollector,
  method: RecordedMeasurementMethod,
  text: string,
  unit: EnteredUnit,
): number | undefined {
  const name = valueNames[method]
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    collector.add('value', `${name} must be a number, like ${numberExamples[method]}`)
    return undefined
  }
  const { value, places } = toStoredUnit(text.endsWith('.') ? text.slice(0, -1) : text, unit)
  const maximumPlaces = method === 'weight' ? 3 : 2
  if (places > maximumPlaces) {
    collector.add(
      'value',
      method === 'weight'
        ? 'Enter the weight to the nearest gram'
        : `Enter the ${methodWords[method]} to the nearest 0.1 millimetre`,
    )
    return undefined
  }
  const limits = hardLimits[method]
  if (value < limits.min || value > limits.max) {
    const stored = method === 'weight' ? 'kg' : 'cm'
    let hint = ''
    if (value > limits.max && unit === 'kg') {
      hint = '. If you weighed in grams, select grams'
    } else if (value > limits.max && unit === 'cm') {
      hint = '. If you measured in millimetres, select millimetres'
    }
    collector.add(
      'value',
      `${name} must be between ${String(limits.min)} ${stored} and ${String(limits.max)} ${stored}${hint}`,
    )
    return undefined
  }
  return value
}

/** Everything the form alone can check, in the order the fields appear. `today` is YYYY-MM-DD in England. */
export function parseMeasurementForm(body: unknown, today: string): MeasurementFormResult {
  const collector = new ErrorCollector()
  const date = parseDateInput(
    stringField(body, 'observationDate-day'),
    stringField(body, 'observationDate-month'),
    stringField(body, 'observationDate-year'),
    'Date measured',
  )
  let observationDate: string | undefined
  if (!date.ok) {
    collector.add('observationDate', date.message, `#observationDate-${date.parts[0] ?? 'day'}`)
    collector.dateParts = date.parts
  } else if (date.date > today) {
    collector.add('observationDate', 'Date measured must be today or in the past', '#observationDate-day')
    collector.dateParts = ['day', 'month', 'year']
  } else {
    observationDate = date.date
  }

  const methodText = stringField(body, 'measurementMethod')
  const method = isRecordedMethod(methodText) ? methodText : undefined
  if (!method) {
    collector.add('measurementMethod', 'Select what was measured')
  }

  const valueText = stringField(body, 'value')
  const unitText = stringField(body, 'unit')
  const unit = isEnteredUnit(unitText) ? unitText : undefined
  if (valueText === '') {
    collector.add('value', method ? `Enter the ${methodWords[method]}` : 'Enter the measurement')
  }
  if (unitText === '') {
    collector.add('unit', 'Select the unit')
  } else if (!unit) {
    collector.add('unit', 'Select kilograms, grams, centimetres or millimetres')
  } else if (method === 'weight' && (unit === 'cm' || unit === 'mm')) {
    collector.add('unit', 'A weight must be in kilograms or grams')
  } else if (method && method !== 'weight' && (unit === 'kg' || unit === 'g')) {
    collector.add('unit', `A ${methodWords[method]} must be in centimetres or millimetres`)
  }
  let value: number | undefined
  if (method && unit && valueText !== '' && !collector.has('unit')) {
    value = checkValue(collector, method, valueText, unit)
  } else if (valueText !== '' && !/^(\d+(\.\d*)?|\.\d+)$/.test(valueText)) {
    collector.add(
      'value',
      `${method ? valueNames[method] : 'The measurement'} must be a number, like ${numberExamples[method ?? 'weight']}`,
    )
  }

  const place = stringField(body, 'place')
  if (place.length > 100) {
    collector.add('place', 'Where it was measured must be 100 characters or fewer')
  }

  if (!collector.empty || observationDate === undefined || method === undefined || value === undefined) {
    return { ok: false, errors: collector.toErrors(), dateParts: collector.dateParts }
  }
  return {
    ok: true,
    value: {
      observationDate,
      method,
      value,
      unit: method === 'weight' ? 'kg' : 'cm',
      place: place === '' ? null : place,
    },
  }
}

export interface EarlierMeasurement {
  observationDate: string
  method: RecordedMeasurementMethod
  value: number
}

export interface ChildContext {
  basis: GrowthBasis
  /** "Anaya", for messages. */
  givenName: string
  /** Current (not superseded) measurements of the child. */
  measurements: readonly EarlierMeasurement[]
  birthWeightGrams: number | null
}

export type ChildCheck = { ok: true; warnings: string[] } | ({ ok: false } & MeasurementFormProblems)

function childWord(basis: GrowthBasis): string {
  return basis.sex === 'female' ? 'girl' : basis.sex === 'male' ? 'boy' : 'child'
}

/**
 * The checks that need the child: not before birth; not impossible for the age (beyond ±8 SDS: an error); unusual
 * values (beyond ±4 SDS, a change of more than 2 SDS from the nearest earlier measurement, a length or head smaller
 * than before, a baby more than 10% under birth weight) come back as warnings to confirm.
 */
export function checkMeasurementForChild(measurement: ParsedMeasurement, child: ChildContext): ChildCheck {
  const collector = new ErrorCollector()
  const { basis } = child
  if (basis.birthDate === null) {
    collector.add(
      'observationDate',
      `${child.givenName}’s date of birth is not recorded, so measurements cannot be added`,
      '#observationDate-day',
    )
    return { ok: false, errors: collector.toErrors(), dateParts: [] }
  }
  if (measurement.observationDate < basis.birthDate) {
    collector.add(
      'observationDate',
      `Date measured must be on or after ${child.givenName}’s date of birth, ${formatDate(basis.birthDate)}`,
      '#observationDate-day',
    )
    collector.dateParts = ['day', 'month', 'year']
    return { ok: false, errors: collector.toErrors(), dateParts: collector.dateParts }
  }
  const result = calculateGrowth(basis, measurement.method, measurement.observationDate, measurement.value)
  const sds = reportedSds(result)
  const words = methodWords[measurement.method]
  const age = result?.measurement_dates.chronological_calendar_age ?? ''
  if (sds !== null && Math.abs(sds) > impossibleSds) {
    const ofAge = age === '' || age === 'Birth date' ? 'at birth' : `of ${age}`
    collector.add(
      'value',
      `A ${words} of ${formatValue(measurement.method, measurement.value)} is not possible for a ${childWord(basis)} ${ofAge} (${sds > 0 ? 'more' : 'less'} than ${sds > 0 ? '+' : '−'}${String(impossibleSds)} SDS). Check the value, the unit and the date`,
    )
    return { ok: false, errors: collector.toErrors(), dateParts: [] }
  }

  const warnings: string[] = []
  if (sds !== null && Math.abs(sds) > unusualSds) {
    warnings.push(
      `This ${words} is well outside the normal range for a ${childWord(basis)} of this age (SDS ${formatSds(sds)}).`,
    )
  }
  const sameKind = child.measurements.filter(each => each.method === measurement.method)
  const earlier = sameKind
    .filter(each => each.observationDate <= measurement.observationDate)
    .sort((a, b) => (a.observationDate < b.observationDate ? 1 : -1))[0]
  const nearest =
    earlier ??
    sameKind
      .filter(each => each.observationDate > measurement.observationDate)
      .sort((a, b) => (a.observationDate < b.observationDate ? -1 : 1))[0]
  if (nearest) {
    const previousSds = reportedSds(calculateGrowth(basis, nearest.method, nearest.observationDate, nearest.value))
    const when = `${formatValue(nearest.method, nearest.value)} on ${formatDate(nearest.observationDate)}`
    if (sds !== null && previousSds !== null && Math.abs(sds - previousSds) > bigChangeSds) {
      warnings.push(
        `This is a big change from the ${earlier ? 'last' : 'next'} ${words}, ${when}: more than 3 centile spaces (SDS ${formatSds(previousSds)} then, ${formatSds(sds)} now).`,
      )
    }
    if (
      earlier &&
      measurement.method !== 'weight' &&
      earlier.observationDate < measurement.observationDate &&
      earlier.value - measurement.value > 1
    ) {
      warnings.push(`This ${words} is smaller than the last one, ${when}.`)
    }
  }
  if (measurement.method === 'weight' && child.birthWeightGrams !== null) {
    const birthKg = child.birthWeightGrams / 1000
    const days =
      (Date.parse(`${measurement.observationDate}T00:00:00Z`) - Date.parse(`${basis.birthDate}T00:00:00Z`)) / 86_400_000
    if (days <= 28 && measurement.value < birthKg * 0.9) {
      warnings.push(
        `This is more than 10% below the birth weight of ${formatValue('weight', birthKg)}. Babies often lose up to 10% of their birth weight in the first days, then regain it by about 2 weeks.`,
      )
    }
  }
  return { ok: true, warnings }
}

export interface ParsedCorrection {
  value: number
  reason: string
}

/** A corrected value (in the measurement's own unit) and why. */
export function parseCorrectionForm(
  body: unknown,
  original: { method: RecordedMeasurementMethod; value: number },
): { ok: true; value: ParsedCorrection } | { ok: false; errors: FormErrors } {
  const collector = new ErrorCollector()
  const valueText = stringField(body, 'value')
  let value: number | undefined
  if (valueText === '') {
    collector.add('value', `Enter the correct ${methodWords[original.method]}`)
  } else {
    value = checkValue(collector, original.method, valueText, original.method === 'weight' ? 'kg' : 'cm')
    if (value !== undefined && value === original.value) {
      collector.add('value', `Enter a different ${methodWords[original.method]} from the one recorded`)
      value = undefined
    }
  }
  const reason = stringField(body, 'reason')
  if (reason === '') {
    collector.add('reason', 'Enter why the value is being corrected')
  } else if (reason.length > 500) {
    collector.add('reason', 'Reason must be 500 characters or fewer')
  }
  if (!collector.empty || value === undefined) {
    return { ok: false, errors: collector.toErrors() }
  }
  return { ok: true, value: { value, reason } }
}

export const noteMaximumLength = 2000

export function parseNoteForm(body: unknown): { ok: true; text: string } | { ok: false; errors: FormErrors } {
  const collector = new ErrorCollector()
  const text = stringField(body, 'text')
  if (text === '') {
    collector.add('text', 'Enter your note')
  } else if (text.length > noteMaximumLength) {
    collector.add('text', 'Your note must be 2,000 characters or fewer')
  }
  return collector.empty ? { ok: true, text } : { ok: false, errors: collector.toErrors() }
}
