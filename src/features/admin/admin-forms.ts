import { z } from 'zod'
import { allPermissions, allRoles, isPermission, Professions, Roles } from '../../platform/auth/permissions.js'
import type { FormErrors } from '../../platform/validation.js'

/** The kinds of organisation the database allows, with the words shown to people. */
export const organisationKinds = {
  local_authority: 'Local authority',
  nhs_trust: 'NHS trust',
  gp_practice: 'GP practice',
  school_nursery: 'School or nursery',
  voluntary_organisation: 'Voluntary or community organisation',
} as const
export type OrganisationKind = keyof typeof organisationKinds
const kindCodes = Object.keys(organisationKinds) as [OrganisationKind, ...OrganisationKind[]]

export const userStatuses = {
  active: 'Active',
  invited: 'Invited',
  disabled: 'Disabled',
  locked: 'Locked',
} as const
const statusCodes = Object.keys(userStatuses) as [keyof typeof userStatuses, ...(keyof typeof userStatuses)[]]

export const staffRoles = allRoles.filter(role => role !== Roles.Parent)
type StaffRole = (typeof staffRoles)[number]
const staffRoleCodes = staffRoles as [StaffRole, ...StaffRole[]]
const professionCodes = Object.keys(Professions) as [keyof typeof Professions, ...(keyof typeof Professions)[]]

export const pageSize = 50

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value)
}

/** '' (an empty text box or the "choose" option of a select) means the field was not filled in. */
function blankToUndefined(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value
}

const email = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }))

export const OrganisationForm = z.object({
  name: z
    .string({ error: 'Enter the name of the organisation' })
    .trim()
    .min(1, 'Enter the name of the organisation')
    .min(2, 'Name must be 2 characters or more')
    .max(200, 'Name must be 200 characters or fewer'),
  kind: z.enum(kindCodes, { error: 'Select the kind of organisation' }),
  odsCode: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(10, 'ODS code must be 10 characters or fewer')
      .regex(/^[A-Za-z0-9]{3,10}$/, 'ODS code must be 3 to 10 letters and numbers, like RX1 or A81001')
      .transform(value => value.toUpperCase())
      .optional(),
  ),
})

export const TeamForm = z.object({
  name: z
    .string({ error: 'Enter the name of the team' })
    .trim()
    .min(1, 'Enter the name of the team')
    .min(2, 'Name must be 2 characters or more')
    .max(200, 'Name must be 200 characters or fewer'),
})

/** The filter on the users page. Anything unrecognised is a problem to show, not something to ignore silently. */
export const UserFilterQuery = z.object({
  q: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'Enter the name or email address to search for' })
      .trim()
      .max(200, 'Search text must be 200 characters or fewer')
      .optional(),
  ),
  role: z.preprocess(
    blankToUndefined,
    z.enum(allRoles as [string, ...string[]], { error: 'Select a role from the list' }).optional(),
  ),
  organisation: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'Select an organisation from the list' })
      .regex(uuidPattern, 'Select an organisation from the list')
      .optional(),
  ),
  status: z.preprocess(blankToUndefined, z.enum(statusCodes, { error: 'Select a status from the list' }).optional()),
  page: pageNumber(),
})

/** A page number from the query string; anything odd means the first page. */
export function pageNumber() {
  return z.coerce.number().int().min(1).max(100_000).catch(1)
}

const roleAndProfession = {
  roleCode: z.enum(staffRoleCodes, { error: 'Select a role' }),
  profession: z.preprocess(blankToUndefined, z.enum(professionCodes, { error: 'Select a profession' }).optional()),
}

function professionNeededForPractitioners(
  form: { roleCode: string; profession?: string | undefined },
  context: z.RefinementCtx,
) {
  if (form.roleCode === Roles.Practitioner && !form.profession) {
    context.addIssue({ code: 'custom', path: ['profession'], message: 'Select the practitioner’s profession' })
  }
}

export const InviteForm = z
  .object({
    displayName: z
      .string({ error: 'Enter the person’s name' })
      .trim()
      .min(1, 'Enter the person’s name')
      .max(200, 'Name must be 200 characters or fewer'),
    email,
    ...roleAndProfession,
    organisationId: z.string({ error: 'Select an organisation' }).regex(uuidPattern, 'Select an organisation'),
    teamId: z.preprocess(
      blankToUndefined,
      z.string({ error: 'Select a team from the list' }).regex(uuidPattern, 'Select a team from the list').optional(),
    ),
  })
  .superRefine(professionNeededForPractitioners)

export const ChangeRoleForm = z.object(roleAndProfession).superRefine(professionNeededForPractitioners)

/** The checked boxes: none (field absent), one (a string) or several (an array). */
export const RolePermissionsForm = z.object({
  permissions: z.preprocess(
    (value): unknown[] => (value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value]),
    z
      .array(
        z
          .string({ error: 'Select permissions from the list' })
          .refine(isPermission, 'Select permissions from the list'),
        {
          error: 'Select permissions from the list',
        },
      )
      .max(allPermissions.length, 'Select permissions from the list')
      .transform(values => [...new Set(values)]),
  ),
})

/** Role codes look like system_admin. */
export function isRoleCode(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z_]{0,49}$/.test(value)
}

/** Puts the error summary in the order the fields are on the page (checks across fields are reported last). */
export function inFieldOrder(errors: FormErrors, fields: readonly string[]): FormErrors {
  const position = (href: string) => {
    const index = fields.indexOf(href.replace(/^#/, ''))
    return index === -1 ? fields.length : index
  }
  return { ...errors, summary: [...errors.summary].sort((a, b) => position(a.href) - position(b.href)) }
}

export const inviteFields = ['displayName', 'email', 'roleCode', 'profession', 'organisationId', 'teamId'] as const
export const roleFields = ['roleCode', 'profession'] as const
