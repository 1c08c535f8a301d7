import crypto from 'node:crypto'
import { LRUCache } from 'lru-cache'

/**
 * A cache of rendered pages for anonymous visitors, with holes where each response needs its own values: the CSRF
 * token and the CSP nonces. A page is rendered once with a placeholder in each hole; a hit fills the holes with this
 * response's values (joining a few strings), so it costs microseconds instead of a search and a render.
 *
 * The placeholders are random per process, so a page's content (a service description, say) cannot contain one.
 * Only anonymous requests may use it (a signed-in page shows the user), and the caller's key must hold everything
 * the page depends on: the URL, the visitor's shortlist, and the data's version (directory generation).
 */
export type Hole = 'csrfToken' | 'cspNonce' | 'styleNonce'

const holeNames: Hole[] = ['csrfToken', 'cspNonce', 'styleNonce']
const secret = crypto.randomBytes(12).toString('hex')

/** The placeholder rendered in place of each hole. */
export const placeholders: Record<Hole, string> = {
  csrfToken: `bs-hole-${secret}-csrf`,
  cspNonce: `bs-hole-${secret}-script`,
  styleNonce: `bs-hole-${secret}-style`,
}

const placeholderPattern = new RegExp(holeNames.map(name => placeholders[name]).join('|'), 'g')
const holeOfPlaceholder = new Map(holeNames.map(name => [placeholders[name], name]))

export interface CachedPage {
  /** The page's text between the holes: one more part than holes. */
  parts: string[]
  holes: Hole[]
  bytes: number
}

/** Splits a page rendered with the placeholders at its holes. */
export function cachedPageOf(html: string): CachedPage {
  const parts: string[] = []
  const holes: Hole[] = []
  let last = 0
  for (const match of html.matchAll(placeholderPattern)) {
    parts.push(html.slice(last, match.index))
    holes.push(holeOfPlaceholder.get(match[0]) as Hole)
    last = match.index + match[0].length
  }
  parts.push(html.slice(last))
  return { parts, holes, bytes: html.length * 2 }
}

/** The page with this response's values in its holes. */
export function fillPage(page: CachedPage, values: Record<Hole, string>): string {
  let html = page.parts[0] ?? ''
  for (let i = 0; i < page.holes.length; i++) {
    html += values[page.holes[i] as Hole] + (page.parts[i + 1] ?? '')
  }
  return html
}

export type PageCache = LRUCache<string, CachedPage>

/** A least-recently-used cache of pages, bounded by count and by memory (UTF-16: two bytes a character). */
export function createPageCache(options: { maxEntries: number; maxBytes: number }): PageCache {
  return new LRUCache<string, CachedPage>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: page => page.bytes,
  })
}
