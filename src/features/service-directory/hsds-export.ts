import fs from 'node:fs'
import path from 'node:path'
import { stringify } from 'csv-stringify'
import type { Db } from '../../db/database.js'
import { confidentialVenue } from './directory-views.js'
import { listPublishedServiceIds } from './hsds-export-queries.js'
import { orukAges, stableUuid } from './oruk-serialise.js'
import { loadServices } from './service-records-store.js'
import { loadTaxonomyIndex, Taxonomies } from './taxonomy.js'

/** HSDS 3.0 tabular files and their columns (openreferral/specification 3.0, examples/csv). */
export const hsdsTables = {
  organizations: [
    'id',
    'name',
    'alternate_name',
    'description',
    'email',
    'website',
    'tax_status',
    'tax_id',
    'year_incorporated',
    'legal_status',
    'logo',
    'uri',
    'parent_organization_id',
  ],
  organization_identifiers: ['id', 'organization_id', 'identifier_scheme', 'identifier_type', 'identifier'],
  services: [
    'id',
    'organization_id',
    'program_id',
    'name',
    'alternate_name',
    'description',
    'url',
    'email',
    'status',
    'interpretation_services',
    'application_process',
    'fees_description',
    'wait_time',
    'fees',
    'accreditations',
    'eligibility_description',
    'minimum_age',
    'maximum_age',
    'assured_date',
    'assurer_email',
    'licenses',
    'alert',
    'last_modified',
  ],
  locations: [
    'id',
    'location_type',
    'url',
    'organization_id',
    'name',
    'alternate_name',
    'description',
    'transportation',
    'latitude',
    'longitude',
    'external_identifier',
    'external_identifier_type',
  ],
  addresses: [
    'id',
    'location_id',
    'attention',
    'address_1',
    'address_2',
    'city',
    'region',
    'state_province',
    'postal_code',
    'country',
    'address_type',
  ],
  accessibility: ['id', 'location_id', 'description', 'details', 'url'],
  service_at_location: ['id', 'service_id', 'location_id', 'description'],
  schedules: [
    'id',
    'service_id',
    'location_id',
    'service_at_location_id',
    'valid_from',
    'valid_to',
    'dtstart',
    'timezone',
    'until',
    'count',
    'wkst',
    'freq',
    'interval',
    'byday',
    'byweekno',
    'bymonthday',
    'byyearday',
    'description',
    'opens_at',
    'closes_at',
    'schedule_link',
    'attending_type',
    'notes',
  ],
  cost_options: ['id', 'service_id', 'valid_from', 'valid_to', 'option', 'currency', 'amount', 'amount_description'],
  languages: ['id', 'service_id', 'location_id', 'phone_id', 'name', 'code', 'note'],
  contacts: [
    'id',
    'organization_id',
    'service_id',
    'service_at_location_id',
    'location_id',
    'name',
    'title',
    'department',
    'email',
  ],
  phones: [
    'id',
    'location_id',
    'service_id',
    'organization_id',
    'contact_id',
    'service_at_location_id',
    'number',
    'extension',
    'type',
    'description',
  ],
  service_areas: ['id', 'service_id', 'name', 'description', 'extent', 'extent_type', 'uri'],
  funding: ['id', 'organization_id', 'service_id', 'source'],
  taxonomies: ['id', 'name', 'description', 'uri', 'version'],
  taxonomy_terms: ['id', 'code', 'name', 'description', 'parent_id', 'taxonomy', 'language', 'taxonomy_id', 'term_uri'],
  attributes: ['id', 'link_id', 'taxonomy_term_id', 'link_type', 'link_entity', 'value'],
} as const

type Table = keyof typeof hsdsTables
type Row = Record<string, string | number | boolean | null | undefined>

/**
 * Writes the published directory as an HSDS 3.0 tabular data package: one CSV per table (columns as in the HSDS
 * examples) and a datapackage.json listing them. Services are read a chunk at a time.
 */
