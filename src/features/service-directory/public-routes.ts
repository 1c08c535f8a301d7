import fs from 'node:fs'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { todayInEngland } from '../../platform/dates.js'
import { createPageCache } from '../../platform/http/page-cache.js'
import { queueMessage } from '../../platform/notifications/outbox.js'
import { parseForm, formError, formValues } from '../../platform/validation.js'
import {
  addressLines,
  confidentialVenue,
  offerGroups,
  serviceCard,
  servicePage,
  type ServicePage,
} from './directory-views.js'
import {
  exampleHubAddress,
  findNetworkBySlug,
  listNetworkServiceIds,
  listNetworkSites,
  listNetworks,
  listOfferServiceIds,
} from './offer-queries.js'
import { isUuid } from './oruk-params.js'
import { notFoundMessage, parseLocationInput, resolveLocation, type Origin } from './postcodes.js'
import {
  ageOptions,
  dayOptions,
  parseSearchQuery,
  radiusOptions,
  searchPageSize,
  searchQueryString,
  type ParsedSearch,
} from './search-query.js'
import { languageOptions } from './service-draft.js'
import { cachedServices, directoryIndex, searchServicesWithCounts } from './search-index.js'
import type { ServiceRecord } from './service-records.js'
import { decodeShortlist, encodeShortlist, normaliseUkMobile, shortlistCookie, shortlistLimit } from './shortlist.js'
import { loadTaxonomyIndex, Taxonomies, type TaxonomyIndex } from './taxonomy.js'

const views = 'features/service-directory/views'
const pub = { access: { public: true as const } }
const cssPath = new URL('./views/directory.css', import.meta.url)

function pluralise(count: number, one: string, many: string): string {
  return `${String(count)} ${count === 1 ? one : many}`
}

function safeReturnTo(value: unknown): string {
  return typeof value === 'string' &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.includes('\\') &&
    value.length < 2000
    ? value
    : '/shortlist'
}

