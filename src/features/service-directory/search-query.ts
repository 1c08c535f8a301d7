import { dayCodes, type DirectoryFilters } from './directory-search.js'
import { metresPerMile, parseLocationInput, type LocationQuery } from './postcodes.js'
import { languageOptions } from './service-draft.js'
import { Taxonomies, type TaxonomyIndex } from './taxonomy.js'

/** Stages a parent picks from: pregnancy in weeks, then the child's age in months. */
export const ageOptions = [
  { value: 'pregnant-0-12', text: 'Pregnant, up to 12 weeks', weeks: [0, 12] },
  { value: 'pregnant-13-27', text: 'Pregnant, 13 to 27 weeks', weeks: [13, 27] },
  { value: 'pregnant-28-42', text: 'Pregnant, 28 weeks or more', weeks: [28, 42] },
  { value: 'baby-0-1', text: 'Baby under 2 months', months: [0, 1] },
  { value: 'baby-2-5', text: 'Baby 2 to 5 months', months: [2, 5] },
  { value: 'baby-6-11', text: 'Baby 6 to 11 months', months: [6, 11] },
  { value: 'child-12-23', text: '1 year old', months: [12, 23] },
  { value: 'child-24-35', text: '2 years old', months: [24, 35] },
  { value: 'child-36-47', text: '3 years old', months: [36, 47] },
  { value: 'child-48-59', text: '4 years old', months: [48, 59] },
  { value: 'child-60-71', text: '5 years old', months: [60, 71] },
] as const

export const radiusOptions = [1, 2, 5, 10, 20] as const
export const defaultRadiusMiles = 5

export const dayOptions = [
  { value: 'MO', text: 'Monday' },
  { value: 'TU', text: 'Tuesday' },
  { value: 'WE', text: 'Wednesday' },
  { value: 'TH', text: 'Thursday' },
  { value: 'FR', text: 'Friday' },
  { value: 'SA', text: 'Saturday' },
  { value: 'SU', text: 'Sunday' },
] as const

export const searchPageSize = 20

export interface SearchForm {
  location: string
  radius: string
  age: string
  category: string[]
  free: boolean
  delivery: string[]
  when: string[]
  day: string
  language: string
  access: string[]
  page: number
}

export interface ParsedSearch {
  form: SearchForm
  /** Undefined when no location was given (the page shows the form only). */
  location: LocationQuery | undefined
  radiusMiles: number
  errors: Record<string, string>
  /** The filters other than location, for directory-search. */
  filters: DirectoryFilters
}

function list(value: unknown): string[] {
  if (value === undefined) {
    return []
  }
  const items = Array.isArray(value) ? value : [value]
  return items.filter((item): item is string => typeof item === 'string' && item !== '').slice(0, 30)
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value.slice(0, 200)
    : Array.isArray(value) && typeof value[0] === 'string'
      ? value[0].slice(0, 200)
      : ''
}

/**
 * Reads the search page's query string. Unknown category, delivery, day or language values are dropped (they can
 * only come from an edited URL); a bad location or distance gives a message for the error summary.
 */
export function parseSearchQuery(query: Record<string, unknown>, index: TaxonomyIndex): ParsedSearch {
  const form: SearchForm = {
    location: text(query.location).trim(),
    radius: text(query.radius) || String(defaultRadiusMiles),
    age: text(query.age),
    category: list(query.category),
    free: text(query.free) === 'yes',
    delivery: list(query.delivery),
    when: list(query.when).filter(value => value === 'evenings' || value === 'weekends'),
    day: text(query.day),
    language: text(query.language),
    access: list(query.access),
    page: /^\d{1,4}$/.test(text(query.page)) ? Math.max(1, Number(text(query.page))) : 1,
  }
  const errors: Record<string, string> = {}
  let location: LocationQuery | undefined
  const searched = query.location !== undefined
  if (searched) {
    const parsed = parseLocationInput(form.location)
    if (parsed.ok) {
      location = parsed.query
    } else {
      errors.location = parsed.message
    }
  }
  const radiusMiles = Number(form.radius)
  if (!radiusOptions.includes(radiusMiles as (typeof radiusOptions)[number])) {
    errors.radius = `Choose a distance from the list: ${radiusOptions.join(', ')} miles`
  }
  const categories = form.category
    .map(code => index.term(Taxonomies.startForLife, code)?.id)
    .filter((id): id is string => id !== undefined)
  const delivery = form.delivery
    .map(code => index.term(Taxonomies.delivery, code)?.id)
    .filter((id): id is string => id !== undefined)
  const access = form.access.filter(code => index.term(Taxonomies.accessibility, code) !== undefined)
  const age = ageOptions.find(option => option.value === form.age)
  const dayIndex = dayCodes.indexOf(form.day as (typeof dayCodes)[number])
  const language = languageOptions.find(option => option.code === form.language)
  const filters: DirectoryFilters = {
    termGroups: [categories, delivery].filter(group => group.length > 0),
    freeOnly: form.free,
    accessibility: access.length ? access : undefined,
    languages: language ? [language.code] : undefined,
    pregnancyWeeks: age && 'weeks' in age ? { min: age.weeks[0], max: age.weeks[1] } : undefined,
    childMonths: age && 'months' in age ? { min: age.months[0], max: age.months[1] } : undefined,
    schedule:
      dayIndex >= 0 || form.when.length
        ? {
            dayMask: dayIndex >= 0 ? 1 << dayIndex : undefined,
            evenings: form.when.includes('evenings'),
            weekends: form.when.includes('weekends'),
          }
        : undefined,
    includeServicesWithoutVenue: true,
    radiusMetres:
      (radiusOptions.includes(radiusMiles as (typeof radiusOptions)[number]) ? radiusMiles : defaultRadiusMiles) *
      metresPerMile,
  }
  return { form, location, radiusMiles, errors, filters }
}

/** The query string of a search, for links (pages, service pages, removing a filter). */
export function searchQueryString(form: SearchForm, overrides: Partial<SearchForm> = {}): string {
  const merged = { ...form, ...overrides }
  const params = new URLSearchParams()
  params.set('location', merged.location)
  params.set('radius', merged.radius)
  if (merged.age) {
    params.set('age', merged.age)
  }
  for (const code of merged.category) {
    params.append('category', code)
  }
  if (merged.free) {
    params.set('free', 'yes')
  }
  for (const code of merged.delivery) {
    params.append('delivery', code)
  }
  for (const code of merged.when) {
    params.append('when', code)
  }
  if (merged.day) {
    params.set('day', merged.day)
  }
  if (merged.language) {
    params.set('language', merged.language)
  }
  for (const code of merged.access) {
    params.append('access', code)
  }
  if (merged.page > 1) {
    params.set('page', String(merged.page))
  }
  return params.toString()
}
