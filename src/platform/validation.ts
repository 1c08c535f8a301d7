import type { z } from 'zod'

export interface FieldError {
  text: string
}
export interface FormErrors {
  /** Items for govukErrorSummary, in the order the fields appear. */
  summary: { text: string; href: string }[]
  /** Field name → inline error for the field's macro (errorMessage). */
  fields: Record<string, FieldError>
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors }

/**
 * Parses a form body with a zod schema. On failure, returns the GOV.UK error summary and inline messages, one per
 * field (the first problem found), keyed so templates can show them beside the field the user typed in.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {})
  if (result.success) {
    return { ok: true, value: result.data }
  }
  const errors: FormErrors = { summary: [], fields: {} }
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'form'
    if (errors.fields[field]) {
      continue
    }
    errors.fields[field] = { text: issue.message }
    errors.summary.push({ text: issue.message, href: `#${field}` })
  }
  return { ok: false, errors }
}

/** A single error for a field, for rules checked after parsing (wrong password, code already used). */
export function formError(field: string, text: string): FormErrors {
  return { summary: [{ text, href: `#${field}` }], fields: { [field]: { text } } }
}

/** Values echoed back into a form after an error: strings only, secrets removed. */
export function formValues(body: unknown, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {}
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string' && !omit.includes(key) && key !== '_csrf') {
        values[key] = value.slice(0, 2000)
      }
    }
  }
  return values
}
