import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { can } from '../../platform/auth/access.js'
import { allPermissions, permissions, Roles, type Permission } from '../../platform/auth/permissions.js'
import { NotFoundError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { parseForm, type FormErrors } from '../../platform/validation.js'
import { isRoleCode, RolePermissionsForm } from './admin-forms.js'
import {
  findRole,
  grantPermissions,
  listRolesWithPermissions,
  lockRolePermissions,
  revokePermissions,
  type RoleWithPermissions,
} from './role-store.js'

const views = 'features/admin/views'

/**
 * Permissions the system administrator role must keep, or no one could manage users or roles again: the two to
 * change things, and the two to reach the pages that change them.
 */
export const lockoutPermissions: Partial<Record<string, Permission[]>> = {
  [Roles.SystemAdmin]: ['role.manage', 'user.manage', 'role.read', 'user.read'],
}

/** A parent or carer's account is outside the organisation: it can never hold a staff permission. */
export const parentPermissions: readonly Permission[] = ['home.read', 'account.manage', 'own-family.read']

/** The submitted checkboxes, to tick them again when the form is shown with an error. */
function submittedPermissions(body: unknown): string[] {
  const value = (body as Record<string, unknown> | undefined)?.permissions
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return list.filter((item): item is string => typeof item === 'string')
}

/** Roles and the permissions each holds; a system administrator can change the grants. */
export function registerRoleRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  async function loadRole(request: FastifyRequest): Promise<RoleWithPermissions> {
    const roleCode = (request.params as Record<string, unknown>).roleCode
    const role = isRoleCode(roleCode) ? await findRole(db, roleCode) : undefined
    if (!role) {
      throw new NotFoundError('No such role')
    }
    return role
  }

  function rolePage(
    request: FastifyRequest,
    reply: FastifyReply,
    role: RoleWithPermissions,
    extra: Record<string, unknown> = {},
  ) {
    return reply.page(`${views}/role.njk`, {
      title: role.name,
      role,
      catalogue: allPermissions.map(name => ({ name, description: permissions[name] })),
      checked: role.permissions,
      canManage: can(request, 'role.manage'),
      ...extra,
    })
  }

  app.get('/admin/roles', { config: { access: { permission: 'role.read' } } }, async (_request, reply) =>
    reply.page(`${views}/roles.njk`, {
      title: 'Roles',
      roles: await listRolesWithPermissions(db),
    }),
  )

  app.get('/admin/roles/:roleCode', { config: { access: { permission: 'role.read' } } }, async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done
    return rolePage(request, reply, await loadRole(request), {
      flash: done === 'saved' || done === 'unchanged' ? done : undefined,
    })
  })

  app.post('/admin/roles/:roleCode', { config: { access: { permission: 'role.manage' } } }, async (request, reply) => {
    const role = await loadRole(request)
    const refuse = (errors: FormErrors) => {
      reply.code(400)
      return rolePage(request, reply, role, { errors, checked: submittedPermissions(request.body) })
    }
    const form = parseForm(RolePermissionsForm, request.body)
    if (!form.ok) {
      return refuse(form.errors)
    }
    const wanted = form.value.permissions
    const notForParents = role.code === Roles.Parent ? wanted.filter(name => !parentPermissions.includes(name)) : []
    if (notForParents.length > 0) {
      await recordAuditEvent(db, request.auditContext(), {
        action: 'role.permissions-change',
        outcome: 'denied',
        subject: { type: 'role', id: role.code },
        reason: 'staff permission offered to the parent role',
        details: { added: notForParents },
      })
      const text = `A parent or carer can hold only these permissions: ${parentPermissions.join(', ')}`
      return refuse({ summary: [{ text, href: '#permissions' }], fields: { permissions: { text } } })
    }
    type Outcome = { refused: Permission[] } | { refused: undefined; changed: boolean }
    const outcome = await db.transaction().execute(async (trx): Promise<Outcome> => {
      const held = (await lockRolePermissions(trx, role.code)) ?? []
      const added = wanted.filter(name => !held.includes(name)).sort()
      // Grants of names no longer in the catalogue are left alone: the form cannot show them.
      const removed = held
        .filter(
          (name): name is Permission =>
            allPermissions.includes(name as Permission) && !wanted.includes(name as Permission),
        )
        .sort()
      const kept = lockoutPermissions[role.code]?.filter(name => removed.includes(name)) ?? []
      if (kept.length > 0) {
        await recordAuditEvent(trx, request.auditContext(), {
          action: 'role.permissions-change',
          outcome: 'denied',
          subject: { type: 'role', id: role.code },
          reason: 'would remove a permission the system administrator role must keep',
          details: { added, removed },
        })
        return { refused: kept }
      }
      if (added.length === 0 && removed.length === 0) {
        return { refused: undefined, changed: false }
      }
      await grantPermissions(trx, role.code, added)
      await revokePermissions(trx, role.code, removed)
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'role.permissions-change',
        outcome: 'allowed',
        subject: { type: 'role', id: role.code },
        details: { added, removed },
      })
      return { refused: undefined, changed: true }
    })
    if (outcome.refused) {
      const names = outcome.refused
      const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}` : (names[0] ?? '')
      const text = `${role.name} must keep ${list}, or no one could manage users and roles`
      return refuse({ summary: [{ text, href: '#permissions' }], fields: { permissions: { text } } })
    }
    return reply.redirect(`/admin/roles/${role.code}?done=${outcome.changed ? 'saved' : 'unchanged'}`, 303)
  })
}
