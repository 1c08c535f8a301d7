import type { Config } from '../../config.js'
import type { DbOrTx } from '../../db/database.js'
import { recordAuditEvent, type AuditContext } from '../../platform/audit/audit.js'
import { Professions } from '../../platform/auth/permissions.js'
import { randomToken, sha256 } from '../../platform/crypto.js'
import { ConflictError, ValidationError } from '../../platform/errors.js'
import { queueMessage } from '../../platform/notifications/outbox.js'
import { insertAccountToken } from '../accounts/account-store.js'
import { emailInUse, insertStaffUser, roleExists, teamBelongsTo } from './user-store.js'

export interface StaffInvitation {
  email: string
  displayName: string
  roleCode: string
  profession: string | null
  organisationId: string
  teamId: string | null
}

export const invitationLifetimeDays = 7

/**
 * Creates a staff account without a password and queues an invitation email with a single-use link to set one.
 * Run inside the caller's transaction: the account, the token, the email and the audit event commit together.
 * Returns the new user's id and the link (shown once by the CLI, never stored).
 */
export async function inviteStaffUser(
  trx: DbOrTx,
  context: AuditContext,
  invitation: StaffInvitation,
  config: Config,
): Promise<{ userId: string; link: string }> {
  const role = await roleExists(trx, invitation.roleCode)
  if (!role?.staff) {
    throw new ValidationError(`Role ${invitation.roleCode} is not a staff role`)
  }
  if (
    invitation.roleCode === 'practitioner' &&
    (!invitation.profession || !Object.hasOwn(Professions, invitation.profession))
  ) {
    throw new ValidationError('A practitioner needs a profession: ' + Object.keys(Professions).join(', '))
  }
  if (invitation.teamId && !(await teamBelongsTo(trx, invitation.teamId, invitation.organisationId))) {
    throw new ValidationError('The team is not part of the organisation')
  }
  if (await emailInUse(trx, invitation.email)) {
    throw new ConflictError('There is already an account with this email address')
  }
  const userId = await insertStaffUser(trx, {
    ...invitation,
    profession: invitation.roleCode === 'practitioner' ? invitation.profession : null,
    laCode: config.authority.code,
  })
  const token = randomToken()
  await insertAccountToken(trx, {
    userId,
    purpose: 'invitation',
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + invitationLifetimeDays * 24 * 60 * 60 * 1000),
  })
  const link = `${config.publicBaseUrl}/invitation?token=${token}`
  await queueMessage(trx, 'staff-invitation', invitation.email, {
    name: invitation.displayName.split(' ')[0] ?? invitation.displayName,
    serviceName: config.serviceName,
    authority: config.authority.name,
    link,
  })
  await recordAuditEvent(trx, context, {
    action: 'user.invite',
    outcome: 'allowed',
    subject: { type: 'user', id: userId },
    details: { role: invitation.roleCode, organisationId: invitation.organisationId },
  })
  return { userId, link }
}
