import { Professions } from '../../platform/auth/permissions.js'

export { formatDate, todayInEngland } from '../../platform/dates.js'

/** Wording shared by the red book's pages: dates, labels for relationships and roles. */

const longDateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
})

/** "3 March 2025 at 2:05pm" for a timestamp, in England's time zone. */
export function formatDateTime(value: Date): string {
  const parts = Object.fromEntries(longDateTime.formatToParts(value).map(part => [part.type, part.value]))
  return `${parts.day ?? ''} ${parts.month ?? ''} ${parts.year ?? ''} at ${parts.hour ?? ''}:${parts.minute ?? ''}${(parts.dayPeriod ?? '').toLowerCase()}`
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
