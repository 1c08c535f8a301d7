import crypto from 'node:crypto'
import { sha256 } from '../../platform/crypto.js'

/** Pure rules and wording for the family record: ages, NHS numbers, postcodes, link codes, labels. */

export const RelationshipLabels: Record<string, string> = {
  child: 'Child',
  mother: 'Mother',
  father: 'Father',
  parent: 'Parent',
  carer: 'Carer',
  grandparent: 'Grandparent',
  sibling: 'Sibling',
  other: 'Other',
}

export const CareRelationshipKindLabels: Record<string, string> = {
  allocated_worker: 'Allocated worker',
  lead_practitioner: 'Lead practitioner',
  taf_member: 'Team around the family',
  service_episode: 'Service episode',
  triage: 'Front door triage',
  referral_recipient: 'Referral received',
  break_glass: 'Emergency access',
  caseload: 'Caseload',
}

export function relationshipLabel(code: string): string {
  return RelationshipLabels[code] ?? code
}

export function careRelationshipKindLabel(code: string): string {
  return CareRelationshipKindLabels[code] ?? code
}

export { formatDate, todayInEngland } from '../../platform/dates.js'

function parts(isoDate: string): [number, number, number] {
  const [year, month, day] = isoDate.split('-').map(Number)
  return [year ?? 0, month ?? 0, day ?? 0]
}

/** Whole months from a date of birth to a day (both YYYY-MM-DD); negative before birth. */
export function ageInMonths(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = parts(dateOfBirth)
  const [ty, tm, td] = parts(today)
  return (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0)
}

/** An age as people say it: "5 months", "1 year", "2 years 3 months", "under 1 month". */
export function describeAge(dateOfBirth: string | null, today: string): string {
  if (!dateOfBirth) {
    return 'age not recorded'
  }
  if (dateOfBirth > today) {
    return 'not born yet'
  }
  const months = ageInMonths(dateOfBirth, today)
  if (months < 1) {
    return 'under 1 month'
  }
  const years = Math.floor(months / 12)
  const rest = months % 12
  const yearText = years === 0 ? '' : `${String(years)} ${years === 1 ? 'year' : 'years'}`
  const monthText = rest === 0 ? '' : `${String(rest)} ${rest === 1 ? 'month' : 'months'}`
  return [yearText, monthText].filter(Boolean).join(' ')
}

/** An NHS number as it is written: 3 digits, 3 digits, 4 digits ("943 476 5919"). */
export function formatNhsNumber(nhsNumber: string | null): string | undefined {
  if (!nhsNumber || !/^\d{10}$/.test(nhsNumber)) {
    return undefined
  }
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`
}

/** The outward part of a postcode ("SW1A 1AA" → "SW1A"): enough to place a family, not to find it. */
export function postcodeDistrict(postcode: string | null): string | undefined {
  const compact = postcode?.trim().toUpperCase().replace(/\s+/g, '')
  if (!compact || compact.length < 5) {
    return undefined
  }
  return compact.slice(0, -3)
}

/** Letters and digits that cannot be mistaken for one another when read out or copied: no 0/O, 1/I/L, 5/S, 2/Z, 8/B. */
export const linkCodeAlphabet = 'ACDEFGHJKMNPQRTUVWXY34679'
export const linkCodeLength = 8
export const linkCodeDays = 14

/** A new link code: 8 characters drawn uniformly from the unambiguous alphabet. */
export function newLinkCode(): string {
  let code = ''
  for (let index = 0; index < linkCodeLength; index++) {
    code += linkCodeAlphabet.charAt(crypto.randomInt(linkCodeAlphabet.length))
  }
  return code
}

/** What a person typed, as the code is stored: spaces and hyphens removed, upper case. */
export function normaliseLinkCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase()
}

/** How a code is stored: the SHA-256 hash of its normalised form. The code itself is shown once and never kept. */
export function hashLinkCode(code: string): string {
  return sha256(`family-link-code:${normaliseLinkCode(code)}`)
}

/** A code as it is shown to people: two groups of four ("ACDE-FG34"). */
export function displayLinkCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

export function linkCodeExpiry(now = new Date()): Date {
  return new Date(now.getTime() + linkCodeDays * 24 * 60 * 60 * 1000)
}

/** What a family is told a member of staff did with their record. */
export function accessActionLabel(action: string): string {
  switch (action) {
    case 'family-record.read':
      return 'Looked at your family’s record'
    case 'family-record.update':
      return 'Changed your family’s record'
    case 'family-link-code.create':
      return 'Gave a parent or carer a code to link their account'
    case 'growth-measurement.create':
      return 'Added a measurement to your child’s red book'
    case 'growth-measurement.correct':
      return 'Corrected a measurement in your child’s red book'
    default:
      return 'Used your family’s record'
  }
}
