import { z } from 'zod'
import type { OperatingStatus } from './directory-tables.js'
import type { ServiceTemplate } from './demo-templates.js'
import type { ServiceRecord } from './service-records.js'
import { Taxonomies, type TaxonomyIndex } from './taxonomy.js'
import { canonicalWhereAndWhen, whereAndWhenOf, type WhereAndWhen } from './where-and-when.js'

/**
 * The fields of a service that its managers edit through the directory pages. A version snapshot holds one of these;
 * a change awaiting approval is one of these, applied to the service when approved.
 */
export interface ServiceDraft {
  name: string
  summary: string | null
  description: string
  categoryCodes: string[]
  deliveryCodes: string[]
  forPregnancy: boolean
  pregnancyFromWeek: number | null
  pregnancyToWeek: number | null
  forChildren: boolean
  childMinMonths: number | null
  childMaxMonths: number | null
  whoCanAttend: string | null
  howToAccess: string | null
  isFree: boolean
  costAmount: number | null
  costDescription: string | null
  languageCodes: string[]
  phone: string | null
  email: string | null
  url: string | null
  operatingStatus: OperatingStatus
  alert: string | null
  /**
   * Venues and times (ADR 0009). Absent in snapshots written before it existed, and in drafts from the details form:
   * absent means "unchanged", so applying such a draft leaves the venues and times as they are.
   */
  whereAndWhen?: WhereAndWhen
}

export const draftFieldLabels: Record<keyof ServiceDraft, string> = {
  name: 'Name',
  summary: 'Summary',
  description: 'Description',
  categoryCodes: 'Categories',
  deliveryCodes: 'How it is delivered',
  forPregnancy: 'For pregnancy',
  pregnancyFromWeek: 'From week of pregnancy',
  pregnancyToWeek: 'To week of pregnancy',
  forChildren: 'For children',
  childMinMonths: 'Youngest age',
  childMaxMonths: 'Oldest age',
  whoCanAttend: 'Who can attend',
  howToAccess: 'How to use the service',
  isFree: 'Free',
  costAmount: 'Cost',
  costDescription: 'What the cost is for',
  languageCodes: 'Languages',
  phone: 'Phone',
  email: 'Email',
  url: 'Website',
  operatingStatus: 'Status',
  alert: 'Notice for families',
  whereAndWhen: 'Venues and times',
}

export const languageOptions = [
  { code: 'en', name: 'English' },
  { code: 'cy', name: 'Welsh' },
  { code: 'pl', name: 'Polish' },
  { code: 'ur', name: 'Urdu' },
  { code: 'bn', name: 'Bengali' },
  { code: 'ar', name: 'Arabic' },
  { code: 'ro', name: 'Romanian' },
  { code: 'pa', name: 'Punjabi' },
  { code: 'so', name: 'Somali' },
  { code: 'bfi', name: 'British Sign Language' },
] as const

export function languageName(code: string): string {
  return languageOptions.find(option => option.code === code)?.name ?? code
}

export function draftOfTemplate(template: ServiceTemplate, name: string): ServiceDraft {
  return {
    name,
    summary: template.summary,
    description: template.description,
    categoryCodes: template.startForLife,
    deliveryCodes: template.delivery,
    forPregnancy: template.pregnancy !== undefined,
    pregnancyFromWeek: template.pregnancy?.[0] ?? null,
    pregnancyToWeek: template.pregnancy?.[1] ?? null,
    forChildren: template.child !== undefined,
    childMinMonths: template.child?.[0] ?? null,
    childMaxMonths: template.child?.[1] ?? null,
    whoCanAttend: template.who ?? null,
    howToAccess: template.how,
    isFree: template.cost === undefined,
    costAmount: template.cost?.amount ?? null,
    costDescription: template.cost?.description ?? null,
    languageCodes: ['en'],
    phone: null,
    email: null,
    url: null,
    operatingStatus: 'active',
    alert: null,
  }
}

export function draftOfService(service: ServiceRecord): ServiceDraft {
  const paid = service.costOptions.find(cost => cost.amount !== null && cost.amount > 0)
  const phone = service.phones[0] ?? service.contacts.flatMap(contact => contact.phones)[0]
  return {
    name: service.name,
    summary: service.summary,
    description: service.description,
    categoryCodes: service.terms.filter(term => term.taxonomyCode === Taxonomies.startForLife).map(term => term.code),
    deliveryCodes: service.terms.filter(term => term.taxonomyCode === Taxonomies.delivery).map(term => term.code),
    forPregnancy: service.forPregnancy,
    pregnancyFromWeek: service.pregnancyFromWeek,
    pregnancyToWeek: service.pregnancyToWeek,
    forChildren: service.forChildren,
    childMinMonths: service.childMinMonths,
    childMaxMonths: service.childMaxMonths,
    whoCanAttend: service.whoCanAttend,
    howToAccess: service.howToAccess,
    isFree: service.isFree,
    costAmount: paid?.amount ?? null,
    costDescription: paid?.amountDescription ?? null,
    languageCodes: service.languages.map(language => language.code),
    phone: phone?.number ?? null,
    email: service.email,
    url: service.url,
    operatingStatus: service.operatingStatus,
    alert: service.alert,
    whereAndWhen: whereAndWhenOf(service),
  }
}

