/**
 * School term dates, kept by directory admins: the days "term time only" sessions run. One list per local authority
 * (the admin's own); terms of an area may not overlap.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { NotFoundError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { formError, formValues, parseForm, type FormErrors } from '../../platform/validation.js'
import { dateParts, dateValues, gatherDates, linkDateErrors } from './date-input.js'
import { formatDate } from './directory-format.js'
import { isUuid } from './oruk-params.js'
import { invalidateDirectoryIndex } from './search-index.js'
import {
  createTermDate,
  deleteTermDate,
  findTermDate,
  listOverlappingTerms,
  listTermDates,
  lockTermDates,
  updateTermDate,
  type SchoolTerm,
} from './term-dates-store.js'

const views = 'features/service-directory/views'
const approve = { access: { permission: 'directory.approve' as const } }
const list = '/directory/manage/term-dates'

export const TermForm = z.preprocess(
  body => gatherDates(body, ['startsOn', 'endsOn']),
  z
    .object({
      name: z
        .string({ error: 'Enter the name of the term' })
        .trim()
        .min(1, 'Enter the name of the term, like “Autumn 1”')
        .max(100, 'The name must be 100 characters or fewer'),
      startsOn: dateParts('the first day of the term', { required: true }),
      endsOn: dateParts('the last day of the term', { required: true }),
    })
    .superRefine((form, ctx) => {
      if (form.startsOn && form.endsOn && form.startsOn > form.endsOn) {
        ctx.addIssue({
          code: 'custom',
          path: ['endsOn'],
          message: 'The last day of the term must be the same as or after the first day',
        })
      }
    })
    .transform(form => ({ name: form.name, startsOn: form.startsOn ?? '', endsOn: form.endsOn ?? '' })),
)

const doneMessages: Record<string, string> = {
  added: 'The term has been added.',
  changed: 'The term has been changed.',
  removed: 'The term has been removed.',
}

export function registerTermDateRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  function areaOf(request: FastifyRequest): string {
    return request.activeUser().user.laCode
  }

  async function termOf(request: FastifyRequest): Promise<SchoolTerm> {
    const { termId } = request.params as { termId: string }
    const term = isUuid(termId) ? await findTermDate(db, termId) : undefined
    if (!term || term.laCode !== areaOf(request)) {
      throw new NotFoundError('There is no such term')
    }
    return term
  }

  function showForm(
    reply: FastifyReply,
    context: { title: string; action: string; values: Record<string, string>; errors?: FormErrors; term?: SchoolTerm },
  ) {
    return reply.page(`${views}/manage-term.njk`, {
      ...context,
      errors: context.errors ? linkDateErrors(context.errors, ['startsOn', 'endsOn']) : undefined,
      deleteAction: context.term ? `${list}/${context.term.id}/delete` : undefined,
    })
  }

  /** Saves a term (new when `term` is undefined), refusing one that overlaps another term of the area. */
  async function save(request: FastifyRequest, reply: FastifyReply, title: string, term?: SchoolTerm) {
    const form = parseForm(TermForm, request.body)
    const values = formValues(request.body)
    if (!form.ok) {
      reply.code(400)
      return showForm(reply, { title, action: request.url, values, errors: form.errors, ...(term ? { term } : {}) })
    }
    const laCode = areaOf(request)
    const result = await db.transaction().execute(async trx => {
      await lockTermDates(trx, laCode)
      const overlapping = await listOverlappingTerms(trx, {
        laCode,
        startsOn: form.value.startsOn,
        endsOn: form.value.endsOn,
        ...(term ? { exceptId: term.id } : {}),
      })
      const clash = overlapping[0]
      if (clash) {
        return { ok: false as const, clash }
      }
      const id = term ? term.id : await createTermDate(trx, { laCode, ...form.value })
      if (term) {
        await updateTermDate(trx, term.id, form.value)
      }
      await recordAuditEvent(trx, request.auditContext(), {
        action: term ? 'directory-term-date.update' : 'directory-term-date.create',
        outcome: 'allowed',
        subject: { type: 'directory-term-date', id },
        details: { laCode, startsOn: form.value.startsOn, endsOn: form.value.endsOn },
      })
      return { ok: true as const, id }
    })
    if (!result.ok) {
      reply.code(400)
      return showForm(reply, {
        title,
        action: request.url,
        values,
        errors: formError(
          'startsOn',
          `The term overlaps ${result.clash.name} (${formatDate(result.clash.startsOn)} to ${formatDate(result.clash.endsOn)}). Change the dates`,
        ),
        ...(term ? { term } : {}),
      })
    }
    invalidateDirectoryIndex(db)
    return reply.redirect(`${list}?done=${term ? 'changed' : 'added'}`, 303)
  }

  app.get(list, { config: approve }, async (request, reply) => {
    const terms = await listTermDates(db, areaOf(request))
    const done = (request.query as Record<string, unknown>).done
    return reply.page(`${views}/manage-term-dates.njk`, {
      title: 'School term dates',
      done: typeof done === 'string' ? doneMessages[done] : undefined,
      terms: terms.map(term => ({
        ...term,
        starts: formatDate(term.startsOn, true),
        ends: formatDate(term.endsOn, true),
        href: `${list}/${term.id}`,
      })),
    })
  })

  app.get(`${list}/new`, { config: approve }, async (_request, reply) =>
    showForm(reply, { title: 'Add a term', action: `${list}/new`, values: {} }),
  )

  app.post(`${list}/new`, { config: approve }, async (request, reply) => save(request, reply, 'Add a term'))

  app.get(`${list}/:termId`, { config: approve }, async (request, reply) => {
    const term = await termOf(request)
    return showForm(reply, {
      title: `Change ${term.name}`,
      action: `${list}/${term.id}`,
      values: { name: term.name, ...dateValues('startsOn', term.startsOn), ...dateValues('endsOn', term.endsOn) },
      term,
    })
  })

  app.post(`${list}/:termId`, { config: approve }, async (request, reply) => {
    const term = await termOf(request)
    return save(request, reply, `Change ${term.name}`, term)
  })

  app.post(`${list}/:termId/delete`, { config: approve }, async (request, reply) => {
    const term = await termOf(request)
    await db.transaction().execute(async trx => {
      await deleteTermDate(trx, term.id)
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'directory-term-date.delete',
        outcome: 'allowed',
        subject: { type: 'directory-term-date', id: term.id },
        details: { laCode: term.laCode, startsOn: term.startsOn, endsOn: term.endsOn },
      })
    })
    invalidateDirectoryIndex(db)
    return reply.redirect(`${list}?done=removed`, 303)
  })
}
