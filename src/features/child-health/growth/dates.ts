// Dates as integer day numbers (days since 1970-01-01, proleptic Gregorian) and RCPCH's age rules
// (rcpchgrowth date_calculations.py). No Date objects: no time zones, no allocation in the hot path.

export const DAYS_PER_YEAR = 365.25
export const TERM_PREGNANCY_LENGTH_DAYS = 280

/** Day number of a civil date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export interface CivilDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** Civil date of a day number (H. Hinnant's civil_from_days). */
export function civilFromDays(dayNumber: number): CivilDate {
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function digitsAt(text: string, start: number, length: number): number {
  let value = 0
  for (let i = start; i < start + length; i++) {
    const code = text.charCodeAt(i) - 48
    if (code < 0 || code > 9) {
      return -1
    }
    value = value * 10 + code
  }
  return value
}

/**
 * Parses an ISO date 'YYYY-MM-DD' to a day number, or returns null. Like the RCPCH API, a datetime is truncated at
 * 'T' ('2020-04-12T10:30:00Z' is 2020-04-12). Years 1-9999 as Python's date.
 */
export function parseIsoDate(text: string): number | null {
  const dateText = text.length > 10 && text[10] === 'T' ? text.slice(0, 10) : text
  if (dateText.length !== 10 || dateText[4] !== '-' || dateText[7] !== '-') {
    return null
  }
  const year = digitsAt(dateText, 0, 4)
  const month = digitsAt(dateText, 5, 2)
  const day = digitsAt(dateText, 8, 2)
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null
  }
  return daysFromCivil(year, month, day)
}

/** 'YYYY-MM-DD' for a day number (Python date.isoformat()). */
export function formatIsoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** strftime('%a %d %B, %Y') as rcpchgrowth formats the due date, e.g. 'Mon 15 June, 2015'. */
export function formatEddString(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber)
  // 1970-01-01 was a Thursday (index 3 from Monday)
  const weekday = WEEKDAYS[(((dayNumber + 3) % 7) + 7) % 7] ?? ''
  return `${weekday} ${String(day).padStart(2, '0')} ${MONTHS[month - 1] ?? ''}, ${year}`
}

/** Gestation at birth in days; rcpchgrowth treats gestation_weeks 0 (or missing) as 40+0. */
export function pregnancyLengthDays(gestationWeeks: number, gestationDays: number): number {
  return gestationWeeks === 0 ? TERM_PREGNANCY_LENGTH_DAYS : gestationWeeks * 7 + gestationDays
}

/** Estimated date of delivery: birth + (280 − gestation in days). Calculated for term and post-term babies too. */
export function estimatedDateOfDelivery(birthDay: number, gestationWeeks: number, gestationDays: number): number {
  return birthDay + TERM_PREGNANCY_LENGTH_DAYS - pregnancyLengthDays(gestationWeeks, gestationDays)
}

/** Chronological decimal age: whole days / 365.25. */
export function chronologicalDecimalAge(birthDay: number, observationDay: number): number {
  return (observationDay - birthDay) / DAYS_PER_YEAR
}

/**
 * Corrected decimal age: days since the due date / 365.25. UK-WHO corrects every child at every age, term and
 * post-term included, with no upper age limit (RCPCH Project Board decision; negative before the due date).
 */
export function correctedDecimalAge(
  birthDay: number,
  observationDay: number,
  gestationWeeks: number,
  gestationDays: number,
): number {
  return (observationDay - estimatedDateOfDelivery(birthDay, gestationWeeks, gestationDays)) / DAYS_PER_YEAR
}

export interface CorrectedGestationalAge {
  readonly corrected_gestation_weeks: number | null
  readonly corrected_gestation_days: number | null
}

/**
 * Corrected gestational age ('34 + 2 weeks'), reported only before the due date + 14 days and up to 42+0 weeks.
 */
export function correctedGestationalAge(
  birthDay: number,
  observationDay: number,
  gestationWeeks: number,
  gestationDays: number,
): CorrectedGestationalAge {
  const edd = estimatedDateOfDelivery(birthDay, gestationWeeks, gestationDays)
  if (observationDay >= edd + 14) {
    return { corrected_gestation_weeks: null, corrected_gestation_days: null }
  }
  const daysSinceConception = observationDay - birthDay + gestationWeeks * 7 + gestationDays
  const weeks = Math.floor(daysSinceConception / 7)
  const days = daysSinceConception - weeks * 7
  if ((weeks === 42 && days > 0) || weeks > 42) {
    return { corrected_gestation_weeks: null, corrected_gestation_days: null }
  }
  return { corrected_gestation_weeks: weeks, corrected_gestation_days: days }
}

/**
 * dateutil.relativedelta(to, from) for dates: whole years and months such that adding them to `from` (clamping the
 * day to the end of the month) does not pass `to`, then the remaining days. Requires from <= to.
 */
export function relativeDelta(fromDay: number, toDay: number): { years: number; months: number; days: number } {
  const from = civilFromDays(fromDay)
  const to = civilFromDays(toDay)
  let months = (to.year - from.year) * 12 + (to.month - from.month)
  let landed = addMonths(from, months)
  while (toDay < landed) {
    months -= 1
    landed = addMonths(from, months)
  }
  return { years: Math.floor(months / 12), months: months % 12, days: toDay - landed }
}

function addMonths(date: CivilDate, months: number): number {
  const monthIndex = date.month - 1 + months
  const year = date.year + Math.floor(monthIndex / 12)
  const month = (((monthIndex % 12) + 12) % 12) + 1
  return daysFromCivil(year, month, Math.min(date.day, daysInMonth(year, month)))
}

/**
 * Calendar age in words as rcpchgrowth's chronological_calendar_age: '8 years, 2 months, 1 week and 3 days',
 * 'Birth date' on the day of birth. Throws if the start date is after the end date.
 */
export function calendarAge(fromDay: number, toDay: number): string {
  if (fromDay > toDay) {
    throw new RangeError('Birth date cannot be after the date of observation.')
  }
  const { years, months, days } = relativeDelta(fromDay, toDay)
  const weeks = Math.floor(days / 7)
  const parts: string[] = []
  if (years === 1) {
    parts.push('1 year')
  }
  if (years > 1) {
    parts.push(`${years} years`)
  }
  if (months > 1) {
    parts.push(`${months} months`)
  }
  if (months === 1) {
    parts.push('1 month')
  }
  if (days === 1) {
    parts.push('1 day')
  }
  if (days > 1) {
    if (weeks > 0) {
      const remainingDays = days - weeks * 7
      parts.push(weeks === 1 ? '1 week' : `${weeks} weeks`)
      if (remainingDays === 1) {
        parts.push('1 day')
      }
      if (remainingDays > 1) {
        parts.push(`${remainingDays} days`)
      }
    } else {
      parts.push(`${days} days`)
    }
  }
  if (parts.length > 1) {
    return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`
  }
  if (parts.length === 1) {
    return parts[0] ?? ''
  }
  return fromDay === toDay ? 'Birth date' : ''
}