/**
 * The version managers work on: the change waiting for approval if there is one (with the live venues and times if
 * it was written before they were part of a draft), else the live service.
 */
export function workingDraft(live: ServiceDraft, pendingSnapshot: Record<string, unknown> | undefined): ServiceDraft {
  if (!pendingSnapshot) {
    return live
  }
  const proposed = pendingSnapshot as unknown as ServiceDraft
  return { ...proposed, whereAndWhen: proposed.whereAndWhen ?? live.whereAndWhen }
}

/** Names of the fields that differ between two drafts. */
export function changedFields(before: ServiceDraft | undefined, after: ServiceDraft): (keyof ServiceDraft)[] {
  const keys = Object.keys(draftFieldLabels) as (keyof ServiceDraft)[]
  if (!before) {
    return []
  }
  return keys.filter(key => {
    if (key === 'whereAndWhen') {
      return (
        before.whereAndWhen !== undefined &&
        after.whereAndWhen !== undefined &&
        canonicalWhereAndWhen(before.whereAndWhen) !== canonicalWhereAndWhen(after.whereAndWhen)
      )
    }
    const a = before[key]
    const b = after[key]
    if (Array.isArray(a) && Array.isArray(b)) {
      return [...a].sort().join(',') !== [...b].sort().join(',')
    }
    return a !== b
  })
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .optional()
    .transform(value => (value ?? '').trim())
    .pipe(z.string().max(max, `${label} must be ${String(max)} characters or fewer`))
    .transform(value => (value === '' ? null : value))

const checkboxes = z.preprocess(
  (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value]),
  z.array(z.string()),
)

const wholeNumber = (label: string, min: number, max: number, unit: string) =>
  z
    .string()
    .optional()
    .transform(value => (value ?? '').trim())
    .pipe(
      z.union([
        z.literal(''),
        z
          .string()
          .regex(/^\d+$/, `${label} must be a whole number`)
          .refine(
            value => Number(value) >= min && Number(value) <= max,
            `${label} must be between ${String(min)} and ${String(max)} ${unit}`,
          ),
      ]),
    )
    .transform(value => (value === '' ? null : Number(value)))

