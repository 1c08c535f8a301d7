import { describe, expect, it } from 'vitest'
import type { GrowthBasis } from './child-growth.js'
import {
  checkMeasurementForChild,
  parseCorrectionForm,
  parseDateInput,
  parseMeasurementForm,
  parseNoteForm,
} from './measurement-forms.js'

const today = '2025-06-15'
const form = (overrides: Record<string, string> = {}) => ({
  'observationDate-day': '10',
  'observationDate-month': '6',
  'observationDate-year': '2025',
  measurementMethod: 'weight',
  value: '4.25',
  unit: 'kg',
  place: ' Home visit ',
  ...overrides,
})

describe('the GOV.UK date input', () => {
  it.each([
    [['', '', ''], 'Enter the date measured', ['day', 'month', 'year']],
    [['3', '', ''], 'Date measured must include a month and year', ['month', 'year']],
    [['', '4', '2025'], 'Date measured must include a day', ['day']],
    [['3', 'Apr', '2025'], 'Date measured must be a real date', ['month']],
    [['3', '13', '2025'], 'Date measured must be a real date', ['month']],
    [['32', '1', '2025'], 'Date measured must be a real date', ['day']],
    [['29', '2', '2025'], 'Date measured must be a real date', ['day', 'month', 'year']],
    [['3', '4', '25'], 'Year must include 4 numbers', ['year']],
  ] as const)('%j: %s', ([day, month, year], message, parts) => {
    expect(parseDateInput(day, month, year, 'Date measured')).toEqual({ ok: false, message, parts })
  })

  it('accepts real dates, leap days included, with or without leading zeros', () => {
    expect(parseDateInput('29', '2', '2024', 'Date measured')).toEqual({ ok: true, date: '2024-02-29' })
    expect(parseDateInput('03', '04', '2025', 'Date measured')).toEqual({ ok: true, date: '2025-04-03' })
  })
})

describe('a new measurement, as typed', () => {
  it('converts grams to kilograms and millimetres to centimetres exactly, and trims the place', () => {
    expect(parseMeasurementForm(form({ value: '4255', unit: 'g' }), today)).toEqual({
      ok: true,
      value: { observationDate: '2025-06-10', method: 'weight', value: 4.255, unit: 'kg', place: 'Home visit' },
    })
    expect(
      parseMeasurementForm(form({ measurementMethod: 'height', value: '623', unit: 'mm', place: '' }), today),
    ).toEqual({
      ok: true,
      value: { observationDate: '2025-06-10', method: 'height', value: 62.3, unit: 'cm', place: null },
    })
    const ofc = parseMeasurementForm(form({ measurementMethod: 'ofc', value: '40.55', unit: 'cm' }), today)
    expect(ofc.ok && ofc.value.value).toBe(40.55)
  })

  it('lists every problem in the order of the fields, each pointing at its field', () => {
    const result = parseMeasurementForm(
      { 'observationDate-day': '1', measurementMethod: 'length', value: 'heavy', unit: 'lb', place: 'x'.repeat(101) },
      today,
    )
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.errors.summary).toEqual([
        { text: 'Date measured must include a month and year', href: '#observationDate-month' },
        { text: 'Select what was measured', href: '#measurementMethod' },
        { text: 'The measurement must be a number, like 4.25', href: '#value' },
        { text: 'Select kilograms, grams, centimetres or millimetres', href: '#unit' },
        { text: 'Where it was measured must be 100 characters or fewer', href: '#place' },
      ])
      expect(result.dateParts).toEqual(['month', 'year'])
    }
  })

  it.each([
    [{ 'observationDate-day': '16' }, 'Date measured must be today or in the past'],
    [{ value: '' }, 'Enter the weight'],
    [{ unit: '' }, 'Select the unit'],
    [{ unit: 'mm' }, 'A weight must be in kilograms or grams'],
    [{ measurementMethod: 'ofc', unit: 'g' }, 'A head circumference must be in centimetres or millimetres'],
    [{ value: '4.2555' }, 'Enter the weight to the nearest gram'],
    [{ value: '0.1' }, 'Weight must be between 0.2 kg and 250 kg'],
    [{ value: '4250' }, 'Weight must be between 0.2 kg and 250 kg. If you weighed in grams, select grams'],
    [
      { measurementMethod: 'height', value: '620', unit: 'cm' },
      'Length or height must be between 20 cm and 250 cm. If you measured in millimetres, select millimetres',
    ],
    [
      { measurementMethod: 'height', value: '62.345', unit: 'cm' },
      'Enter the length or height to the nearest 0.1 millimetre',
    ],
    [{ value: '-4' }, 'Weight must be a number, like 4.25'],
    [{ value: '4,25' }, 'Weight must be a number, like 4.25'],
  ])('%j → %s', (overrides, message) => {
    const result = parseMeasurementForm(form(overrides), today)
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.errors.summary.map(error => error.text)).toEqual([message])
  })
})

