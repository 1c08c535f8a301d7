/**
 * The permission catalogue: every permission a route or a feature function may ask for, named resource.action.
 * Which role holds which permission is data (table role_permissions), changed by a system administrator.
 */
export const permissions = {
  'home.read': 'See the home page for their role',
  'account.manage': 'Change their own password and two-factor authentication',
  'organisation.read': 'See organisations and teams',
  'organisation.manage': 'Add and change organisations and teams',
  'user.read': 'See user accounts',
  'user.manage': 'Invite users, disable them and reset their two-factor authentication',
  'role.read': 'See roles and the permissions they hold',
  'role.manage': 'Change the permissions a role holds',
  'audit.read': 'Search the audit trail',
  'audit.export': 'Export the audit trail as CSV',
  'outbox.read': 'See messages the service has sent or queued',
  'family-record.read': 'Open a family record they have a care relationship with',
  'family-record.update': 'Change a family record they have a care relationship with',
  'family-link-code.create': 'Give a parent or carer a code to link their account to their family record',
  'own-family.read': 'See their own family record (parents and carers)',
  'caseload.read': 'See their caseload',
  'team-caseload.read': 'See the caseload of their team',
  'front-door.triage': 'Triage requests for support at the front door',
  'directory.manage': 'Edit their organisation’s entries in the service directory',
  'directory.approve': 'Approve and publish service directory entries',
  'indicator.read': 'See outcome indicators and reports',
} as const

export type Permission = keyof typeof permissions

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissions, value)
}

export const allPermissions = Object.keys(permissions) as Permission[]

/**
 * Who may reach a route: anyone, anyone signed in, holders of a permission, or holders of any of several permissions.
 */
export type RouteAccess =
  | { public: true }
  | { signedIn: true }
  | { permission: Permission }
  | { anyPermission: readonly [Permission, ...Permission[]] }

/** The permissions that satisfy an access rule (empty for public and signed-in rules). */
export function permissionsOf(access: RouteAccess): readonly Permission[] {
  if ('permission' in access) {
    return [access.permission]
  }
  if ('anyPermission' in access) {
    return access.anyPermission
  }
  return []
}

export const Roles = {
  Parent: 'parent',
  Practitioner: 'practitioner',
  FrontDoorOfficer: 'front_door_officer',
  TeamManager: 'team_manager',
  ServiceManager: 'service_manager',
  DirectoryAdmin: 'directory_admin',
  Analyst: 'analyst',
  IgOfficer: 'ig_officer',
  SystemAdmin: 'system_admin',
} as const
export type RoleCode = (typeof Roles)[keyof typeof Roles]
export const allRoles = Object.values(Roles)

export const Professions = {
  health_visitor: 'Health visitor',
  midwife: 'Midwife',
  family_support_worker: 'Family support worker',
  early_years_practitioner: 'Early years practitioner',
  social_worker: 'Social worker',
} as const
export type Profession = keyof typeof Professions
