import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Environment } from 'nunjucks'

const require = createRequire(import.meta.url)

export const srcDir = fileURLToPath(new URL('../', import.meta.url))
export const publicDir = fileURLToPath(new URL('./public/', import.meta.url))
/** govuk-frontend's dist folder, found through its package.json so that hoisting does not matter. */
export const govukDist = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist')

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'Europe/London',
})

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) {
    return value
  }
  if (typeof value === 'string' && value !== '') {
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value)
    return Number.isNaN(date.getTime()) ? undefined : date
  }
  return undefined
}

/** Filters shared by every template. */
export function configureNunjucks(env: Environment): void {
  env.addFilter('govukDate', (value: unknown) => {
    const date = toDate(value)
    return date ? dateFormat.format(date) : ''
  })
  env.addFilter('govukDateTime', (value: unknown) => {
    const date = toDate(value)
    return date ? dateTimeFormat.format(date) : ''
  })
  env.addFilter('isoDate', (value: unknown) => toDate(value)?.toISOString() ?? '')
  env.addFilter('json', (value: unknown) => JSON.stringify(value))
}
