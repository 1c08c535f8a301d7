import { z } from 'zod'

export const auditPageSize = 50

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value
}

/** A real calendar date typed as 2026-11-24 (what a date box sends) or 24/11/2026, as YYYY-MM-DD. */
function isoDate(label: string) {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: `${label} must be a real date, like 24/11/2026` })
      .trim()
      .max(20, `${label} must be a real date, like 24/11/2026`)
      .transform((value, context) => {
        const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value)
        const british = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value)
        const [year, month, day] = iso
          ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
          : british
            ? [Number(british[3]), Number(british[2]), Number(british[1])]
            : [Number.NaN, Number.NaN, Number.NaN]
        const date = new Date(Date.UTC(year, month - 1, day))
        if (
          Number.isNaN(date.getTime()) ||
          date.getUTCFullYear() !== year ||
          date.getUTCMonth() !== month - 1 ||
          date.getUTCDate() !== day ||
          year < 2000 ||
          year > 2999
        ) {
          context.addIssue({ code: 'custom', message: `${label} must be a real date, like 24/11/2026` })
          return z.NEVER
        }
        return date.toISOString().slice(0, 10)
      })
      .optional(),
  )
}

export type UserCriterion = { kind: 'id'; id: string } | { kind: 'email'; email: string }

/** The audit trail search, from the query string. Anything malformed is shown as an error, not ignored. */
export const AuditSearchQuery = z
  .object({
    user: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'Enter the user’s email address, like name@example.com, or their user ID' })
        .trim()
        .max(254, 'User must be 254 characters or fewer')
        .transform((value, context): UserCriterion => {
          if (uuidPattern.test(value)) {
            return { kind: 'id', id: value.toLowerCase() }
          }
          if (z.email().safeParse(value).success) {
            return { kind: 'email', email: value }
          }
          context.addIssue({
            code: 'custom',
            message: 'Enter the user’s email address, like name@example.com, or their user ID',
          })
          return z.NEVER
        })
        .optional(),
    ),
    subject: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'Enter the subject ID' })
        .trim()
        .max(200, 'Subject ID must be 200 characters or fewer')
        .optional(),
    ),
    action: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'Enter an action name or the start of one, like user or user.disable' })
        .trim()
        .max(100, 'Action must be 100 characters or fewer')
        .transform(value => value.toLowerCase())
        .pipe(
          z
            .string()
            .regex(
              /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/,
              'Action must be an action name or the start of one, like user or user.disable',
            ),
        )
        .optional(),
    ),
    outcome: z.preprocess(
      blankToUndefined,
      z.enum(['allowed', 'denied', 'error'], { error: 'Select an outcome from the list' }).optional(),
    ),
    from: isoDate('Date from'),
    to: isoDate('Date to'),
    page: z.coerce.number().int().min(1).max(100_000).catch(1),
  })
  .superRefine((query, context) => {
    if (query.from && query.to && query.from > query.to) {
      context.addIssue({ code: 'custom', path: ['to'], message: 'Date to must be the same as or after date from' })
    }
  })

export type AuditSearchCriteria = z.output<typeof AuditSearchQuery>

/** The names of the criteria used (never their values: an email address is personal data). */
export function criteriaNames(query: AuditSearchCriteria): string[] {
  return (['user', 'subject', 'action', 'outcome', 'from', 'to'] as const).filter(name => query[name] !== undefined)
}