export async function exportHsdsCsv(db: Db, dir: string): Promise<Record<Table, number>> {
  fs.mkdirSync(dir, { recursive: true })
  const counts = Object.fromEntries(Object.keys(hsdsTables).map(table => [table, 0])) as Record<Table, number>
  const writers = new Map<Table, { stream: ReturnType<typeof stringify>; done: Promise<void> }>()
  for (const table of Object.keys(hsdsTables) as Table[]) {
    const stream = stringify({
      header: true,
      columns: [...hsdsTables[table]],
      cast: { boolean: value => (value ? 'true' : 'false') },
    })
    const file = fs.createWriteStream(path.join(dir, `${table}.csv`))
    stream.pipe(file)
    writers.set(table, {
      stream,
      done: new Promise((resolve, reject) => file.on('finish', resolve).on('error', reject)),
    })
  }
  const write = async (table: Table, row: Row) => {
    counts[table]++
    const writer = writers.get(table)
    if (writer && !writer.stream.write(row)) {
      await new Promise(resolve => writer.stream.once('drain', resolve))
    }
  }
  const index = await loadTaxonomyIndex(db, { fresh: true })
  for (const taxonomy of index.taxonomies) {
    await write('taxonomies', {
      id: taxonomy.id,
      name: taxonomy.name,
      description: taxonomy.description,
      uri: taxonomy.uri,
      version: taxonomy.version,
    })
  }
  for (const term of index.terms) {
    await write('taxonomy_terms', {
      id: term.id,
      code: term.code,
      name: term.name,
      description: term.description,
      parent_id: term.parentId,
      taxonomy: index.taxonomyById.get(term.taxonomyId)?.name,
      language: 'en',
      taxonomy_id: term.taxonomyId,
      term_uri: term.termUri,
    })
  }
  const organisations = new Set<string>()
  const locations = new Set<string>()
  let after: string | undefined
  for (;;) {
    const ids = await listPublishedServiceIds(db, after, 500)
    if (!ids.length) {
      break
    }
    after = ids.at(-1)
    for (const service of await loadServices(db, ids)) {
      const organisation = service.organisation
      if (!organisations.has(organisation.id)) {
        organisations.add(organisation.id)
        await write('organizations', {
          id: organisation.id,
          name: organisation.name,
          description: organisation.description,
          email: organisation.email,
          website: organisation.website,
          logo: organisation.logo,
          uri: organisation.uri,
          parent_organization_id: organisation.parentId,
        })
        for (const identifier of organisation.identifiers) {
          await write('organization_identifiers', {
            id: identifier.id,
            organization_id: organisation.id,
            identifier_scheme: identifier.scheme,
            identifier_type: identifier.type,
            identifier: identifier.identifier,
          })
        }
      }
      const ages = orukAges(service)
      await write('services', {
        id: service.id,
        organization_id: organisation.id,
        name: service.name,
        description: service.description || service.summary,
        url: service.url,
        email: service.email,
        status: service.operatingStatus,
        application_process: service.howToAccess,
        fees_description: service.feesDescription,
        accreditations: service.accreditations,
        eligibility_description: service.whoCanAttend,
        minimum_age: ages.minimum,
        maximum_age: ages.maximum,
        assured_date: service.assuredDate,
        assurer_email: service.assurerEmail,
        alert: service.alert,
        last_modified: service.updatedAt.toISOString(),
      })
      for (const sal of service.locations) {
        const location = sal.location
        if (!locations.has(location.id)) {
          locations.add(location.id)
          // A confidential venue (a refuge): a name and the standard words only, no address, position or UPRN.
          await write(
            'locations',
            location.confidential
              ? {
                  id: location.id,
                  location_type: location.locationType === 'virtual' ? 'virtual' : 'physical',
                  name: confidentialVenue.name,
                  description: confidentialVenue.address,
                }
              : {
                  id: location.id,
                  location_type: location.locationType,
                  url: location.url,
                  name: location.name,
                  description: location.description,
                  latitude: location.latitude,
                  longitude: location.longitude,
                  external_identifier: location.externalIdentifier,
                  external_identifier_type: location.externalIdentifierType,
                },
          )
          if (location.address1 && !location.confidential) {
            await write('addresses', {
              id: stableUuid('address', location.id),
              location_id: location.id,
              address_1: location.address1,
              address_2: location.address2,
              city: location.city,
              state_province: location.stateProvince,
              postal_code: location.postalCode,
              country: location.country,
              address_type: location.locationType === 'postal' ? 'postal' : 'physical',
            })
          }
          for (const item of location.accessibility) {
            await write('accessibility', {
              id: item.id,
              location_id: location.id,
              description: item.description ?? index.term(Taxonomies.accessibility, item.feature)?.name,
              // Free text and links about a refuge's entrance could place it.
              details: location.confidential ? null : item.details,
              url: location.confidential ? null : item.url,
            })
          }
          const siteTerm = location.siteRole ? index.term(Taxonomies.site, location.siteRole) : undefined
          if (siteTerm) {
            await write('attributes', {
              id: stableUuid('site-attribute', location.id),
              link_id: location.id,
              taxonomy_term_id: siteTerm.id,
              link_type: 'location',
              link_entity: 'location',
            })
          }
        }
        await write('service_at_location', {
          id: sal.id,
          service_id: service.id,
          location_id: location.id,
          description: sal.description,
        })
      }
      for (const schedule of service.schedules) {
        if (schedule.kind === 'closure') {
          continue
        }
        await write('schedules', {
          id: schedule.id,
          service_id: service.id,
          service_at_location_id: schedule.serviceAtLocationId,
          valid_from: schedule.kind === 'event' ? schedule.dtstart : schedule.validFrom,
          valid_to: schedule.kind === 'event' ? schedule.dtstart : schedule.validTo,
          dtstart: schedule.dtstart,
          timezone: 'Europe/London',
          freq: schedule.kind === 'event' ? null : schedule.freq,
          interval: schedule.kind === 'event' ? null : schedule.interval,
          byday: schedule.kind === 'event' ? null : schedule.byday,
          bymonthday: schedule.bymonthday,
          description: [schedule.description, schedule.termTimeOnly ? 'Term time only.' : null]
            .filter(Boolean)
            .join(' '),
          opens_at: schedule.opensAt,
          closes_at: schedule.closesAt,
          schedule_link: schedule.scheduleLink,
          attending_type: schedule.attendingType,
          notes: schedule.notes,
        })
      }
      for (const cost of service.costOptions) {
        await write('cost_options', {
          id: cost.id,
          service_id: service.id,
          valid_from: cost.validFrom,
          valid_to: cost.validTo,
          option: cost.option,
          currency: 'GBP',
          amount: cost.amount,
          amount_description: cost.amountDescription,
        })
      }
      for (const language of service.languages) {
        await write('languages', {
          id: language.id,
          service_id: service.id,
          name: language.name,
          code: language.code,
          note: language.note,
        })
      }
      for (const contact of service.contacts) {
        await write('contacts', { id: contact.id, service_id: service.id, name: contact.name, title: contact.title })
        for (const phone of contact.phones) {
          await write('phones', {
            id: phone.id,
            service_id: service.id,
            contact_id: contact.id,
            number: phone.number,
            type: phone.kind,
            description: phone.description,
          })
        }
      }
      for (const phone of service.phones) {
        await write('phones', {
          id: phone.id,
          service_id: service.id,
          number: phone.number,
          type: phone.kind,
          description: phone.description,
        })
      }
      for (const area of service.serviceAreas) {
        await write('service_areas', {
          id: area.id,
          service_id: service.id,
          name: area.name,
          extent: area.extent,
          extent_type: area.extentType,
          uri:
            area.uri ?? (area.laCode ? `http://statistics.data.gov.uk/id/statistical-geography/${area.laCode}` : null),
        })
      }
      for (const item of service.funding) {
        await write('funding', { id: item.id, service_id: service.id, source: item.source })
      }
      for (const term of service.terms) {
        await write('attributes', {
          id: term.attributeId,
          link_id: service.id,
          taxonomy_term_id: term.id,
          link_type: 'service',
          link_entity: 'service',
        })
      }
      const pregnancy = index.term(Taxonomies.eligibility, 'pregnancy')
      if (service.forPregnancy && pregnancy) {
        await write('attributes', {
          id: stableUuid('pregnancy-attribute', service.id),
          link_id: service.id,
          taxonomy_term_id: pregnancy.id,
          link_type: 'service',
          link_entity: 'service',
        })
      }
    }
  }
  for (const writer of writers.values()) {
    writer.stream.end()
  }
  await Promise.all([...writers.values()].map(writer => writer.done))
  fs.writeFileSync(
    path.join(dir, 'datapackage.json'),
    `${JSON.stringify(
      {
        name: 'best-start-service-directory',
        title: 'Best Start service directory (HSDS 3.0 tabular)',
        profile: 'tabular-data-package',
        licenses: [
          {
            name: 'OGL-UK-3.0',
            path: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
            title: 'Open Government Licence v3.0',
          },
        ],
        created: new Date().toISOString(),
        resources: (Object.keys(hsdsTables) as Table[]).map(table => ({
          name: table,
          path: `${table}.csv`,
          profile: 'tabular-data-resource',
          format: 'csv',
          mediatype: 'text/csv',
          encoding: 'utf-8',
          schema: { fields: hsdsTables[table].map(name => ({ name, type: 'string' })) },
        })),
      },
      null,
      2,
    )}\n`,
  )
  return counts
}
