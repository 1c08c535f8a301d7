/** Previous and next links for a list shown a page at a time, keeping the filters in the query string. */
export interface Paging {
  page: number
  total: number
  /** 1-based positions of the first and last rows shown (0 and 0 when there are none). */
  from: number
  to: number
  previous: { href: string } | undefined
  next: { href: string } | undefined
}

export function paging(
  path: string,
  filters: Record<string, string | undefined>,
  page: number,
  total: number,
  size: number,
): Paging {
  const href = (target: number): string => {
    const query = new URLSearchParams()
    for (const [name, value] of Object.entries(filters)) {
      if (value !== undefined && value !== '') {
        query.set(name, value)
      }
    }
    if (target > 1) {
      query.set('page', String(target))
    }
    const search = query.toString()
    return search ? `${path}?${search}` : path
  }
  const offset = (page - 1) * size
  return {
    page,
    total,
    from: total === 0 || offset >= total ? 0 : offset + 1,
    to: Math.min(offset + size, total),
    previous: page > 1 ? { href: href(Math.min(page - 1, Math.max(1, Math.ceil(total / size)))) } : undefined,
    next: offset + size < total ? { href: href(page + 1) } : undefined,
  }
}