/** Public pages: search, service pages, the Start for Life offer, and the shortlist. No sign-in. */
export function registerPublicRoutes(app: FastifyInstance, { config, db }: RouteDeps): void {
  const css = fs.readFileSync(cssPath, 'utf8')
  const taxonomies = (): Promise<TaxonomyIndex> => loadTaxonomyIndex(db)
  // Search pages as anonymous visitors see them, for repeated searches (see platform/http/page-cache.ts): at most
  // 2,000 pages or 64 MB; a change to the directory starts afresh (the generation is in the key).
  const searchPages = createPageCache({ maxEntries: 2000, maxBytes: 64 * 1024 * 1024 })

  function shortlistOf(request: FastifyRequest): string[] {
    return decodeShortlist(request.cookies[shortlistCookie], config.sessionSecret) ?? []
  }
  function saveShortlist(reply: FastifyReply, ids: string[]): void {
    void reply.setCookie(shortlistCookie, encodeShortlist(ids, config.sessionSecret), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.production,
      maxAge: 60 * 60 * 24 * 180,
    })
  }

  async function publishedServices(ids: string[]): Promise<ServiceRecord[]> {
    return cachedServices(db, ids)
  }

  app.get('/find-support/directory.css', { config: pub }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  )

  app.get('/find-support', { config: pub }, async (request, reply) => {
    const index = await taxonomies()
    const parsed = parseSearchQuery(request.query as Record<string, unknown>, index)
    const shortlist = shortlistOf(request)
    const hint = await searchHint()
    const context = (extra: Record<string, unknown>) =>
      searchContext(parsed, index, shortlist, request.url, { locationHint: hint, ...extra })
    const errorKeys = Object.keys(parsed.errors)
    if (errorKeys.length) {
      reply.code(400)
      return reply.page(`${views}/search.njk`, context({ errors: errorsOf(parsed.errors) }))
    }
    // Everything the page shows depends on the directory's version, the day (sessions, closures, term dates), the URL
    // and the visitor's shortlist.
    const { generation } = await directoryIndex(db)
    const cacheKey = `${String(generation)} ${todayInEngland()} ${request.url} ${shortlist.join(',')}`
    if (!parsed.location) {
      return reply.cachedPage(searchPages, cacheKey, `${views}/search.njk`, async () => context({}))
    }
    const location = parsed.location
    const origin = await resolveLocation(db, location)
    if (!origin) {
      reply.code(400)
      return reply.page(`${views}/search.njk`, context({ errors: errorsOf({ location: notFoundMessage(location) }) }))
    }
    return reply.cachedPage(searchPages, cacheKey, `${views}/search.njk`, async () => {
      const filters = { ...parsed.filters, origin }
      const page = parsed.form.page
      const categoryTerms = index.termsOf(Taxonomies.startForLife)
      const withoutCategories = {
        ...filters,
        termGroups: (filters.termGroups ?? []).filter(
          group => !group.some(id => categoryTerms.some(term => term.id === id)),
        ),
      }
      const result = await searchServicesWithCounts(
        db,
        filters,
        withoutCategories,
        index,
        categoryTerms.map(term => term.id),
        { limit: searchPageSize, offset: (page - 1) * searchPageSize },
      )
      const counts = result.counts
      const records = await cachedServices(
        db,
        result.hits.map(hit => hit.serviceId),
      )
      const totalPages = Math.max(1, Math.ceil(result.total / searchPageSize))
      const pageHref = (n: number) => `/find-support?${searchQueryString(parsed.form, { page: n })}`
      return context({
        origin,
        counts,
        results: {
          total: result.total,
          heading: `${pluralise(result.total, 'service', 'services')} near ${origin.label}`,
          cards: records.map(record => serviceCard(record, origin, index)),
        },
        pagination:
          totalPages > 1
            ? {
                previous: page > 1 ? { href: pageHref(page - 1) } : undefined,
                next: page < totalPages ? { href: pageHref(page + 1) } : undefined,
                items: paginationItems(page, totalPages).map(n =>
                  n === 0 ? { ellipsis: true } : { number: n, href: pageHref(n), current: n === page },
                ),
              }
            : undefined,
      })
    })
  })

  // "For example, NM4 2JX or Ashby Moor": a real family hub's postcode and town, read again when the directory changes.
  let hintOf: { generation: number; text: string } | undefined
  async function searchHint(): Promise<string> {
    const { generation } = await directoryIndex(db)
    if (hintOf?.generation !== generation) {
      const example = await exampleHubAddress(db, config.authority.code)
      const parts = [example?.postcode, example?.town].filter(part => part)
      hintOf = {
        generation,
        text: parts.length ? `For example, ${parts.join(' or ')}` : 'A postcode, or the name of a town or area',
      }
    }
    return hintOf.text
  }

  function searchContext(
    parsed: ParsedSearch,
    index: TaxonomyIndex,
    shortlist: string[],
    url: string,
    extra: Record<string, unknown>,
  ): Record<string, unknown> {
    const { form } = parsed
    const counts = extra.counts as Map<string, number> | undefined
    return {
      title: 'Find support for your family',
      form,
      values: form,
      radiusItems: radiusOptions.map(miles => ({
        value: String(miles),
        text: pluralise(miles, 'mile', 'miles'),
        selected: form.radius === String(miles),
      })),
      ageItems: [
        { value: '', text: 'Any age or stage' },
        ...ageOptions.map(option => ({ value: option.value, text: option.text, selected: form.age === option.value })),
      ],
      categoryItems: index.termsOf(Taxonomies.startForLife).map(term => ({
        value: term.code,
        text: counts ? `${term.name} (${String(counts.get(term.id) ?? 0)})` : term.name,
        checked: form.category.includes(term.code),
      })),
      deliveryItems: index
        .termsOf(Taxonomies.delivery)
        .map(term => ({ value: term.code, text: term.name, checked: form.delivery.includes(term.code) })),
      whenItems: [
        { value: 'evenings', text: 'Evenings (after 5:30pm)', checked: form.when.includes('evenings') },
        { value: 'weekends', text: 'Weekends', checked: form.when.includes('weekends') },
      ],
      dayItems: [
        { value: '', text: 'Any day' },
        ...dayOptions.map(option => ({ value: option.value, text: option.text, selected: form.day === option.value })),
      ],
      languageItems: [
        { value: '', text: 'Any language' },
        ...languageOptions.map(option => ({
          value: option.code,
          text: option.name,
          selected: form.language === option.code,
        })),
      ],
      accessItems: index
        .termsOf(Taxonomies.accessibility)
        .map(term => ({ value: term.code, text: term.name, checked: form.access.includes(term.code) })),
      returnQuery: searchQueryString(form),
      clearFiltersQuery: new URLSearchParams({ location: form.location, radius: form.radius }).toString(),
      currentUrl: url,
      shortlistIds: shortlist,
      shortlistCount: shortlist.length,
      ...extra,
    }
  }

  app.get('/find-support/services/:id', { config: pub }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const [service] = isUuid(id) ? await publishedServices([id.toLowerCase()]) : []
    if (!service) {
      reply.code(404)
      return reply.page(`${views}/message.njk`, {
        title: 'We cannot find that service',
        paragraphs: ['It may have closed, or the link may be wrong.'],
        link: { href: '/find-support', text: 'Search for support near you' },
      })
    }
    const index = await taxonomies()
    const query = request.query as Record<string, unknown>
    let origin: Origin | undefined
    let backQuery = ''
    if (typeof query.location === 'string') {
      const parsed = parseLocationInput(query.location)
      origin = parsed.ok ? await resolveLocation(db, parsed.query) : undefined
      backQuery = searchQueryString(parseSearchQuery(query, index).form)
    }
    const model = servicePage(service, origin, index)
    return reply.page(`${views}/service.njk`, {
      title: service.name,
      service: model,
      summaryRows: summaryRows(model),
      backQuery,
      inShortlist: shortlistOf(request).includes(service.id),
      currentUrl: request.url,
    })
  })

  app.get('/start-for-life', { config: pub }, async (request, reply) => {
    const index = await taxonomies()
    const networks = await listNetworks(db, config.authority.code)
    const services = await cachedServices(db, await listOfferServiceIds(db, config.authority.code))
    return reply.page(`${views}/offer.njk`, {
      title: `Start for Life offer in ${config.authority.name}`,
      intro: `Support for you and your baby from ${config.authority.name}, the NHS and local groups, from pregnancy to when your child starts school.`,
      networks,
      groups: offerGroups(services, index),
      pageUrl: `${config.publicBaseUrl}/start-for-life`,
      today: new Date(),
      printView: (request.query as Record<string, unknown>).print === '1',
    })
  })

  app.get('/start-for-life/:slug', { config: pub }, async (request, reply) => {
    const { slug } = request.params as { slug: string }
    const network = /^[a-z0-9-]{1,100}$/.test(slug) ? await findNetworkBySlug(db, slug) : undefined
    if (!network) {
      reply.code(404)
      return reply.page(`${views}/message.njk`, {
        title: 'We cannot find that family hub',
        paragraphs: ['The link may be wrong.'],
        link: { href: '/start-for-life', text: 'See every family hub’s Start for Life offer' },
      })
    }
    const index = await taxonomies()
    const sites = await listNetworkSites(db, network.id)
    const services = await cachedServices(db, await listNetworkServiceIds(db, network.id))
    const roleNames: Record<string, string> = {
      hub: 'Family hub',
      spoke: 'Also at',
      outreach: 'Outreach sessions at',
      online: 'Online and by phone',
    }
    return reply.page(`${views}/offer.njk`, {
      title: `Start for Life offer: ${network.name}`,
      intro: network.description,
      network,
      sites: sites.map(site => ({
        role: roleNames[site.site_role ?? ''] ?? 'Venue',
        name: site.confidential ? confidentialVenue.name : site.name,
        address: site.confidential
          ? confidentialVenue.address
          : addressLines({
              address1: site.address_1,
              address2: site.address_2,
              city: site.city,
              postalCode: site.postal_code,
            }).join(', '),
      })),
      groups: offerGroups(services, index, network.id),
      pageUrl: `${config.publicBaseUrl}/start-for-life/${network.slug}`,
      today: new Date(),
      printView: (request.query as Record<string, unknown>).print === '1',
    })
  })

  // The shortlist: a signed token in a cookie (no session, no storage), shareable as a link.
  async function showShortlist(
    reply: FastifyReply,
    ids: string[],
    options: { shared: boolean; token?: string; flash?: string },
  ) {
    const index = await taxonomies()
    const services = await publishedServices(ids)
    const token = encodeShortlist(
      services.map(service => service.id),
      config.sessionSecret,
    )
    return reply.page(`${views}/shortlist.njk`, {
      title: options.shared ? 'A shortlist of services' : 'Your shortlist',
      shared: options.shared,
      token: options.token ?? token,
      flash: options.flash,
      cards: services.map(service => serviceCard(service, undefined, index)),
      sharePath: `/shortlist/shared/${token}`,
      shareUrl: `${config.publicBaseUrl}/shortlist/shared/${token}`,
      today: new Date(),
    })
  }

  app.get('/shortlist', { config: pub }, async (request, reply) => {
    const flash =
      (request.query as Record<string, unknown>).sent === 'yes' ? 'Your shortlist has been sent.' : undefined
    return showShortlist(reply, shortlistOf(request), { shared: false, flash })
  })

  app.get('/shortlist/shared/:token', { config: pub }, async (request, reply) => {
    const { token } = request.params as { token: string }
    const ids = decodeShortlist(token, config.sessionSecret)
    if (!ids) {
      reply.code(404)
      return reply.page(`${views}/message.njk`, {
        title: 'This shortlist link does not work',
        paragraphs: ['Check you have copied the whole link. Ask the person who sent it to send it again.'],
        link: { href: '/find-support', text: 'Find support near you' },
      })
    }
    return showShortlist(reply, ids, { shared: true, token })
  })

  const ServiceIdForm = z.object({
    serviceId: z.string().refine(isUuid, 'Choose a service'),
    returnTo: z.string().optional(),
  })

  app.post('/shortlist/add', { config: pub }, async (request, reply) => {
    const form = ServiceIdForm.safeParse(request.body)
    if (!form.success) {
      reply.code(400)
      return reply.page(`${views}/message.njk`, {
        title: 'That service could not be saved',
        paragraphs: ['Go back and try again.'],
      })
    }
    const id = form.data.serviceId.toLowerCase()
    const [service] = await publishedServices([id])
    const ids = shortlistOf(request)
    if (service && !ids.includes(id)) {
      if (ids.length >= shortlistLimit) {
        reply.code(400)
        return reply.page(`${views}/message.njk`, {
          title: 'Your shortlist is full',
          paragraphs: [`A shortlist can hold ${String(shortlistLimit)} services. Remove one to add another.`],
          link: { href: '/shortlist', text: 'Go to your shortlist' },
        })
      }
      saveShortlist(reply, [...ids, id])
    }
    return reply.redirect(safeReturnTo(form.data.returnTo), 303)
  })

  app.post('/shortlist/remove', { config: pub }, async (request, reply) => {
    const form = ServiceIdForm.safeParse(request.body)
    if (form.success) {
      saveShortlist(
        reply,
        shortlistOf(request).filter(id => id !== form.data.serviceId.toLowerCase()),
      )
    }
    return reply.redirect('/shortlist', 303)
  })

  app.post('/shortlist/import', { config: pub }, async (request, reply) => {
    const token = (request.body as Record<string, unknown> | undefined)?.token
    const ids = decodeShortlist(typeof token === 'string' ? token : undefined, config.sessionSecret) ?? []
    const merged = [...new Set([...shortlistOf(request), ...ids])].slice(0, shortlistLimit)
    saveShortlist(reply, merged)
    return reply.redirect('/shortlist', 303)
  })

  async function showSend(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const count = (await publishedServices(shortlistOf(request))).length
    if (!count) {
      return reply.redirect('/shortlist', 303)
    }
    return reply.page(`${views}/shortlist-send.njk`, { title: 'Send your shortlist', count, values: {}, ...extra })
  }

  app.get('/shortlist/send', { config: pub }, async (request, reply) => showSend(request, reply))

  const SendForm = z.object({
    channel: z.enum(['email', 'sms'], { error: 'Choose email or text message' }),
    email: z.string().optional(),
    phone: z.string().optional(),
  })

  app.post(
    '/shortlist/send',
    { config: { ...pub, rateLimit: { max: 5, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const values = formValues(request.body)
      const form = parseForm(SendForm, request.body)
      if (!form.ok) {
        reply.code(400)
        return showSend(request, reply, { errors: form.errors, values })
      }
      let recipient: string | undefined
      if (form.value.channel === 'email') {
        const email = (form.value.email ?? '').trim()
        const valid = z.email().max(254).safeParse(email)
        if (!valid.success) {
          reply.code(400)
          return showSend(request, reply, {
            errors: formError(
              'email',
              email
                ? 'Enter an email address in the correct format, like name@example.com'
                : 'Enter your email address',
            ),
            values,
          })
        }
        recipient = email
      } else {
        recipient = normaliseUkMobile(form.value.phone ?? '')
        if (!recipient) {
          reply.code(400)
          return showSend(request, reply, {
            errors: formError(
              'phone',
              form.value.phone ? 'Enter a UK mobile number, like 07700 900 982' : 'Enter your mobile phone number',
            ),
            values,
          })
        }
      }
      const services = await publishedServices(shortlistOf(request))
      if (!services.length) {
        return reply.redirect('/shortlist', 303)
      }
      const token = encodeShortlist(
        services.map(service => service.id),
        config.sessionSecret,
      )
      const link = `${config.publicBaseUrl}/shortlist/shared/${token}`
      const channel = form.value.channel
      await db.transaction().execute(async trx => {
        const personalisation = {
          serviceName: config.serviceName,
          link,
          count: services.length,
          services: services.map(service => `- ${service.name}`).join('\n'),
        }
        const template = channel === 'email' ? 'directory-shortlist-email' : 'directory-shortlist-sms'
        await queueMessage(trx, template, recipient, personalisation)
        await recordAuditEvent(trx, request.auditContext(), {
          action: 'directory-shortlist.send',
          outcome: 'allowed',
          details: { channel, services: services.length },
        })
      })
      return reply.page(`${views}/shortlist-sent.njk`, { title: 'Shortlist sent', channel })
    },
  )
}

function errorsOf(messages: Record<string, string>) {
  return {
    summary: Object.entries(messages).map(([field, text]) => ({ text, href: `#${field}` })),
    fields: Object.fromEntries(Object.entries(messages).map(([field, text]) => [field, { text }])),
  }
}

/** 1 … 4 5 6 … 20 (0 stands for an ellipsis). */
function paginationItems(current: number, total: number): number[] {
  const pages = new Set([1, total, current - 1, current, current + 1].filter(n => n >= 1 && n <= total))
  const sorted = [...pages].sort((a, b) => a - b)
  const items: number[] = []
  for (const [i, n] of sorted.entries()) {
    if (i > 0 && n - (sorted[i - 1] ?? n) > 1) {
      items.push(0)
    }
    items.push(n)
  }
  return items
}

function summaryRows(service: ServicePage) {
  const rows = [
    {
      key: { text: 'Who it is for' },
      value: { text: [service.eligibility, service.whoCanAttend].filter(Boolean).join('. ') },
    },
    {
      key: { text: 'Cost' },
      value: {
        text: service.costDetails.length > 1 ? `${service.cost} (${service.costDetails.join('; ')})` : service.cost,
      },
    },
    { key: { text: 'How to use it' }, value: { text: service.howToAccess ?? 'Contact the service' } },
    { key: { text: 'How it is delivered' }, value: { text: service.delivery || 'Contact the service' } },
  ]
  if (service.languages.length) {
    rows.push({ key: { text: 'Languages' }, value: { text: service.languages.join(', ') } })
  }
  if (service.categories.length) {
    rows.push({ key: { text: 'Categories' }, value: { text: service.categories.join(', ') } })
  }
  if (service.serviceAreas.length) {
    rows.push({ key: { text: 'Area covered' }, value: { text: service.serviceAreas.join(', ') } })
  }
  return rows
}
