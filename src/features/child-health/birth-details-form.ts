import type { FormErrors } from '../../platform/validation.js'
import { parseDateInput, type DatePart } from './measurement-forms.js'
import { checkNhsNumber, nhsNumberErrorMessage } from './nhs-number.js'

/**
 * The birth details form: date and time of birth, sex, gestation at birth, birth weight, birth order and NHS number.
 * parseBirthDetailsForm checks what the form alone can tell; checks against the record (an NHS number used by
 * someone else, a measurement dated before the new date of birth) are made where the record is read.
 */

/** The database's limits (child_birth_details CHECK constraints); birth weight is narrowed to plausible values. */
export const birthDetailsLimits = {
  gestationWeeks: { min: 22, max: 44 },
  gestationDays: { min: 0, max: 6 },
  birthWeightGrams: { min: 300, max: 7000 },
  birthOrder: { min: 1, max: 8 },
} as const

export type ChildSex = 'female' | 'male'

export interface ParsedBirthDetails {
  birthDate: string
  /** 'HH:MM', or null when not given. */
  birthTime: string | null
  sex: ChildSex
  gestationWeeks: number
  gestationDays: number
  birthWeightGrams: number
  birthOrder: number
  nhsNumber: string
}

export interface BirthDetailsProblems {
  errors: FormErrors
  /** Boxes of the date input to mark as in error. */
  dateParts: DatePart[]
  /** Boxes of the time and gestation inputs to mark as in error. */
  timeParts: ('hours' | 'minutes')[]
  gestationParts: ('weeks' | 'days')[]
}

export type BirthDetailsFormResult = { ok: true; value: ParsedBirthDetails } | ({ ok: false } & BirthDetailsProblems)

export const birthDetailsFields = [
  'dateOfBirth',
  'birthTime',
  'sex',
  'gestation',
  'birthWeight',
  'birthOrder',
  'nhsNumber',
] as const
export type BirthDetailsField = (typeof birthDetailsFields)[number]

export class BirthDetailsErrors {
  private readonly found = new Map<BirthDetailsField, { text: string; href: string }>()
  dateParts: DatePart[] = []
  timeParts: ('hours' | 'minutes')[] = []
  gestationParts: ('weeks' | 'days')[] = []

  add(field: BirthDetailsField, text: string, href = `#${field}`): void {
    if (!this.found.has(field)) {
      this.found.set(field, { text, href })
    }
  }

  get empty(): boolean {
    return this.found.size === 0
  }