/** The service form (zod), in the order the fields appear on the page; cross-field rules afterwards. */
export function serviceFormSchema(index: TaxonomyIndex) {
  const categoryCodes = new Set(index.termsOf(Taxonomies.startForLife).map(term => term.code))
  const deliveryCodes = new Set(index.termsOf(Taxonomies.delivery).map(term => term.code))
  const languageCodes = new Set<string>(languageOptions.map(option => option.code))
  return z
    .object({
      name: z
        .string({ error: 'Enter the name of the service' })
        .trim()
        .min(1, 'Enter the name of the service')
        .max(120, 'Name must be 120 characters or fewer'),
      summary: z
        .string({ error: 'Enter a one-sentence summary' })
        .trim()
        .min(1, 'Enter a one-sentence summary')
        .max(300, 'Summary must be 300 characters or fewer'),
      description: z
        .string({ error: 'Describe the service' })
        .trim()
        .min(1, 'Describe the service')
        .max(5000, 'Description must be 5000 characters or fewer'),
      categoryCodes: checkboxes.pipe(
        z
          .array(z.string().refine(code => categoryCodes.has(code), 'Choose a category from the list'))
          .min(1, 'Choose at least one category'),
      ),
      deliveryCodes: checkboxes.pipe(
        z
          .array(
            z.string().refine(code => deliveryCodes.has(code), 'Choose how the service is delivered from the list'),
          )
          .min(1, 'Choose how the service is delivered'),
      ),
      audience: checkboxes.pipe(
        z
          .array(z.enum(['pregnancy', 'children'], { error: 'Choose who the service is for' }))
          .min(1, 'Choose who the service is for: pregnancy, children or both'),
      ),
      pregnancyFromWeek: wholeNumber('The first week of pregnancy', 0, 42, 'weeks'),
      pregnancyToWeek: wholeNumber('The last week of pregnancy', 0, 42, 'weeks'),
      childMinMonths: wholeNumber('The youngest age', 0, 300, 'months'),
      childMaxMonths: wholeNumber('The oldest age', 0, 300, 'months'),
      whoCanAttend: optionalText(300, 'Who can attend'),
      howToAccess: optionalText(500, 'How to use the service'),
      cost: z.enum(['free', 'paid'], { error: 'Choose whether the service is free' }),
      costAmount: z
        .string()
        .optional()
        .transform(value => (value ?? '').trim().replace(/^£/, ''))
        .pipe(
          z.union([
            z.literal(''),
            z
              .string()
              .regex(/^\d+(\.\d{1,2})?$/, 'Enter the cost in pounds, like 2.50')
              .refine(
                value => Number(value) > 0 && Number(value) <= 10_000,
                'The cost must be more than £0 and no more than £10,000',
              ),
          ]),
        )
        .transform(value => (value === '' ? null : Number(value))),
      costDescription: optionalText(100, 'What the cost is for'),
      languageCodes: checkboxes.pipe(
        z.array(z.string().refine(code => languageCodes.has(code), 'Choose a language from the list')),
      ),
      phone: optionalText(30, 'Phone number').pipe(
        z
          .string()
          .regex(/^\+?[0-9 ()-]{10,20}$/, 'Enter a phone number, like 01632 960 001')
          .nullable(),
      ),
      email: optionalText(254, 'Email address').pipe(
        z.email({ error: 'Enter an email address in the correct format, like name@example.com' }).nullable(),
      ),
      url: optionalText(500, 'Website').pipe(
        z
          .string()
          .regex(/^https?:\/\/[^\s]+\.[^\s]+$/, 'Enter a website address that starts with https://')
          .nullable(),
      ),
      operatingStatus: z.enum(['active', 'temporarily closed'], { error: 'Choose whether the service is running' }),
      alert: optionalText(300, 'Notice for families'),
    })
    .superRefine((form, ctx) => {
      if (form.cost === 'paid' && form.costAmount === null) {
        ctx.addIssue({ code: 'custom', path: ['costAmount'], message: 'Enter the cost' })
      }
      if (
        form.pregnancyFromWeek !== null &&
        form.pregnancyToWeek !== null &&
        form.pregnancyFromWeek > form.pregnancyToWeek
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['pregnancyToWeek'],
          message: 'The last week of pregnancy must be the same as or after the first',
        })
      }
      if (form.childMinMonths !== null && form.childMaxMonths !== null && form.childMinMonths > form.childMaxMonths) {
        ctx.addIssue({
          code: 'custom',
          path: ['childMaxMonths'],
          message: 'The oldest age must be the same as or more than the youngest age',
        })
      }
    })
    .transform((form): ServiceDraft => ({
      name: form.name,
      summary: form.summary,
      description: form.description,
      categoryCodes: [...new Set(form.categoryCodes)],
      deliveryCodes: [...new Set(form.deliveryCodes)],
      forPregnancy: form.audience.includes('pregnancy'),
      pregnancyFromWeek: form.audience.includes('pregnancy') ? form.pregnancyFromWeek : null,
      pregnancyToWeek: form.audience.includes('pregnancy') ? form.pregnancyToWeek : null,
      forChildren: form.audience.includes('children'),
      childMinMonths: form.audience.includes('children') ? form.childMinMonths : null,
      childMaxMonths: form.audience.includes('children') ? form.childMaxMonths : null,
      whoCanAttend: form.whoCanAttend,
      howToAccess: form.howToAccess,
      isFree: form.cost === 'free',
      costAmount: form.cost === 'paid' ? form.costAmount : null,
      costDescription: form.cost === 'paid' ? form.costDescription : null,
      languageCodes: [...new Set(form.languageCodes)],
      phone: form.phone,
      email: form.email,
      url: form.url,
      operatingStatus: form.operatingStatus,
      alert: form.alert,
    }))
}

/** Form values (strings) for a draft, to fill the form when editing. */
export function formValuesOf(draft: ServiceDraft): Record<string, string | string[]> {
  return {
    name: draft.name,
    summary: draft.summary ?? '',
    description: draft.description,
    categoryCodes: draft.categoryCodes,
    deliveryCodes: draft.deliveryCodes,
    audience: [...(draft.forPregnancy ? ['pregnancy'] : []), ...(draft.forChildren ? ['children'] : [])],
    pregnancyFromWeek: draft.pregnancyFromWeek?.toString() ?? '',
    pregnancyToWeek: draft.pregnancyToWeek?.toString() ?? '',
    childMinMonths: draft.childMinMonths?.toString() ?? '',
    childMaxMonths: draft.childMaxMonths?.toString() ?? '',
    whoCanAttend: draft.whoCanAttend ?? '',
    howToAccess: draft.howToAccess ?? '',
    cost: draft.isFree ? 'free' : 'paid',
    costAmount: draft.costAmount?.toString() ?? '',
    costDescription: draft.costDescription ?? '',
    languageCodes: draft.languageCodes,
    phone: draft.phone ?? '',
    email: draft.email ?? '',
    url: draft.url ?? '',
    operatingStatus: draft.operatingStatus === 'temporarily closed' ? 'temporarily closed' : 'active',
    alert: draft.alert ?? '',
  }
}
