/**
 * Reads an Open Referral UK 3.0 feed from a web address, for `beststart directory import URL`:
 *   - a `/services` list (ORUK's paged envelope): every page is read, and each listed service is then read in full from
 *     `/services/{id}` (list items carry only a service's own fields, not its venues, times and contacts);
 *   - any other address answering a page envelope, a JSON array of services, or one service: taken as it is.
 * What comes back goes through importOrukFeed's checks like a file would.
 */

export class FeedFetchError extends Error {
  override name = 'FeedFetchError'
}

export interface FetchFeedOptions {
  /** Per request. */
  timeoutMs?: number
  /** Stop rather than read more pages than this (a feed that never ends). */
  maxPages?: number
  /** Service details read at the same time. */
  concurrency?: number
  onProgress?: (message: string) => void
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

async function getJson(url: URL, timeoutMs: number): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    })
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached'
    throw new FeedFetchError(`${url.toString()} ${reason}`)
  }
  if (!response.ok) {
    throw new FeedFetchError(`${url.toString()} answered ${String(response.status)} ${response.statusText}`.trim())
  }
  const text = await response.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new FeedFetchError(`${url.toString()} did not answer with JSON`)
  }
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** The services of the feed at `address`, as importOrukFeed takes them. */
export async function fetchOrukFeed(address: string, options: FetchFeedOptions = {}): Promise<unknown[]> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxPages = options.maxPages ?? 10_000
  let url: URL
  try {
    url = new URL(address)
  } catch {
    throw new FeedFetchError(`${address} is not a web address`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FeedFetchError(`${address} is not an http or https address`)
  }
  const first = await getJson(url, timeoutMs)
  if (Array.isArray(first)) {
    return first as unknown[]
  }
  const contentsOf = (body: unknown): unknown[] | undefined =>
    isObject(body) && Array.isArray(body.contents) ? (body.contents as unknown[]) : undefined
  const items = contentsOf(first)
  if (!items || !isObject(first)) {
    return [first]
  }
  const totalPages = typeof first.total_pages === 'number' ? first.total_pages : 1
  if (totalPages > maxPages) {
    throw new FeedFetchError(`${address} has ${String(totalPages)} pages, more than the ${String(maxPages)} allowed`)
  }
  const firstPage = typeof first.page_number === 'number' ? first.page_number : 1
  for (let page = firstPage + 1; page <= totalPages; page++) {
    const pageUrl = new URL(url)
    pageUrl.searchParams.set('page', String(page))
    const contents = contentsOf(await getJson(pageUrl, timeoutMs))
    if (!contents) {
      throw new FeedFetchError(`${pageUrl.toString()} is not a page of the feed (no contents)`)
    }
    items.push(...contents)
    options.onProgress?.(`Read page ${String(page)} of ${String(totalPages)}`)
  }
  const path = url.pathname.replace(/\/+$/, '')
  if (!path.endsWith('/services')) {
    return items
  }
  // A services list: read each service in full.
  const ids = items.map((item, i) => {
    const id = isObject(item) ? item.id : undefined
    if (typeof id !== 'string' || id === '') {
      throw new FeedFetchError(`Item ${String(i + 1)} of ${address} has no id`)
    }
    return id
  })
  let done = 0
  return mapLimited(ids, options.concurrency ?? 8, async id => {
    const serviceUrl = new URL(url)
    serviceUrl.pathname = `${path}/${encodeURIComponent(id)}`
    serviceUrl.search = ''
    const service = await getJson(serviceUrl, timeoutMs)
    done++
    if (done % 100 === 0) {
      options.onProgress?.(`Read ${String(done)} of ${String(ids.length)} services`)
    }
    return service
  })
}
