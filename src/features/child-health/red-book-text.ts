import { Professions } from '../../platform/auth/permissions.js'

/** Wording shared by the red book's pages: dates, labels for relationships and roles. */

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const longDateInEngland = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})
const longDateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
})

/** "3 March 2025" from YYYY-MM-DD, or from a timestamp (the day in England). */
export function formatDate(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : value
  if (Number.isNaN(date.getTime())) {
    return ''
  }
  return typeof value === 'string' ? longDate.format(date) : longDateInEngland.format(date)
}

/** "3 March 2025 at 2:05pm" for a timestamp, in England's time zone. */
export function formatDateTime(value: Date): string {
  const parts = Object.fromEntries(longDateTime.formatToParts(value).map(part => [part.type, part.value]))
  return `${parts.day ?? ''} ${parts.month ?? ''} ${parts.year ?? ''} at ${parts.hour ?? ''}:${parts.minute ?? ''}${(parts.dayPeriod ?? '').toLowerCase()}`
}

/** Today's date in England, as YYYY-MM-DD. */
export function todayInEngland(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

const relationships: Record<string, string> = {
  mother: 'Mother',
  father: 'Father',
  parent: 'Parent',
  carer: 'Carer',
  grandparent: 'Grandparent',
  sibling: 'Sibling',
  other: 'Other',
  child: 'Child',
}

export function relationshipLabel(code: string): string {
  return relationships[code] ?? code
}

const roles: Record<string, string> = {
  ...Professions,
  practitioner: 'Practitioner',
  front_door_officer: 'Front door officer',
  team_manager: 'Team manager',
  parent: 'Parent or carer',
}

/** The profession or role a measurement was taken in ("Health visitor"). */
export function roleLabel(code: string | null): string {
  return code === null ? 'Role not recorded' : (roles[code] ?? 'Practitioner')
}
