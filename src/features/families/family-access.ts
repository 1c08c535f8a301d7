import type { FastifyRequest } from 'fastify'
import type { Db, DbOrTx, Tx } from '../../db/database.js'
import { recordAuditEvent, type AuditContext, type AuditEventInput } from '../../platform/audit/audit.js'
import type { Permission } from '../../platform/auth/permissions.js'
import { ForbiddenError, NotFoundError } from '../../platform/errors.js'
import { familyExists, findActiveCareRelationship, isFamilyMember } from './family-store.js'

/**
 * Relationship-based access to a family's record (security.md §2.2): a member of staff needs the role permission
 * AND an active care relationship (held by them or their team); a parent or carer needs `own-family.read` and to be
 * linked to a member of the family. Every decision, allowed or refused, is written to the audit trail.
 */

/** Why the record is being opened (security.md §2.3). Recorded as the audit event's purpose. */
export type FamilyAccessPurpose =
  'direct_support' | 'triage' | 'taf_sharing' | 'safeguarding' | 'account_linking' | 'own_family'

export type FamilyPermission = 'family-record.read' | 'family-record.update'

/** Who is asking: the signed-in user, their permissions and the request's audit context. */
export interface FamilyAccessor {
  context: AuditContext
  user: { id: string; teamId: string | null; personId: string | null }
  permissions: ReadonlySet<Permission>
}

export type FamilyAccessBasis =
  | { type: 'care_relationship'; relationshipId: string; relationshipKind: string; holder: 'user' | 'team' }
  | { type: 'family_member'; personId: string }

/** Proof that access was granted and audited, with the basis it was granted on. */
export interface FamilyAccessGrant {
  familyId: string
  permission: FamilyPermission
  purpose: FamilyAccessPurpose
  basis: FamilyAccessBasis
}

export interface FamilyAccessOptions {
  /** The audit action to record instead of the permission (e.g. `family-link-code.create`). */
  action?: string
  /** Extra curated details for the audit event (ids, counts; never a copy of the record). */
  details?: AuditEventInput['details']
}

export const noRelationshipMessage = 'You do not have a care relationship with this family'
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The accessor of a signed-in request. Call after the route's access check. */
export function familyAccessorOf(request: FastifyRequest): FamilyAccessor {
  const session = request.activeUser()
  return {
    context: request.auditContext(),
    user: { id: session.user.id, teamId: session.user.teamId, personId: session.user.personId },
    permissions: session.permissions,
  }
}

/**
 * Checks whether the accessor may read or update the family's record, and writes the audit event (allowed or
 * denied) in `trx`. Returns the grant, or throws a ForbiddenError (no role permission; no active relationship) or a
 * NotFoundError (unknown or malformed id; a parent asking for a family that is not theirs): the refusal is audited
 * first, and the error's message is safe to show.
 *
 * The denial event is written in `trx`: if the caller lets the error escape its transaction, the event is rolled
 * back with it. Use {@link withFamilyAccess}, which commits the denial before rethrowing, unless you commit the
 * transaction yourself.
 */
export async function authoriseFamilyAccess(
  trx: DbOrTx,
  accessor: FamilyAccessor,
  familyId: string,
  permission: FamilyPermission,
  purpose: FamilyAccessPurpose,
  options: FamilyAccessOptions = {},
): Promise<FamilyAccessGrant> {
  const byRole = accessor.permissions.has(permission)
  const asParent = !byRole && permission === 'family-record.read' && accessor.permissions.has('own-family.read')
  // A parent reading their own family is recorded as own-family.read, whether allowed or refused.
  const action = options.action ?? (asParent ? 'own-family.read' : permission)
  const refuse = async (reason: string, shown: ForbiddenError | NotFoundError, subject = true): Promise<never> => {
    await recordAuditEvent(trx, accessor.context, {
      action,
      outcome: 'denied',
      purpose,
      reason,
      ...(subject ? { subject: { type: 'family', id: familyId } } : {}),
      details: { ...options.details, permission },
    })
    throw shown
  }

  if (!uuidPattern.test(familyId)) {
    // Not a family id at all: nothing is looked up, and the input is not copied into the audit trail.
    return refuse('malformed family id', new NotFoundError('Page not found'), false)
  }
  if (asParent && accessor.user.personId === null) {
    // A parent whose account is not linked yet has no family; they are not told whether this one exists.
    return refuse('account not linked to a person', new NotFoundError('Page not found'))
  }
  if (!byRole && !asParent) {
    // Refused before looking the family up, so that a role without the permission cannot probe which ids exist.
    return refuse('role lacks permission', new ForbiddenError(''))
  }
  if (!(await familyExists(trx, familyId))) {
    return refuse('unknown family', new NotFoundError('Page not found'))
  }

  let basis: FamilyAccessBasis
  if (byRole) {
    const relationship = await findActiveCareRelationship(trx, familyId, {
      userId: accessor.user.id,
      teamId: accessor.user.teamId,
    })
    if (!relationship) {
      return refuse('no active care relationship', new ForbiddenError(noRelationshipMessage))
    }
    basis = {
      type: 'care_relationship',
      relationshipId: relationship.id,
      relationshipKind: relationship.kind,
      holder: relationship.holder,
    }
  } else {
    const personId = accessor.user.personId ?? ''
    if (!(await isFamilyMember(trx, familyId, personId))) {
      // A parent is not told whether someone else's family exists.
      return refuse('not a member of this family', new NotFoundError('Page not found'))
    }
    basis = { type: 'family_member', personId }
  }

  await recordAuditEvent(trx, accessor.context, {
    action,
    outcome: 'allowed',
    subject: { type: 'family', id: familyId },
    purpose,
    details: { ...options.details, permission, ...basisDetails(basis) },
  })
  return { familyId, permission, purpose, basis }
}

function basisDetails(basis: FamilyAccessBasis): Record<string, string> {
  return basis.type === 'care_relationship'
    ? {
        basis: basis.type,
        relationshipId: basis.relationshipId,
        relationshipKind: basis.relationshipKind,
        holder: basis.holder,
      }
    : { basis: basis.type, personId: basis.personId }
}

/**
 * Opens a transaction, authorises and audits the access, then runs `work` in the same transaction: the read or
 * change is committed if and only if its audit event is. A refusal is committed (so its audit event is kept)
 * before the ForbiddenError or NotFoundError is thrown to the route's error handler.
 */
export async function withFamilyAccess<T>(
  db: Db,
  accessor: FamilyAccessor,
  access: { familyId: string; permission: FamilyPermission; purpose: FamilyAccessPurpose } & FamilyAccessOptions,
  work: (trx: Tx, grant: FamilyAccessGrant) => Promise<T>,
): Promise<T> {
  const { familyId, permission, purpose, ...options } = access
  const outcome = await db.transaction().execute(async trx => {
    let grant: FamilyAccessGrant
    try {
      grant = await authoriseFamilyAccess(trx, accessor, familyId, permission, purpose, options)
    } catch (error) {
      if (error instanceof ForbiddenError || error instanceof NotFoundError) {
        return { ok: false as const, refused: error }
      }
      throw error
    }
    return { ok: true as const, value: await work(trx, grant) }
  })
  if (!outcome.ok) {
    throw outcome.refused
  }
  return outcome.value
}