  problems(): BirthDetailsProblems {
    const errors: FormErrors = { summary: [], fields: {} }
    for (const field of birthDetailsFields) {
      const error = this.found.get(field)
      if (error) {
        errors.summary.push(error)
        errors.fields[field] = { text: error.text }
      }
    }
    return { errors, dateParts: this.dateParts, timeParts: this.timeParts, gestationParts: this.gestationParts }
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

function wholeNumber(text: string): number | undefined {
  return /^\d{1,6}$/.test(text) ? Number(text) : undefined
}

function parseBirthTime(collector: BirthDetailsErrors, hoursText: string, minutesText: string): string | null {
  if (hoursText === '' && minutesText === '') {
    return null
  }
  if (hoursText === '' || minutesText === '') {
    collector.add(
      'birthTime',
      `Time of birth must include ${hoursText === '' ? 'the hour' : 'the minutes'}`,
      `#birthTime-${hoursText === '' ? 'hours' : 'minutes'}`,
    )
    collector.timeParts = [hoursText === '' ? 'hours' : 'minutes']
    return null
  }
  const hours = wholeNumber(hoursText)
  const minutes = wholeNumber(minutesText)
  if (hours === undefined || hours > 23) {
    collector.add('birthTime', 'Hour must be a number from 0 to 23, using the 24-hour clock', '#birthTime-hours')
    collector.timeParts = ['hours']
    return null
  }
  if (minutes === undefined || minutes > 59) {
    collector.add('birthTime', 'Minutes must be a number from 0 to 59', '#birthTime-minutes')
    collector.timeParts = ['minutes']
    return null
  }
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
}

function parseGestation(
  collector: BirthDetailsErrors,
  weeksText: string,
  daysText: string,
): { weeks: number; days: number } | undefined {
  const { gestationWeeks: weekLimits, gestationDays: dayLimits } = birthDetailsLimits
  if (weeksText === '') {
    collector.add('gestation', 'Enter the weeks of gestation at birth', '#gestation-weeks')
    collector.gestationParts = ['weeks']
    return undefined
  }
  const weeks = wholeNumber(weeksText)
  if (weeks === undefined || weeks < weekLimits.min || weeks > weekLimits.max) {
    collector.add(
      'gestation',
      `Weeks of gestation must be a whole number from ${String(weekLimits.min)} to ${String(weekLimits.max)}`,
      '#gestation-weeks',
    )
    collector.gestationParts = ['weeks']
    return undefined
  }
  const days = daysText === '' ? 0 : wholeNumber(daysText)
  if (days === undefined || days < dayLimits.min || days > dayLimits.max) {
    collector.add(
      'gestation',
      `Days of gestation must be a whole number from ${String(dayLimits.min)} to ${String(dayLimits.max)}. Seven days or more is another completed week`,
      '#gestation-days',
    )
    collector.gestationParts = ['days']
    return undefined
  }
  return { weeks, days }
}

/** Everything the form alone can check, in the order the fields appear. `today` is YYYY-MM-DD in England. */
export function parseBirthDetailsForm(body: unknown, today: string): BirthDetailsFormResult {
  const collector = new BirthDetailsErrors()

  const date = parseDateInput(
    stringField(body, 'dateOfBirth-day'),
    stringField(body, 'dateOfBirth-month'),
    stringField(body, 'dateOfBirth-year'),
    'Date of birth',
  )
  let birthDate: string | undefined
  if (!date.ok) {
    collector.add('dateOfBirth', date.message, `#dateOfBirth-${date.parts[0] ?? 'day'}`)
    collector.dateParts = date.parts
  } else if (date.date > today) {
    collector.add('dateOfBirth', 'Date of birth must be today or in the past', '#dateOfBirth-day')
    collector.dateParts = ['day', 'month', 'year']
  } else {
    birthDate = date.date
  }

  const birthTime = parseBirthTime(
    collector,
    stringField(body, 'birthTime-hours'),
    stringField(body, 'birthTime-minutes'),
  )

  const sexText = stringField(body, 'sex')
  const sex: ChildSex | undefined = sexText === 'female' || sexText === 'male' ? sexText : undefined
  if (!sex) {
    collector.add('sex', 'Select the child’s sex')
  }

  const gestation = parseGestation(collector, stringField(body, 'gestation-weeks'), stringField(body, 'gestation-days'))

  const weightText = stringField(body, 'birthWeight').replace(/,/g, '')
  const weightLimits = birthDetailsLimits.birthWeightGrams
  const birthWeightGrams = wholeNumber(weightText)
  if (weightText === '') {
    collector.add('birthWeight', 'Enter the birth weight in grams')
  } else if (birthWeightGrams === undefined) {
    collector.add('birthWeight', 'Birth weight must be a whole number of grams, like 3250')
  } else if (birthWeightGrams < weightLimits.min || birthWeightGrams > weightLimits.max) {
    collector.add(
      'birthWeight',
      `Birth weight must be between ${weightLimits.min.toLocaleString('en-GB')} grams and ${weightLimits.max.toLocaleString('en-GB')} grams. Enter it in grams, for example 3250 for 3.25 kg`,
    )
  }

  const orderText = stringField(body, 'birthOrder')
  const orderLimits = birthDetailsLimits.birthOrder
  const birthOrder = orderText === '' ? 1 : wholeNumber(orderText)
  if (birthOrder === undefined || birthOrder < orderLimits.min || birthOrder > orderLimits.max) {
    collector.add(
      'birthOrder',
      `Birth order must be a number from ${String(orderLimits.min)} to ${String(orderLimits.max)}. Enter 1 for a single birth`,
    )
  }

  const nhs = checkNhsNumber(stringField(body, 'nhsNumber'))
  if (!nhs.valid) {
    collector.add('nhsNumber', nhsNumberErrorMessage(nhs.problem))
  }

  if (
    !collector.empty ||
    birthDate === undefined ||
    sex === undefined ||
    gestation === undefined ||
    birthWeightGrams === undefined ||
    birthOrder === undefined ||
    !nhs.valid
  ) {
    return { ok: false, ...collector.problems() }
  }
  return {
    ok: true,
    value: {
      birthDate,
      birthTime,
      sex,
      gestationWeeks: gestation.weeks,
      gestationDays: gestation.days,
      birthWeightGrams,
      birthOrder,
      nhsNumber: nhs.nhsNumber,
    },
  }
}
