import { describe, expect, it } from 'vitest'
import { cachedPageOf, createPageCache, fillPage, placeholders } from './page-cache.js'

describe('a cached page with holes', () => {
  const rendered = `<script nonce="${placeholders.cspNonce}"></script><style nonce="${placeholders.styleNonce}"></style><form><input name="_csrf" value="${placeholders.csrfToken}"></form><form><input name="_csrf" value="${placeholders.csrfToken}"></form>`

  it('fills every hole with this response’s values, and keeps the rest as rendered', () => {
    const page = cachedPageOf(rendered)
    expect(page.holes).toEqual(['cspNonce', 'styleNonce', 'csrfToken', 'csrfToken'])
    const html = fillPage(page, { csrfToken: 'T1', cspNonce: 'N1', styleNonce: 'S1' })
    expect(html).toBe(
      '<script nonce="N1"></script><style nonce="S1"></style><form><input name="_csrf" value="T1"></form><form><input name="_csrf" value="T1"></form>',
    )
    expect(fillPage(page, { csrfToken: 'T2', cspNonce: 'N2', styleNonce: 'S2' })).not.toContain('T1')
  })

  it('leaves a page without holes as it is', () => {
    const page = cachedPageOf('<p>No forms here</p>')
    expect(fillPage(page, { csrfToken: 'T', cspNonce: 'N', styleNonce: 'S' })).toBe('<p>No forms here</p>')
  })

  it('uses placeholders that content cannot guess (random per process)', () => {
    expect(placeholders.csrfToken).toMatch(/^bs-hole-[0-9a-f]{24}-csrf$/)
  })
})

describe('the page cache', () => {
  it('forgets the least recently used page beyond its count', () => {
    const cache = createPageCache({ maxEntries: 2, maxBytes: 1_000_000 })
    cache.set('a', cachedPageOf('A'))
    cache.set('b', cachedPageOf('B'))
    cache.get('a')
    cache.set('c', cachedPageOf('C'))
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBeDefined()
    expect(cache.get('c')).toBeDefined()
  })

  it('stays within its memory bound', () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 100 })
    cache.set('a', cachedPageOf('x'.repeat(30)))
    cache.set('b', cachedPageOf('y'.repeat(30)))
    expect(cache.size).toBe(1)
    expect(cache.get('b')).toBeDefined()
    cache.set('huge', cachedPageOf('z'.repeat(1000)))
    expect(cache.get('huge')).toBeUndefined()
  })
})