describe('a new measurement, against the child', () => {
  const girl: GrowthBasis = {
    birthDate: '2025-02-01',
    sex: 'female',
    gestationWeeks: 40,
    gestationDays: 0,
    gestationRecorded: true,
  }
  const child = { basis: girl, givenName: 'Amara', measurements: [], birthWeightGrams: 3400 }
  const weight = (observationDate: string, value: number) => ({
    observationDate,
    method: 'weight' as const,
    value,
    unit: 'kg' as const,
    place: null,
  })

  it('refuses a date before birth', () => {
    const result = checkMeasurementForChild(weight('2025-01-31', 3.4), child)
    expect(result.ok ? [] : result.errors.summary).toEqual([
      {
        text: 'Date measured must be on or after Amara’s date of birth, 1 February 2025',
        href: '#observationDate-day',
      },
    ])
  })

  it('refuses a value beyond ±8 SDS for the age, and accepts an ordinary one without warnings', () => {
    const impossible = checkMeasurementForChild(weight('2025-05-01', 30), child)
    expect(impossible.ok).toBe(false)
    expect(impossible.ok ? '' : impossible.errors.fields.value?.text).toMatch(
      /^A weight of 30\.00 kg is not possible for a girl of 3 months \(more than \+8 SDS\)\. Check the value, the unit and the date$/,
    )
    expect(checkMeasurementForChild(weight('2025-05-01', 5.6), child)).toEqual({ ok: true, warnings: [] })
  })

  it('warns about values beyond ±4 SDS, big changes, shrinking lengths and early weight loss', () => {
    const unusual = checkMeasurementForChild(weight('2025-05-01', 10.5), child)
    expect(unusual.ok && unusual.warnings[0]).toMatch(
      /^This weight is well outside the normal range for a girl of this age \(SDS \+4\.\d\d\)\.$/,
    )

    const jump = checkMeasurementForChild(weight('2025-05-01', 7.9), {
      ...child,
      measurements: [{ observationDate: '2025-04-01', method: 'weight', value: 4.6 }],
    })
    expect(jump.ok && jump.warnings).toEqual([
      expect.stringMatching(
        /^This is a big change from the last weight, 4\.60 kg on 1 April 2025: more than 3 centile spaces/,
      ),
    ])

    const shorter = checkMeasurementForChild(
      { observationDate: '2025-05-01', method: 'height', value: 58, unit: 'cm', place: null },
      { ...child, measurements: [{ observationDate: '2025-04-01', method: 'height', value: 59.5 }] },
    )
    expect(shorter.ok && shorter.warnings).toContain(
      'This length or height is smaller than the last one, 59.5 cm on 1 April 2025.',
    )

    const loss = checkMeasurementForChild(weight('2025-02-05', 2.95), child)
    expect(loss.ok && loss.warnings).toEqual([
      expect.stringContaining('more than 10% below the birth weight of 3.40 kg'),
    ])
  })

  it('refuses any measurement when the date of birth is not recorded', () => {
    const result = checkMeasurementForChild(weight('2025-05-01', 5.6), {
      ...child,
      basis: { ...girl, birthDate: null },
    })
    expect(result.ok ? [] : result.errors.summary.map(error => error.text)).toEqual([
      'Amara’s date of birth is not recorded, so measurements cannot be added',
    ])
  })

  it('skips the SDS checks when the sex is not recorded', () => {
    expect(checkMeasurementForChild(weight('2025-05-01', 30), { ...child, basis: { ...girl, sex: null } })).toEqual({
      ok: true,
      warnings: [],
    })
  })
})

describe('corrections and notes', () => {
  it('needs a different, valid value and a reason', () => {
    expect(parseCorrectionForm({ value: '5.8', reason: ' Typing error ' }, { method: 'weight', value: 6.8 })).toEqual({
      ok: true,
      value: { value: 5.8, reason: 'Typing error' },
    })
    const same = parseCorrectionForm({ value: '6.80', reason: '' }, { method: 'weight', value: 6.8 })
    expect(same.ok ? [] : same.errors.summary.map(error => error.text)).toEqual([
      'Enter a different weight from the one recorded',
      'Enter why the value is being corrected',
    ])
    const long = parseCorrectionForm({ value: '61', reason: 'x'.repeat(501) }, { method: 'height', value: 60 })
    expect(long.ok ? [] : long.errors.summary.map(error => error.text)).toEqual([
      'Reason must be 500 characters or fewer',
    ])
  })

  it('takes a note of 1 to 2,000 characters', () => {
    expect(parseNoteForm({ text: '  Sleeping better  ' })).toEqual({ ok: true, text: 'Sleeping better' })
    expect(parseNoteForm({})).toEqual({
      ok: false,
      errors: { summary: [{ text: 'Enter your note', href: '#text' }], fields: { text: { text: 'Enter your note' } } },
    })
    expect(parseNoteForm({ text: 'x'.repeat(2001) }).ok).toBe(false)
    expect(parseNoteForm({ text: 'x'.repeat(2000) }).ok).toBe(true)
  })
})
