import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { can } from '../../platform/auth/access.js'
import { Professions, Roles } from '../../platform/auth/permissions.js'
import { clearSessionCookie } from '../../platform/auth/session.js'
import { revokeUserSessions } from '../../platform/auth/session-store.js'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { queueMessage } from '../../platform/notifications/outbox.js'
import { formError, formValues, parseForm, type FormErrors } from '../../platform/validation.js'
import { resetMfa } from '../accounts/account-store.js'
import {
  ChangeRoleForm,
  inFieldOrder,
  InviteForm,
  inviteFields,
  isUuid,
  pageSize,
  roleFields,
  UserFilterQuery,
  userStatuses,
} from './admin-forms.js'
import { inviteStaffUser } from './invite-user.js'
import { isUniqueViolation } from './organisation-routes.js'
import { findOrganisation, listOrganisationOptions, listTeamOptions } from './organisation-store.js'
import { paging } from './paging.js'
import {
  countUsers,
  disableUser,
  emailInUse,
  enableUser,
  findUserDetail,
  listRoles,
  lockUserForChange,
  roleExists,
  searchUsers,
  setUserRole,
  teamBelongsTo,
  type UserDetail,
} from './user-store.js'

const views = 'features/admin/views'
const read = { access: { permission: 'user.read' as const } }
const manage = { access: { permission: 'user.manage' as const } }

/** The outcomes shown in a banner on the user's page after a change (?done=…). */
const doneMessages: Record<string, string> = {
  invited: 'Invitation sent. They have 7 days to set their password, then they will set up two-factor authentication.',
  disabled: 'Account disabled. They have been signed out everywhere.',
  enabled: 'Account enabled. They can sign in again.',
  'mfa-reset':
    'Two-factor authentication reset. They have been signed out and will set it up again when they next sign in.',
  role: 'Role changed. It applies from their next page.',
}

interface UserAction {
  action: 'user.disable' | 'user.enable' | 'user.mfa-reset'
  title: (name: string) => string
  paragraphs: string[]
  warning: string | undefined
  button: string
  /** Why the action does not apply to this account, if it does not. */
  notApplicable: (account: UserDetail, actorId: string) => string | undefined
}

const userActions: Record<'disable' | 'enable' | 'reset-mfa', UserAction> = {
  disable: {
    action: 'user.disable',
    title: name => `Disable the account of ${name}`,
    paragraphs: [
      'They will be signed out on every device straight away.',
      'Their account and its history are kept. You can enable it again later.',
    ],
    warning: 'They will not be able to sign in until their account is enabled again.',
    button: 'Disable account',
    notApplicable: (account, actorId) =>
      account.id === actorId
        ? 'You cannot disable your own account. Ask another system administrator to do it'
        : account.disabledAt
          ? 'This account is already disabled'
          : undefined,
  },
  enable: {
    action: 'user.enable',
    title: name => `Enable the account of ${name}`,
    paragraphs: ['They will be able to sign in again with their password and two-factor authentication.'],
    warning: undefined,
    button: 'Enable account',
    notApplicable: account => (account.disabledAt ? undefined : 'This account is not disabled'),
  },
  'reset-mfa': {
    action: 'user.mfa-reset',
    title: name => `Reset two-factor authentication for ${name}`,
    paragraphs: [
      'Do this when they have lost their phone or their recovery codes. Check who is asking first.',
      'Their authenticator app and recovery codes will stop working. They will be signed out on every device, be sent an email, and set up two-factor authentication again the next time they sign in.',
    ],
    warning: undefined,
    button: 'Reset two-factor authentication',
    notApplicable: () => undefined,
  },
}

/** An error summary for a refusal that is not about one field: it points at the page heading. */
function pageError(text: string): FormErrors {
  return { summary: [{ text, href: '#main-content' }], fields: {} }
}

function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? displayName
}

