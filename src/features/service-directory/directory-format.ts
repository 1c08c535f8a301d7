/** Plain-language wording for the directory's pages: ages, times, days, costs, distances. */
import { dayCodes } from './directory-search.js'
import type { ScheduleRecord, ServiceRecord } from './service-records.js'

const dayNamesSingular = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const
const ordinals: Record<string, string> = {
  '1': 'first',
  '2': 'second',
  '3': 'third',
  '4': 'fourth',
  '5': 'fifth',
  '-1': 'last',
}
const monthNames = [
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
]

export function listJoin(items: string[], conjunction = 'and'): string {
  if (items.length <= 1) {
    return items[0] ?? ''
  }
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1) ?? ''}`
}

/** '10:00' → '10am', '13:30' → '1:30pm', '12:00' → 'midday'. */
export function formatTime(time: string | null | undefined): string {
  if (!time) {
    return ''
  }
  const [h = 0, m = 0] = time.split(':').map(Number)
  if (h === 12 && m === 0) {
    return 'midday'
  }
  const suffix = h >= 12 ? 'pm' : 'am'
  const hour = h % 12 === 0 ? 12 : h % 12
  return m === 0 ? `${String(hour)}${suffix}` : `${String(hour)}:${String(m).padStart(2, '0')}${suffix}`
}

export function formatTimes(opensAt: string | null, closesAt: string | null): string {
  if (opensAt && closesAt) {
    return `${formatTime(opensAt)} to ${formatTime(closesAt)}`
  }
  if (opensAt) {
    return `from ${formatTime(opensAt)}`
  }
  return closesAt ? `until ${formatTime(closesAt)}` : ''
}

/** '2026-03-14' → '14 March 2026'; with the weekday: 'Saturday 14 March 2026'. */
export function formatDate(date: string | null | undefined, withWeekday = false): string {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return date ?? ''
  }
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const text = `${String(d)} ${monthNames[m - 1] ?? ''} ${String(y)}`
  if (!withWeekday) {
    return text
  }
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return `${dayNamesSingular[(weekday + 6) % 7] ?? ''} ${text}`
}

/** During a closure: 'Closed until 2 January 2027 (Christmas and New Year)'. */
export function formatClosedUntil(closure: Pick<ScheduleRecord, 'validTo' | 'description'>): string {
  return `Closed until ${formatDate(closure.validTo)}${closure.description ? ` (${closure.description})` : ''}`
}

export function formatDateRange(from: string | null, to: string | null): string {
  if (from && to && from === to) {
    return `on ${formatDate(from)}`
  }
  if (from && to) {
    return `from ${formatDate(from)} to ${formatDate(to)}`
  }
  if (from) {
    return `from ${formatDate(from)}`
  }
  return to ? `until ${formatDate(to)}` : ''
}

/** Days of a weekly or monthly rule: 'Mondays and Wednesdays', 'the first Tuesday of each month'. */
export function formatDays(schedule: Pick<ScheduleRecord, 'freq' | 'byday' | 'interval' | 'bymonthday'>): string {
  const parts = (schedule.byday ?? '')
    .split(',')
    .map(part => part.trim().toUpperCase())
    .filter(Boolean)
  if (schedule.freq === 'MONTHLY') {
    if (parts.length) {
      const names = parts.map(part => {
        const match = /^([+-]?\d+)?([A-Z]{2})$/.exec(part)
        const day = dayNamesSingular[dayCodes.indexOf((match?.[2] ?? '') as (typeof dayCodes)[number])] ?? part
        const ordinal = match?.[1] ? ordinals[match[1].replace('+', '')] : undefined
        return ordinal ? `${ordinal} ${day}` : day
      })
      return `the ${listJoin(names)} of each month`
    }
    if (schedule.bymonthday) {
      return `day ${schedule.bymonthday} of each month`
    }
    return 'once a month'
  }
  const names = parts
    .map(part => dayNamesSingular[dayCodes.indexOf(part.replace(/^[+-]?\d+/, '') as (typeof dayCodes)[number])])
    .filter((name): name is (typeof dayNamesSingular)[number] => name !== undefined)
    .map(name => `${name}s`)
  const days =
    names.length === 5 && parts.every(part => !['SA', 'SU'].includes(part)) ? 'Monday to Friday' : listJoin(names)
  if (schedule.interval && schedule.interval > 1) {
    return `every ${String(schedule.interval)} weeks on ${days.replace(/s\b/g, '')}`
  }
  return days || 'Weekly'
}

/** What a session's wording can take into account: today's date and the school terms where it runs. */
export interface SessionContext {
  /** 'YYYY-MM-DD' */
  today: string
  terms: readonly { startsOn: string; endsOn: string }[]
}

function addDays(date: string, days: number): string {
  const value = new Date(`${date}T12:00:00Z`)
  value.setUTCDate(value.getUTCDate() + days)
  return value.toISOString().slice(0, 10)
}

/** Bit of a 'YYYY-MM-DD' date in a day mask: bit 0 Monday … bit 6 Sunday. */
function dayBit(date: string): number {
  return 1 << ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7)
}

/** '2026-12-21' → '21 December' (the year is plain from the context: these are the next few weeks). */
function dayAndMonth(date: string): string {
  const [, m = 1, d = 1] = date.split('-').map(Number)
  return `${String(d)} ${monthNames[m - 1] ?? ''}`
}

/**
 * How a "term time only" session reads, given the school terms: in term, the next holiday it does not run in
 * ('term time only (not 21 December to 4 January)'); in a holiday, when it runs again ('term time only (next runs
 * 5 January)'). The holiday is given as the first and last days the session would have run. Only the session's
 * own dates count: before it starts, the wording is as of its first day; a holiday or next run after its last day
 * (or once it has ended) is not mentioned. Without term dates, just 'term time only'.
 */
export function termTimeNote(
  dayMask: number,
  terms: SessionContext['terms'],
  today: string,
  session: { validFrom?: string | null; validTo?: string | null } = {},
): string {
  const sorted = [...terms].sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : 0))
  const days = dayMask & 127 || 31
  const last = session.validTo ?? '9999-12-31'
  const from = session.validFrom && session.validFrom > today ? session.validFrom : today
  if (last < from) {
    return 'term time only'
  }
  const current = sorted.find(term => term.startsOn <= from && from <= term.endsOn)
  if (current) {
    let end = current.endsOn
    for (const term of sorted) {
      if (term.endsOn <= end) {
        continue
      }
      if (term.startsOn > addDays(end, 1)) {
        let first = addDays(end, 1)
        let to = addDays(term.startsOn, -1) < last ? addDays(term.startsOn, -1) : last
        while (first <= to && !(dayBit(first) & days)) {
          first = addDays(first, 1)
        }
        while (to >= first && !(dayBit(to) & days)) {
          to = addDays(to, -1)
        }
        if (first <= to) {
          return first === to
            ? `term time only (not ${dayAndMonth(first)})`
            : `term time only (not ${dayAndMonth(first)} to ${dayAndMonth(to)})`
        }
      }
      end = term.endsOn
    }
    return 'term time only'
  }
  for (const term of sorted) {
    if (term.endsOn < from) {
      continue
    }
    for (
      let day = term.startsOn > from ? term.startsOn : from;
      day <= term.endsOn && day <= last;
      day = addDays(day, 1)
    ) {
      if (dayBit(day) & days) {
        return `term time only (next runs ${dayAndMonth(day)})`
      }
    }
  }
  return 'term time only'
}

/** One line a parent can read: 'Mondays, 10am to 11:30am, term time only'; 'Baby group: Tuesdays, 1pm to 2pm'. */
export function formatSession(schedule: ScheduleRecord, context?: SessionContext): string {
  const name = schedule.description ? `${schedule.description}: ` : ''
  if (schedule.kind === 'closure') {
    return `Closed ${formatDateRange(schedule.validFrom, schedule.validTo)}${schedule.description ? ` (${schedule.description})` : ''}`
  }
  if (schedule.kind === 'event') {
    const times = formatTimes(schedule.opensAt, schedule.closesAt)
    return name + [formatDate(schedule.dtstart, true), times].filter(Boolean).join(', ')
  }
  const days = formatDays(schedule)
  const capitalised = days.charAt(0).toUpperCase() + days.slice(1)
  const parts = [name + capitalised, formatTimes(schedule.opensAt, schedule.closesAt)]
  if (schedule.termTimeOnly) {
    parts.push(context ? termTimeNote(schedule.dayMask, context.terms, context.today, schedule) : 'term time only')
  }
  if (schedule.validFrom || schedule.validTo) {
    parts.push(formatDateRange(schedule.validFrom, schedule.validTo))
  }
  return parts.filter(Boolean).join(', ')
}

/** '6 months', '1 year', '18 months', '2 years'. */
export function formatAge(months: number): string {
  if (months === 0) {
    return 'birth'
  }
  if (months < 24 && months % 12 !== 0) {
    return `${String(months)} ${months === 1 ? 'month' : 'months'}`
  }
  const years = Math.floor(months / 12)
  const rest = months % 12
  return rest === 0
    ? `${String(years)} ${years === 1 ? 'year' : 'years'}`
    : `${String(years)} years ${String(rest)} months`
}

/** Who the service is for, in words: 'During pregnancy, from 20 weeks' / 'Children from birth to 1 year'. */
export function formatEligibility(
  service: Pick<
    ServiceRecord,
    'forPregnancy' | 'pregnancyFromWeek' | 'pregnancyToWeek' | 'forChildren' | 'childMinMonths' | 'childMaxMonths'
  >,
): string {
  const parts: string[] = []
  if (service.forPregnancy) {
    const from = service.pregnancyFromWeek
    const to = service.pregnancyToWeek
    parts.push(
      from !== null && to !== null
        ? `During pregnancy, from ${String(from)} to ${String(to)} weeks`
        : from !== null
          ? `During pregnancy, from ${String(from)} weeks`
          : to !== null
            ? `During pregnancy, up to ${String(to)} weeks`
            : 'During pregnancy',
    )
  }
  if (service.forChildren) {
    const min = service.childMinMonths
    const max = service.childMaxMonths
    if (min === null && max === null) {
      parts.push('Families with children of any age')
    } else if (max === null) {
      parts.push(`Children aged ${formatAge(min ?? 0)} and over`)
    } else if (max % 12 === 11) {
      // 59 months is "under 5": the way parents and services say it.
      const under = (max + 1) / 12
      parts.push(
        min === null || min === 0
          ? under === 1
            ? 'Babies under 1'
            : `Children under ${String(under)}`
          : `Children aged ${formatAge(min)} to under ${String(under)}`,
      )
    } else if (min === null || min === 0) {
      parts.push(`Children from birth to ${formatAge(max)}`)
    } else {
      parts.push(`Children aged ${formatAge(min)} to ${formatAge(max)}`)
    }
  }
  return parts.join('. ')
}

const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' })

export function formatAmount(amount: number): string {
  return Number.isInteger(amount) ? `£${String(amount)}` : money.format(amount)
}

/** 'Free', '£3 per session', 'From £2.50'. */
export function formatCost(service: Pick<ServiceRecord, 'isFree' | 'costOptions' | 'feesDescription'>): string {
  const paid = service.costOptions.filter(cost => cost.amount !== null && cost.amount > 0)
  if (service.isFree && !paid.length) {
    return 'Free'
  }
  if (paid.length === 1 && paid[0]) {
    const cost = paid[0]
    return [formatAmount(cost.amount ?? 0), cost.amountDescription].filter(Boolean).join(' ')
  }
  if (paid.length > 1) {
    const lowest = Math.min(...paid.map(cost => cost.amount ?? 0))
    return `From ${formatAmount(lowest)}`
  }
  return service.feesDescription ?? 'There is a charge'
}

/** '0.4 miles', 'less than 0.1 miles', '12 miles'. */
export function formatDistance(metres: number | null | undefined): string {
  if (metres === null || metres === undefined) {
    return ''
  }
  const miles = metres / 1609.344
  if (miles < 0.1) {
    return 'less than 0.1 miles'
  }
  return miles < 10 ? `${miles.toFixed(1)} miles` : `${String(Math.round(miles))} miles`
}

export interface Stage {
  code: 'pregnancy' | 'new-baby' | 'first-year' | 'toddler' | 'pre-school' | 'any-stage'
  title: string
  summary: string
}

/** The groups of the Start for Life offer, in the order parents meet them. */
export const stages: Stage[] = [
  {
    code: 'pregnancy',
    title: 'During pregnancy',
    summary: 'Help to stay well, get ready for birth and plan for your baby.',
  },
  {
    code: 'new-baby',
    title: 'After your baby is born',
    summary: 'The first weeks: feeding, sleep, your recovery and your feelings.',
  },
  {
    code: 'first-year',
    title: 'Your baby’s first year',
    summary: 'Groups, play, feeding and health checks as your baby grows.',
  },
  {
    code: 'toddler',
    title: 'Toddlers (1 to 3 years)',
    summary: 'Play, talking, behaviour and getting ready for nursery.',
  },
  {
    code: 'pre-school',
    title: 'Pre-school children (3 to 5 years)',
    summary: 'Learning, childcare and getting ready for school.',
  },
  {
    code: 'any-stage',
    title: 'Help for the whole family, at any stage',
    summary: 'Money, housing, relationships and support for parents.',
  },
]

const childStages: { code: Stage['code']; min: number; max: number }[] = [
  { code: 'new-baby', min: 0, max: 1 },
  { code: 'first-year', min: 2, max: 11 },
  { code: 'toddler', min: 12, max: 35 },
  { code: 'pre-school', min: 36, max: 60 },
]

/** The offer groups a service belongs in. A service for every stage goes under "any stage" only. */
export function stagesOf(
  service: Pick<ServiceRecord, 'forPregnancy' | 'forChildren' | 'childMinMonths' | 'childMaxMonths'>,
): Stage['code'][] {
  const codes: Stage['code'][] = []
  if (service.forPregnancy) {
    codes.push('pregnancy')
  }
  if (service.forChildren) {
    const min = service.childMinMonths ?? 0
    const max = service.childMaxMonths ?? 1000
    for (const stage of childStages) {
      if (min <= stage.max && max >= stage.min) {
        codes.push(stage.code)
      }
    }
  }
  return codes.length >= 5 ? ['any-stage'] : codes
}
