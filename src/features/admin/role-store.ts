import type { DbOrTx } from '../../db/database.js'
import type { RoleSummary } from './user-store.js'

export interface RoleWithPermissions extends RoleSummary {
  permissions: string[]
}

export async function listRolesWithPermissions(db: DbOrTx): Promise<RoleWithPermissions[]> {
  const roles = await db
    .selectFrom('roles')
    .select(['code', 'name', 'description', 'staff'])
    .orderBy('staff')
    .orderBy('name')
    .execute()
  const grants = await db
    .selectFrom('role_permissions')
    .select(['role_code', 'permission'])
    .orderBy('permission')
    .execute()
  return roles.map(role => ({
    ...role,
    permissions: grants.filter(grant => grant.role_code === role.code).map(grant => grant.permission),
  }))
}

export async function findRole(db: DbOrTx, code: string): Promise<RoleWithPermissions | undefined> {
  const role = await db
    .selectFrom('roles')
    .select(['code', 'name', 'description', 'staff'])
    .where('code', '=', code)
    .executeTakeFirst()
  if (!role) {
    return undefined
  }
  return { ...role, permissions: await rolePermissions(db, code) }
}

async function rolePermissions(db: DbOrTx, code: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_permissions')
    .select('permission')
    .where('role_code', '=', code)
    .orderBy('permission')
    .execute()
  return rows.map(row => row.permission)
}

/**
 * The permissions a role holds, with the role locked until the transaction ends, so that two administrators saving
 * the same role one after the other each see what the other saved. Undefined if there is no such role.
 */
export async function lockRolePermissions(db: DbOrTx, code: string): Promise<string[] | undefined> {
  const role = await db.selectFrom('roles').select('code').where('code', '=', code).forUpdate().executeTakeFirst()
  return role ? rolePermissions(db, code) : undefined
}

export async function grantPermissions(db: DbOrTx, code: string, permissions: string[]): Promise<void> {
  if (permissions.length > 0) {
    await db
      .insertInto('role_permissions')
      .values(permissions.map(permission => ({ role_code: code, permission })))
      .onConflict(conflict => conflict.doNothing())
      .execute()
  }
}

export async function revokePermissions(db: DbOrTx, code: string, permissions: string[]): Promise<void> {
  if (permissions.length > 0) {
    await db
      .deleteFrom('role_permissions')
      .where('role_code', '=', code)
      .where('permission', 'in', permissions)
      .execute()
  }
}
