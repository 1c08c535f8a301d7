/**
 * Form helpers for the GOV.UK date input pattern (three boxes: day, month, year, named `<prefix>-day` and so on) and
 * for times typed as text ('9:30', '14:00', '2pm'). Used by the venue, session and term date forms.
 */
import { z } from 'zod'
import type { FormErrors } from '../../platform/validation.js'

const parts = ['day', 'month', 'year'] as const

/**
 * Gathers the three boxes of each date input into one object, `{ day, month, year }` under the prefix, so that a
 * zod schema can check the date as one field (and report one error for it, as the pattern asks).
 */
export function gatherDates(body: unknown, prefixes: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = body && typeof body === 'object' ? { ...body } : {}
  for (const prefix of prefixes) {
    const date: Record<string, string> = {}
    for (const part of parts) {
      const value = values[`${prefix}-${part}`]
      date[part] = typeof value === 'string' ? value.trim() : ''
    }
    values[prefix] = date
  }
  return values
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A 'YYYY-MM-DD' date from the three boxes, or null when all are empty and it is optional. */
export function dateParts(label: string, options: { required: boolean }) {
  return z.object({ day: z.string(), month: z.string(), year: z.string() }).transform((value, ctx): string | null => {
    const missing = parts.filter(part => value[part] === '')
    if (missing.length === 3) {
      if (options.required) {
        ctx.addIssue({ code: 'custom', message: `Enter ${label}` })
        return z.NEVER
      }
      return null
    }
    if (missing.length) {
      ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must include a ${missing.join(' and ')}` })
      return z.NEVER
    }
    if (!/^\d{1,2}$/.test(value.day) || !/^\d{1,2}$/.test(value.month) || !/^\d+$/.test(value.year)) {
      ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be a real date` })
      return z.NEVER
    }
    if (value.year.length !== 4) {
      ctx.addIssue({ code: 'custom', message: 'Year must include 4 numbers' })
      return z.NEVER
    }
    const [d, m, y] = [Number(value.day), Number(value.month), Number(value.year)]
    const date = new Date(Date.UTC(y, m - 1, d))
    if (
      date.getUTCFullYear() !== y ||
      date.getUTCMonth() !== m - 1 ||
      date.getUTCDate() !== d ||
      y < 2000 ||
      y > 2100
    ) {
      ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be a real date` })
      return z.NEVER
    }
    return date.toISOString().slice(0, 10)
  })
}

/** The boxes' values for a 'YYYY-MM-DD' date, to fill the form when changing something. */
export function dateValues(prefix: string, date: string | null): Record<string, string> {
  const [year = '', month = '', day = ''] = date ? date.split('-') : []
  return {
    [`${prefix}-day`]: day ? String(Number(day)) : '',
    [`${prefix}-month`]: month ? String(Number(month)) : '',
    [`${prefix}-year`]: year,
  }
}

/** The error summary links to the first box of a date input (its day box), as the pattern asks. */
export function linkDateErrors(errors: FormErrors, prefixes: string[]): FormErrors {
  return {
    ...errors,
    summary: errors.summary.map(item =>
      prefixes.some(prefix => item.href === `#${prefix}`) ? { ...item, href: `${item.href}-day` } : item,
    ),
  }
}

/** '9:30', '09.30', '14:00', '2pm', '2:30 pm' → 'HH:MM'; undefined if it is not a time. */
export function parseTime(input: string): string | undefined {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(input.trim())
  if (!match) {
    return undefined
  }
  let hours = Number(match[1])
  const minutes = match[2] === undefined ? 0 : Number(match[2])
  const suffix = match[3]?.toLowerCase().replace(/\./g, '')
  if (minutes > 59) {
    return undefined
  }
  if (suffix) {
    if (hours < 1 || hours > 12) {
      return undefined
    }
    hours = (hours % 12) + (suffix === 'pm' ? 12 : 0)
  } else if (hours > 23 || match[2] === undefined) {
    // '9' alone is not clear enough (9am or 9pm?): ask for '9am' or '9:00'.
    return undefined
  }
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
}

/** A required time field: 'Enter the time it starts, like 9:30am or 14:00'. */
export function timeField(what: string) {
  return z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .transform((value, ctx): string => {
      const time = parseTime(value)
      if (!time) {
        ctx.addIssue({ code: 'custom', message: `Enter ${what} like 9:30am or 14:00` })
        return z.NEVER
      }
      return time
    })
}
