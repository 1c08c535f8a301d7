import { PassThrough } from 'node:stream'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { DbOrTx } from '../../db/database.js'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { countAuditEvents, searchAuditEvents, type AuditSearch } from '../../platform/audit/audit-store.js'
import { can } from '../../platform/auth/access.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { formValues, parseForm } from '../../platform/validation.js'
import { paging } from '../admin/paging.js'
import { AuditSearchQuery, auditPageSize, criteriaNames, type AuditSearchCriteria } from './audit-forms.js'
import { writeAuditCsv } from './audit-export.js'
import { findUserIdByEmail } from './audit-trail-store.js'

const views = 'features/audit-trail/views'

/** The filters as query-string values, to keep them in the paging and export links. */
function filterQuery(
  criteria: AuditSearchCriteria,
  values: Record<string, string>,
): Record<string, string | undefined> {
  return {
    user: criteria.user ? values.user?.trim() : undefined,
    subject: criteria.subject,
    action: criteria.action,
    outcome: criteria.outcome,
    from: criteria.from,
    to: criteria.to,
  }
}

/**
 * The store's criteria, or undefined when nothing can match (an email address no account has): then the search
 * is not run, but it is still shown and audited, with no results.
 */
async function storeCriteria(db: DbOrTx, criteria: AuditSearchCriteria): Promise<AuditSearch | undefined> {
  let userId: string | undefined
  if (criteria.user?.kind === 'id') {
    userId = criteria.user.id
  } else if (criteria.user?.kind === 'email') {
    userId = await findUserIdByEmail(db, criteria.user.email)
    if (!userId) {
      return undefined
    }
  }
  return {
    userId,
    subjectId: criteria.subject,
    action: criteria.action,
    outcome: criteria.outcome,
    from: criteria.from,
    to: criteria.to,
  }
}

/** The information-governance officer's audit trail: search it, page through it, export it as CSV. */
export function auditRoutes({ db }: RouteDeps): FastifyPluginAsync {
  function searchPage(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown>) {
    return reply.page(`${views}/audit.njk`, {
      title: 'Audit trail',
      canExport: can(request, 'audit.export'),
      ...extra,
    })
  }

  return async app => {
    app.get('/audit', { config: { access: { permission: 'audit.read' } } }, async (request, reply) => {
      const values = formValues(request.query)
      const form = parseForm(AuditSearchQuery, request.query)
      if (!form.ok) {
        reply.code(400)
        return searchPage(request, reply, { errors: form.errors, values })
      }
      const criteria = form.value
      const page = criteria.page
      const { total, events } = await db.transaction().execute(async trx => {
        const search = await storeCriteria(trx, criteria)
        const total = search ? await countAuditEvents(trx, search) : 0
        const events = search
          ? await searchAuditEvents(trx, search, { limit: auditPageSize, offset: (page - 1) * auditPageSize })
          : []
        await recordAuditEvent(trx, request.auditContext(), {
          action: 'audit.search',
          outcome: 'allowed',
          details: { criteria: criteriaNames(criteria), results: total, page },
        })
        return { total, events }
      })
      const filters = filterQuery(criteria, values)
      const exportQuery = new URLSearchParams(
        Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
      ).toString()
      return searchPage(request, reply, {
        values,
        searched: true,
        events,
        paging: paging('/audit', filters, page, total, auditPageSize),
        exportHref: `/audit/export.csv${exportQuery ? `?${exportQuery}` : ''}`,
      })
    })

    app.get('/audit/export.csv', { config: { access: { permission: 'audit.export' } } }, async (request, reply) => {
      const values = formValues(request.query)
      const form = parseForm(AuditSearchQuery, request.query)
      if (!form.ok) {
        reply.code(400)
        return searchPage(request, reply, { errors: form.errors, values })
      }
      const criteria = form.value
      const context = request.auditContext()
      const details = { criteria: criteriaNames(criteria) }
      const output = new PassThrough()
      // One snapshot for the whole file, so that events written meanwhile do not shift the pages read. The export is
      // audited in the same transaction; the file ends only once that has committed.
      const exported = db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async trx => {
          const search = await storeCriteria(trx, criteria)
          const rows = await writeAuditCsv(trx, search, output)
          await recordAuditEvent(trx, context, {
            action: 'audit.export',
            outcome: 'allowed',
            details: { ...details, rows },
          })
        })
      exported.then(
        () => output.end(),
        async (error: unknown) => {
          // The download was closed by the person downloading it, or the database failed: either way the file is
          // incomplete, the transaction rolled back, and the attempt is recorded as an error.
          const interrupted = output.destroyed
          const err = { type: (error as Error).name, message: (error as Error).message }
          if (interrupted) {
            request.log.warn({ err }, 'audit export interrupted')
          } else {
            request.log.error({ err }, 'audit export failed')
            output.destroy(error as Error)
          }
          await recordAuditEvent(db, context, {
            action: 'audit.export',
            outcome: 'error',
            reason: interrupted ? 'download interrupted' : 'export failed',
            details,
          }).catch(() => undefined)
        },
      )
      const day = new Date().toISOString().slice(0, 10)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-trail-${day}.csv"`)
        .send(output)
    })
  }
}
