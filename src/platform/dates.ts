/** Dates as GOV.UK writes them, and "today" as England counts it. Shared by every feature's pages. */

const longDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

/** "3 March 2025", from a YYYY-MM-DD date or from a timestamp (the day it was in England). */
export function formatDate(value: string | Date): string {
  // Noon UTC is the same calendar day in England whatever the season.
  const date = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value
  return Number.isNaN(date.getTime()) ? '' : longDate.format(date)
}

const isoDateInEngland = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** Today's date in England, as YYYY-MM-DD. (The formatter is made once: making one costs tens of microseconds.) */
export function todayInEngland(now = new Date()): string {
  return isoDateInEngland.format(now)
}
