import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { DbOrTx } from '../../db/database.js'
import { todayInEngland } from '../../platform/dates.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import type { DirectoryFilters } from './directory-search.js'
import { countPublishingOrganisations, hasPublishedService, listPublishingOrganisationIds } from './oruk-queries.js'
import { ParameterError, parseId, parsePaging, parseServiceQuery, type ServiceQueryParams } from './oruk-params.js'
import {
  orukOrganisation,
  orukServiceAtLocationDetail,
  orukServiceAtLocationListItem,
  orukServiceFlat,
  orukServiceFull,
  orukTaxonomy,
  orukTerm,
  orukVersion,
  orukProfile,
  page,
  pageJson,
  type JsonObject,
} from './oruk-serialise.js'
import { findPostcode } from './postcodes.js'
import {
  cachedServices,
  directoryIndex,
  flatServicesFromIndex,
  searchServiceAtLocationsInIndex,
  searchServicesInIndex,
} from './search-index.js'
import { loadOrganisations } from './service-records-store.js'
import { loadTaxonomyIndex, type TaxonomyIndex } from './taxonomy.js'

export const orukReferenceDir = fileURLToPath(new URL('../../../reference-data/oruk/', import.meta.url))
const apiPrefix = '/api/oruk'

/**
 * The ORUK 3.0 OpenAPI document as published at openreferraluk.org, with our server URL and the HSDS 3.0 extras we
 * also answer (modified_after, organization_id, full; /organizations).
 */
export function orukOpenApi(baseUrl: string): Record<string, unknown> {
  const document = JSON.parse(fs.readFileSync(`${orukReferenceDir}openapi-3.0.json`, 'utf8')) as {
    info: Record<string, unknown>
    paths: Record<string, { get: { parameters?: { $ref: string }[] } }>
    [key: string]: unknown
  }
  document.info = {
    ...document.info,
    title: 'Best Start service directory: Open Referral UK 3.0 API',
    description:
      'Family hub and Start for Life services, published under the Open Referral UK 3.0 profile of HSDS. Only published services appear. Ages filter by overlap: minimum_age and maximum_age return services that serve any age in that range. proximity is in metres (up to 100000) from the postcode centroid; services with service areas are returned only for postcodes inside them. Data licensed under the Open Government Licence v3.0.',
    'x-hsds-version': orukVersion,
  }
  document.servers = [{ url: `${baseUrl}${apiPrefix}` }]
  const extras = [
    '#/components/parameters/organization_id',
    '#/components/parameters/modified_after',
    '#/components/parameters/full',
  ]
  for (const path of ['/services', '/service_at_locations']) {
    const operation = document.paths[path]?.get
    if (operation) {
      operation.parameters = [...(operation.parameters ?? []), ...extras.map(ref => ({ $ref: ref }))]
    }
  }
  const servicesOperation = document.paths['/services']?.get
  if (servicesOperation) {
    servicesOperation.parameters = [
      ...(servicesOperation.parameters ?? []),
      { $ref: '#/components/parameters/postcode' },
      { $ref: '#/components/parameters/proximity' },
    ]
  }
  const organisationSchema =
    'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/compiled/organization.json'
  document.paths['/organizations'] = {
    get: {
      summary: 'Paginated listing of organizations that provide published services (HSDS 3.0).',
      operationId: 'getPaginatedListOfOrganizations',
      parameters: [{ $ref: '#/components/parameters/page' }, { $ref: '#/components/parameters/per_page' }],
      responses: {
        '200': {
          description: 'A paginated list of organizations.',
          content: {
            'application/json': {
              schema: {
                properties: { contents: { type: 'array', items: { $ref: organisationSchema } } },
                allOf: [{ $ref: '#/components/schemas/Page' }],
              },
            },
          },
        },
      },
    },
  } as never
  document.paths['/organizations/{id}'] = {
    parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' } }],
    get: {
      summary: 'An organization, with its identifiers (HSDS 3.0).',
      operationId: 'getOrganizationById',
      responses: {
        '200': {
          description: 'An organization.',
          content: { 'application/json': { schema: { $ref: organisationSchema } } },
        },
      },
    },
  } as never
  return document
}

/** Turns API parameters into search filters (the postcode is looked up; an unknown one is a 400). */
async function filtersOf(db: DbOrTx, params: ServiceQueryParams): Promise<DirectoryFilters> {
  const filters: DirectoryFilters = {
    text: params.search,
    termGroups: params.taxonomyTermIds ? [params.taxonomyTermIds] : undefined,
    taxonomyId: params.taxonomyId,
    directoryOrganisationId: params.organizationId,
    childMonths:
      params.minimumAge !== undefined || params.maximumAge !== undefined
        ? {
            min: params.minimumAge === undefined ? undefined : params.minimumAge * 12,
            max: params.maximumAge === undefined ? undefined : params.maximumAge * 12,
          }
        : undefined,
    schedule:
      params.dayMask !== undefined || params.startTime || params.endTime
        ? { dayMask: params.dayMask, opensFrom: params.startTime, closesBy: params.endTime }
        : undefined,
    modifiedAfter: params.modifiedAfter,
  }
  if (params.postcode) {
    const origin = await findPostcode(db, params.postcode)
    if (!origin) {
      throw new ParameterError('postcode', `postcode ${params.postcode} was not found in the postcode directory`)
    }
    filters.origin = origin
    filters.radiusMetres = params.proximity
  }
  return filters
}