/** User accounts: search, invite, see one, disable, enable, reset MFA, change role. */
export function registerUserRoutes(app: FastifyInstance, { config, db }: RouteDeps): void {
  async function loadUser(request: FastifyRequest): Promise<UserDetail> {
    const userId = (request.params as Record<string, unknown>).userId
    const account = isUuid(userId) ? await findUserDetail(db, userId) : undefined
    if (!account) {
      throw new NotFoundError('No such user')
    }
    return account
  }

  async function formOptions() {
    const [roles, organisations, teams] = await Promise.all([
      listRoles(db),
      listOrganisationOptions(db),
      listTeamOptions(db),
    ])
    return { roles, staffRoles: roles.filter(role => role.staff), organisations, teams, professions: Professions }
  }

  app.get('/admin/users', { config: read }, async (request, reply) => {
    const query = request.query as Record<string, unknown>
    const values = formValues(query)
    const options = await formOptions()
    const common = {
      title: 'Users',
      values,
      statuses: userStatuses,
      canManage: can(request, 'user.manage'),
      ...options,
    }
    const parsed = parseForm(UserFilterQuery, query)
    if (!parsed.ok) {
      reply.code(400)
      return reply.page(`${views}/users.njk`, { ...common, errors: parsed.errors })
    }
    const { q, role, organisation, status, page } = parsed.value
    const filter = { text: q, roleCode: role, organisationId: organisation, status }
    const { total, users } = await db.transaction().execute(async trx => {
      const total = await countUsers(trx, filter)
      const users = await searchUsers(trx, filter, { limit: pageSize, offset: (page - 1) * pageSize })
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'user.search',
        outcome: 'allowed',
        details: {
          criteria: Object.entries({ q, role, organisation, status })
            .filter(([, value]) => value !== undefined)
            .map(([name]) => name),
          results: total,
          page,
        },
      })
      return { total, users }
    })
    return reply.page(`${views}/users.njk`, {
      ...common,
      users,
      paging: paging('/admin/users', { q, role, organisation, status }, page, total, pageSize),
    })
  })

  async function invitePage(reply: FastifyReply, extra: Record<string, unknown> = {}) {
    return reply.page(`${views}/invite-user.njk`, {
      title: 'Invite a member of staff',
      values: {},
      ...(await formOptions()),
      ...extra,
    })
  }

  app.get('/admin/users/invite', { config: manage }, async (_request, reply) => invitePage(reply))

  app.post('/admin/users/invite', { config: manage }, async (request, reply) => {
    const values = formValues(request.body)
    const refuse = async (errors: FormErrors, reason?: string) => {
      if (reason) {
        await recordAuditEvent(db, request.auditContext(), { action: 'user.invite', outcome: 'denied', reason })
      }
      reply.code(400)
      return invitePage(reply, { errors, values })
    }
    const form = parseForm(InviteForm, request.body)
    if (!form.ok) {
      return refuse(inFieldOrder(form.errors, inviteFields))
    }
    const invitation = form.value
    if (!(await roleExists(db, invitation.roleCode))?.staff) {
      return refuse(formError('roleCode', 'Select a role'), 'not a staff role')
    }
    if (!(await findOrganisation(db, invitation.organisationId))) {
      return refuse(formError('organisationId', 'Select an organisation'), 'no such organisation')
    }
    if (invitation.teamId && !(await teamBelongsTo(db, invitation.teamId, invitation.organisationId))) {
      return refuse(
        formError('teamId', 'Select a team that is part of the organisation, or no team'),
        'team not in organisation',
      )
    }
    if (await emailInUse(db, invitation.email)) {
      return refuse(formError('email', 'There is already an account with this email address'), 'email already in use')
    }
    try {
      const { userId } = await db.transaction().execute(trx =>
        inviteStaffUser(
          trx,
          request.auditContext(),
          {
            email: invitation.email,
            displayName: invitation.displayName,
            roleCode: invitation.roleCode,
            profession: invitation.profession ?? null,
            organisationId: invitation.organisationId,
            teamId: invitation.teamId ?? null,
          },
          config,
        ),
      )
      return await reply.redirect(`/admin/users/${userId}?done=invited`, 303)
    } catch (error) {
      if (error instanceof ConflictError || isUniqueViolation(error)) {
        return refuse(formError('email', 'There is already an account with this email address'), 'email already in use')
      }
      if (error instanceof ValidationError) {
        return refuse(formError('roleCode', error.message), error.message)
      }
      throw error
    }
  })

  app.get('/admin/users/:userId', { config: read }, async (request, reply) => {
    const account = await loadUser(request)
    await recordAuditEvent(db, request.auditContext(), {
      action: 'user.read',
      outcome: 'allowed',
      subject: { type: 'user', id: account.id },
    })
    const done = (request.query as Record<string, unknown>).done
    const actorId = request.activeUser().user.id
    return reply.page(`${views}/user.njk`, {
      title: account.displayName,
      account,
      statusName: userStatuses[account.status],
      professionName: account.profession ? (Professions as Record<string, string>)[account.profession] : undefined,
      isSelf: account.id === actorId,
      canManage: can(request, 'user.manage'),
      flash: typeof done === 'string' && Object.hasOwn(doneMessages, done) ? doneMessages[done] : undefined,
    })
  })

  for (const [path, action] of Object.entries(userActions)) {
    const showAction = (reply: FastifyReply, account: UserDetail, actorId: string, errors?: FormErrors) =>
      reply.page(`${views}/user-action.njk`, {
        title: action.title(account.displayName),
        account,
        action,
        path,
        notApplicable: action.notApplicable(account, actorId),
        errors,
      })

    app.get(`/admin/users/:userId/${path}`, { config: manage }, async (request, reply) =>
      showAction(reply, await loadUser(request), request.activeUser().user.id),
    )

    app.post(`/admin/users/:userId/${path}`, { config: manage }, async (request, reply) => {
      const account = await loadUser(request)
      const actor = request.activeUser().user
      const subject = { type: 'user', id: account.id }
      const context = request.auditContext()
      const refusal = await db.transaction().execute(async trx => {
        const target = await lockUserForChange(trx, account.id)
        const current = target ? await findUserDetail(trx, account.id) : undefined
        const problem = current ? action.notApplicable(current, actor.id) : 'This account no longer exists'
        if (!target || problem) {
          await recordAuditEvent(trx, context, { action: action.action, outcome: 'denied', subject, reason: problem })
          return problem
        }
        if (action.action === 'user.disable') {
          await disableUser(trx, account.id)
          const ended = await revokeUserSessions(trx, account.id)
          await recordAuditEvent(trx, context, {
            action: action.action,
            outcome: 'allowed',
            subject,
            details: { sessionsEnded: ended },
          })
        } else if (action.action === 'user.enable') {
          await enableUser(trx, account.id)
          await recordAuditEvent(trx, context, { action: action.action, outcome: 'allowed', subject })
        } else {
          await resetMfa(trx, account.id)
          const ended = await revokeUserSessions(trx, account.id)
          await queueMessage(trx, 'mfa-reset', target.email, {
            name: firstName(target.displayName),
            serviceName: config.serviceName,
            authority: config.authority.name,
          })
          await recordAuditEvent(trx, context, {
            action: action.action,
            outcome: 'allowed',
            subject,
            details: { sessionsEnded: ended },
          })
        }
        return undefined
      })
      if (refusal) {
        reply.code(400)
        return showAction(reply, account, actor.id, pageError(refusal))
      }
      if (account.id === actor.id) {
        // Resetting your own two-factor authentication ends your own session too.
        clearSessionCookie(reply, config.production)
        return reply.redirect('/sign-in', 303)
      }
      const done = { 'user.disable': 'disabled', 'user.enable': 'enabled', 'user.mfa-reset': 'mfa-reset' }[
        action.action
      ]
      return reply.redirect(`/admin/users/${account.id}?done=${done}`, 303)
    })
  }

  /** Why this account's role cannot be changed by this user, if it cannot. */
  function roleChangeProblem(account: { id: string; kind: string }, actorId: string): string | undefined {
    if (account.kind === 'parent') {
      return 'Parents and carers cannot be given staff roles'
    }
    if (account.id === actorId) {
      return 'You cannot change your own role. Ask another system administrator to do it'
    }
    return undefined
  }

  async function rolePage(
    reply: FastifyReply,
    account: UserDetail,
    actorId: string,
    extra: Record<string, unknown> = {},
  ) {
    return reply.page(`${views}/change-role.njk`, {
      title: `Change the role of ${account.displayName}`,
      account,
      problem: roleChangeProblem(account, actorId),
      values: { roleCode: account.roleCode, profession: account.profession ?? '' },
      ...(await formOptions()),
      ...extra,
    })
  }

  app.get('/admin/users/:userId/role', { config: manage }, async (request, reply) =>
    rolePage(reply, await loadUser(request), request.activeUser().user.id),
  )

  app.post('/admin/users/:userId/role', { config: manage }, async (request, reply) => {
    const account = await loadUser(request)
    const actor = request.activeUser().user
    const subject = { type: 'user', id: account.id }
    const values = formValues(request.body)
    const problem = roleChangeProblem(account, actor.id)
    if (problem) {
      await recordAuditEvent(db, request.auditContext(), {
        action: 'user.role-change',
        outcome: 'denied',
        subject,
        reason: problem,
      })
      reply.code(400)
      return rolePage(reply, account, actor.id, { errors: pageError(problem), values })
    }
    const form = parseForm(ChangeRoleForm, request.body)
    if (!form.ok) {
      reply.code(400)
      return rolePage(reply, account, actor.id, { errors: inFieldOrder(form.errors, roleFields), values })
    }
    const roleCode = form.value.roleCode
    const profession = roleCode === Roles.Practitioner ? (form.value.profession ?? null) : null
    if (!(await roleExists(db, roleCode))?.staff) {
      reply.code(400)
      return rolePage(reply, account, actor.id, { errors: formError('roleCode', 'Select a role'), values })
    }
    if (roleCode === account.roleCode && profession === account.profession) {
      reply.code(400)
      return rolePage(reply, account, actor.id, {
        errors: formError(
          'roleCode',
          `${account.displayName} already has this role. Select a different role or profession`,
        ),
        values,
      })
    }
    const refusal = await db.transaction().execute(async trx => {
      const target = await lockUserForChange(trx, account.id)
      const stillProblem = target
        ? roleChangeProblem({ id: account.id, kind: target.kind }, actor.id)
        : 'This account no longer exists'
      if (!target || stillProblem) {
        await recordAuditEvent(trx, request.auditContext(), {
          action: 'user.role-change',
          outcome: 'denied',
          subject,
          reason: stillProblem,
        })
        return stillProblem
      }
      await setUserRole(trx, account.id, roleCode, profession)
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'user.role-change',
        outcome: 'allowed',
        subject,
        details: { from: target.roleCode, to: roleCode, professionFrom: target.profession, professionTo: profession },
      })
      return undefined
    })
    if (refusal) {
      reply.code(400)
      return rolePage(reply, account, actor.id, { errors: pageError(refusal), values })
    }
    return reply.redirect(`/admin/users/${account.id}?done=role`, 303)
  })
}