/** List items' JSON, kept while the index's objects live (they are replaced when the directory changes). */
const jsonCache = new WeakMap<object, string>()

function cachedJson(key: object, build: () => JsonObject): string {
  let json = jsonCache.get(key)
  if (json === undefined) {
    json = JSON.stringify(build())
    jsonCache.set(key, json)
  }
  return json
}

function offset(params: { page: number; perPage: number }): { limit: number; offset: number } {
  return { limit: params.perPage, offset: (params.page - 1) * params.perPage }
}

function notFound(reply: FastifyReply, what: string): FastifyReply {
  reply.code(404)
  return reply.send({ status: 404, error: 'not_found', message: `No published ${what} has that id` })
}

/** Open Referral UK 3.0 API under /api/oruk (registered with that prefix). Public, read-only, CORS open to all. */
export function orukApi({ config, db }: RouteDeps): FastifyPluginAsync {
  const pub = { access: { public: true as const } }
  const openApi = JSON.stringify(orukOpenApi(config.publicBaseUrl))
  const taxonomies = (): Promise<TaxonomyIndex> => loadTaxonomyIndex(db)

  return async app => {
    app.addHook('onSend', async (_request, reply) => {
      void reply.header('access-control-allow-origin', '*')
      void reply.header('cross-origin-resource-policy', 'cross-origin')
      if (reply.statusCode === 200) {
        void reply.header('cache-control', 'public, max-age=60')
      }
    })
    app.setErrorHandler(async (error: FastifyError | ParameterError, request, reply) => {
      if (error instanceof ParameterError) {
        reply.code(400)
        return reply.send({
          status: 400,
          error: 'invalid_parameter',
          parameter: error.parameter,
          message: error.message,
        })
      }
      const status = error.statusCode ?? 500
      if (status >= 500) {
        request.log.error(
          { err: { type: error.name, message: error.message, stack: error.stack } },
          'ORUK API request failed',
        )
      }
      reply.code(status)
      return reply.send({
        status,
        error: status >= 500 ? 'server_error' : 'bad_request',
        message: status >= 500 ? 'Internal server error' : error.message,
      })
    })
    app.setNotFoundHandler(async (_request, reply) => {
      reply.code(404)
      return reply.send({
        status: 404,
        error: 'not_found',
        message: 'No such endpoint. GET / lists what this API offers.',
      })
    })

    app.options('/*', { config: pub }, async (_request, reply) => {
      reply.code(204)
      void reply.header('access-control-allow-methods', 'GET, OPTIONS')
      void reply.header('access-control-allow-headers', '*')
      void reply.header('access-control-max-age', '86400')
      return reply.send()
    })

    app.get('/', { config: pub }, async () => ({
      version: orukVersion,
      profile: orukProfile,
      openapi_url: `${config.publicBaseUrl}${apiPrefix}/openapi.json`,
    }))

    app.get('/openapi.json', { config: pub }, async (_request, reply) =>
      reply.type('application/json; charset=utf-8').send(openApi),
    )

    /**
     * The list endpoints' answers, for repeated queries: the same URL gives the same JSON until the directory changes
     * (its generation is in the key) or the day does (schedule filters compare with today). Responses already say
     * `cache-control: public, max-age=60`; this saves the search and serialisation when a client asks again.
     */
    const listAnswers = new LRUCache<string, string>({
      max: 2000,
      maxSize: 32 * 1024 * 1024,
      sizeCalculation: json => json.length * 2,
    })
    async function cachedList(url: string, reply: FastifyReply, build: () => Promise<string>): Promise<FastifyReply> {
      const { generation } = await directoryIndex(db)
      const key = `${String(generation)} ${todayInEngland()} ${url}`
      let json = listAnswers.get(key)
      if (json === undefined) {
        json = await build()
        listAnswers.set(key, json)
      }
      return reply.type('application/json; charset=utf-8').send(json)
    }

    app.get('/services', { config: pub }, async (request, reply) =>
      cachedList(request.url, reply, async () => {
        const params = parseServiceQuery(request.query as Record<string, unknown>)
        const index = await taxonomies()
        const filters = await filtersOf(db, params)
        const result = await searchServicesInIndex(db, filters, index, offset(params))
        const ids = result.hits.map(hit => hit.serviceId)
        if (params.full) {
          const contents = (await cachedServices(db, ids)).map(service => orukServiceFull(service, index))
          return JSON.stringify(page(contents, result.total, params.page, params.perPage))
        }
        const items = (await flatServicesFromIndex(db, ids)).map(service =>
          cachedJson(service, () => orukServiceFlat(service)),
        )
        return pageJson(items, result.total, params.page, params.perPage)
      }),
    )

    app.get('/services/:id', { config: pub }, async (request, reply) => {
      const id = parseId((request.params as { id: string }).id)
      const [service] = await cachedServices(db, [id])
      if (!service) {
        return notFound(reply, 'service')
      }
      return orukServiceFull(service, await taxonomies())
    })

    app.get('/service_at_locations', { config: pub }, async (request, reply) =>
      cachedList(request.url, reply, async () => {
        const params = parseServiceQuery(request.query as Record<string, unknown>)
        const index = await taxonomies()
        const filters = await filtersOf(db, params)
        const result = await searchServiceAtLocationsInIndex(db, filters, index, offset(params))
        const items = result.hits.map(hit =>
          cachedJson(hit.flat, () => orukServiceAtLocationListItem(hit.id, hit.flat.service, hit.flat.location)),
        )
        return pageJson(items, result.total, params.page, params.perPage)
      }),
    )

    app.get('/service_at_locations/:id', { config: pub }, async (request, reply) => {
      const id = parseId((request.params as { id: string }).id)
      const indexed = (await directoryIndex(db)).salById.get(id)
      const [service] = indexed ? await cachedServices(db, [indexed.serviceId]) : []
      const sal = service?.locations.find(item => item.id === id)
      if (!service || !sal) {
        return notFound(reply, 'service at location')
      }
      return orukServiceAtLocationDetail(service, sal, await taxonomies())
    })

    app.get('/taxonomies', { config: pub }, async request => {
      const params = parsePaging(request.query as Record<string, unknown>)
      const index = await taxonomies()
      const all = index.taxonomies
      const start = (params.page - 1) * params.perPage
      return page(all.slice(start, start + params.perPage).map(orukTaxonomy), all.length, params.page, params.perPage)
    })

    app.get('/taxonomies/:id', { config: pub }, async (request, reply) => {
      const id = parseId((request.params as { id: string }).id)
      const index = await taxonomies()
      const taxonomy = index.taxonomyById.get(id)
      if (!taxonomy) {
        return notFound(reply, 'taxonomy')
      }
      return {
        ...orukTaxonomy(taxonomy),
        taxonomy_terms: index.termsOf(taxonomy.code).map(term => orukTerm(term, index)),
      }
    })

    app.get('/taxonomy_terms', { config: pub }, async request => {
      const query = request.query as Record<string, unknown>
      const params = parsePaging(query)
      const index = await taxonomies()
      const taxonomyId =
        typeof query.taxonomy_id === 'string' && query.taxonomy_id !== ''
          ? parseIdParam(query.taxonomy_id, 'taxonomy_id')
          : undefined
      const parentId =
        typeof query.parent_id === 'string' && query.parent_id !== ''
          ? parseIdParam(query.parent_id, 'parent_id')
          : undefined
      const topOnly = query.top_only === 'true'
      const all = index.terms.filter(
        term =>
          (!taxonomyId || term.taxonomyId === taxonomyId) &&
          (!parentId || term.parentId === parentId) &&
          (!topOnly || term.parentId === null),
      )
      const start = (params.page - 1) * params.perPage
      return page(
        all.slice(start, start + params.perPage).map(term => orukTerm(term, index)),
        all.length,
        params.page,
        params.perPage,
      )
    })

    app.get('/taxonomy_terms/:id', { config: pub }, async (request, reply) => {
      const id = parseId((request.params as { id: string }).id)
      const index = await taxonomies()
      const term = index.termById.get(id)
      if (!term) {
        return notFound(reply, 'taxonomy term')
      }
      return orukTerm(term, index)
    })

    app.get('/organizations', { config: pub }, async request => {
      const params = parsePaging(request.query as Record<string, unknown>)
      const total = await countPublishingOrganisations(db)
      const ids = await listPublishingOrganisationIds(db, {
        limit: params.perPage,
        offset: (params.page - 1) * params.perPage,
      })
      const organisations = await loadOrganisations(db, ids)
      return page(
        ids.flatMap(id => {
          const organisation = organisations.get(id)
          return organisation ? [orukOrganisation(organisation, { identifiers: true })] : []
        }),
        total,
        params.page,
        params.perPage,
      )
    })

    app.get('/organizations/:id', { config: pub }, async (request, reply) => {
      const id = parseId((request.params as { id: string }).id)
      const published = await hasPublishedService(db, id)
      const organisation = published ? (await loadOrganisations(db, [id])).get(id) : undefined
      if (!organisation) {
        return notFound(reply, 'organization')
      }
      return orukOrganisation(organisation, { identifiers: true })
    })
  }
}

function parseIdParam(value: string, name: string): string {
  try {
    return parseId(value)
  } catch {
    throw new ParameterError(name, `${name} must be a UUID`)
  }
}
