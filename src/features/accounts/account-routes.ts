import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { recordAuditEvent } from '../../platform/audit/audit.js'
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from '../../platform/auth/password.js'
import { endSession, clearSessionCookie, startSession } from '../../platform/auth/session.js'
import { revokeUserSessions } from '../../platform/auth/session-store.js'
import {
  hashRecoveryCode,
  matchTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  totpQrSvg,
  totpUri,
} from '../../platform/auth/totp.js'
import { decryptSecret, encryptSecret, randomToken, sha256 } from '../../platform/crypto.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { queueMessage } from '../../platform/notifications/outbox.js'
import { formError, formValues, parseForm } from '../../platform/validation.js'
import {
  ChangePasswordForm,
  CodeForm,
  ForgotPasswordForm,
  NewPasswordForm,
  ParentSignUpForm,
  RecoveryCodeForm,
  ReturnToQuery,
  SignInForm,
  TokenQuery,
} from './account-forms.js'
import {
  claimTotpStep,
  countUnusedRecoveryCodes,
  enableMfa,
  findAccountByEmail,
  findAccountById,
  findLiveAccountToken,
  insertAccountToken,
  insertParentAccount,
  listDemoAccounts,
  markSignedIn,
  recordFailedAttempt,
  replaceRecoveryCodes,
  setPasswordHash,
  setPendingMfaSecret,
  useAccountToken,
  useRecoveryCode,
  type AccountRow,
} from './account-store.js'

export const lockout = { attempts: 5, minutes: 15 } as const
const signInRateLimit = { max: 30, timeWindow: '1 minute' }
const views = 'features/accounts/views'
const genericSignInError = 'Enter a correct email address and password'

type AccountKind = 'staff' | 'parent'

/** Sign-in with MFA, sign-out, account settings, password reset, staff invitations and parent sign-up. */
export function accountRoutes({ config, db }: RouteDeps): FastifyPluginAsync {
  const secure = config.production
  const pub = { access: { public: true as const } }

  async function demoAccounts(kind: AccountKind) {
    if (!config.demoMode) {
      return []
    }
    return (await listDemoAccounts(db)).filter(account => account.kind === kind)
  }

  async function showSignIn(request: FastifyRequest, reply: FastifyReply, kind: AccountKind, extra = {}) {
    return reply.page(`${views}/sign-in.njk`, {
      title: kind === 'staff' ? 'Sign in as a member of staff' : 'Sign in as a parent or carer',
      kind,
      action: kind === 'staff' ? '/sign-in' : '/parent/sign-in',
      returnTo: ReturnToQuery.parse(request.query).returnTo,
      sessionEnded: request.sessionEnded,
      demoAccounts: await demoAccounts(kind),
      ...extra,
    })
  }

  async function signIn(request: FastifyRequest, reply: FastifyReply, kind: AccountKind) {
    const form = parseForm(SignInForm, request.body)
    const values = formValues(request.body, ['password'])
    if (!form.ok) {
      reply.code(400)
      return showSignIn(request, reply, kind, { errors: form.errors, values })
    }
    const { email, password } = form.value
    const account = await findAccountByEmail(db, email)
    const context = request.auditContext()
    if (!account || account.kind !== kind || !account.passwordHash) {
      await verifyAgainstNothing(password)
      await recordAuditEvent(db, context, {
        action: 'auth.sign-in',
        outcome: 'denied',
        reason: account ? 'wrong account type or no password set' : 'unknown account',
        userId: account?.id,
      })
      reply.code(400)
      return showSignIn(request, reply, kind, { errors: formError('email', genericSignInError), values })
    }
    if (account.disabledAt) {
      await recordAuditEvent(db, context, {
        action: 'auth.sign-in',
        outcome: 'denied',
        reason: 'account disabled',
        userId: account.id,
      })
      reply.code(400)
      return showSignIn(request, reply, kind, { errors: formError('email', genericSignInError), values })
    }
    if (account.lockedUntil && account.lockedUntil > new Date()) {
      await recordAuditEvent(db, context, {
        action: 'auth.sign-in',
        outcome: 'denied',
        reason: 'account locked',
        userId: account.id,
      })
      reply.code(400)
      return showSignIn(request, reply, kind, { errors: formError('email', lockedMessage()), values })
    }
    if (!(await verifyPassword(account.passwordHash, password))) {
      const locked = await db.transaction().execute(async trx => {
        const nowLocked = await recordFailedAttempt(trx, account.id, lockout.attempts, lockUntil())
        await recordAuditEvent(trx, context, {
          action: 'auth.sign-in',
          outcome: 'denied',
          reason: nowLocked ? 'wrong password; account locked' : 'wrong password',
          userId: account.id,
        })
        return nowLocked
      })
      reply.code(400)
      return showSignIn(request, reply, kind, {
        errors: formError('email', locked ? lockedMessage() : genericSignInError),
        values,
      })
    }
    const stage = account.mfaEnabledAt ? 'mfa_verify' : kind === 'staff' ? 'mfa_setup' : 'active'
    await db.transaction().execute(async trx => {
      await startSession(trx, request, reply, account.id, stage, secure)
      if (stage === 'active') {
        await markSignedIn(trx, account.id)
      }
      await recordAuditEvent(trx, context, {
        action: 'auth.sign-in',
        outcome: 'allowed',
        reason: stage === 'active' ? 'signed in' : 'password accepted; two-factor authentication next',
        userId: account.id,
        details: { stage },
      })
    })
    const returnTo = ReturnToQuery.parse(request.body).returnTo
    const next =
      stage === 'mfa_verify' ? '/sign-in/mfa' : stage === 'mfa_setup' ? '/sign-in/mfa/setup' : (returnTo ?? '/home')
    const suffix = stage !== 'active' && returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''
    return reply.redirect(next + suffix, 303)
  }

  function lockUntil(): Date {
    return new Date(Date.now() + lockout.minutes * 60 * 1000)
  }
  function lockedMessage(): string {
    return `Your account is locked after ${String(lockout.attempts)} failed attempts. Try again in ${String(lockout.minutes)} minutes, or reset your password`
  }

  /** The account of a session waiting for its second factor, or undefined (then: back to sign-in). */
  async function pendingAccount(
    request: FastifyRequest,
    stage: 'mfa_setup' | 'mfa_verify',
  ): Promise<AccountRow | undefined> {
    const session = request.session
    if (session?.stage !== stage) {
      return undefined
    }
    return findAccountById(db, session.user.id)
  }

  async function completeSignIn(request: FastifyRequest, reply: FastifyReply, accountId: string, via: string) {
    await db.transaction().execute(async trx => {
      await startSession(trx, request, reply, accountId, 'active', secure)
      await markSignedIn(trx, accountId)
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'auth.mfa-verify',
        outcome: 'allowed',
        userId: accountId,
        details: { via },
      })
    })
  }

  async function refuseCode(request: FastifyRequest, account: AccountRow, reason: string): Promise<boolean> {
    return db.transaction().execute(async trx => {
      const locked = await recordFailedAttempt(trx, account.id, lockout.attempts, lockUntil())
      if (locked && request.session) {
        await endSession(trx, request.session)
      }
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'auth.mfa-verify',
        outcome: 'denied',
        reason: locked ? `${reason}; account locked` : reason,
        userId: account.id,
      })
      return locked
    })
  }

  async function mfaSetupPage(reply: FastifyReply, account: AccountRow, extra: Record<string, unknown> = {}) {
    let sealed = account.mfaSecretEncrypted
    if (!sealed || account.mfaEnabledAt) {
      sealed = encryptSecret(newTotpSecret(), config.dataEncryptionKey)
      await setPendingMfaSecret(db, account.id, sealed)
    }
    const secret = decryptSecret(sealed, config.dataEncryptionKey)
    const uri = totpUri(secret, account.email, `${config.serviceName} (${config.authority.name})`)
    return reply.page(`${views}/mfa-setup.njk`, {
      title: 'Set up two-factor authentication',
      qrSvg: await totpQrSvg(uri),
      secretGroups: secret.match(/.{1,4}/g)?.join(' '),
      ...extra,
    })
  }

  async function confirmMfaSetup(
    request: FastifyRequest,
    reply: FastifyReply,
    account: AccountRow,
    parentOptional: boolean,
  ) {
    const form = parseForm(CodeForm, request.body)
    if (!form.ok) {
      reply.code(400)
      return mfaSetupPage(reply, account, { errors: form.errors, parentOptional })
    }
    const secret = account.mfaSecretEncrypted
      ? decryptSecret(account.mfaSecretEncrypted, config.dataEncryptionKey)
      : undefined
    const step = secret ? matchTotpStep(secret, form.value.code) : undefined
    if (step === undefined || !(await claimTotpStep(db, account.id, step))) {
      await recordAuditEvent(db, request.auditContext(), {
        action: 'account.mfa-enable',
        outcome: 'denied',
        reason: 'wrong code',
        userId: account.id,
      })
      reply.code(400)
      return mfaSetupPage(reply, account, {
        errors: formError(
          'code',
          'The code is not correct. Check the time on your phone is right, and enter the newest code',
        ),
        parentOptional,
      })
    }
    const recovery = newRecoveryCodes()
    await db.transaction().execute(async trx => {
      await enableMfa(trx, account.id)
      await replaceRecoveryCodes(trx, account.id, recovery.hashes)
      if (!parentOptional) {
        await startSession(trx, request, reply, account.id, 'active', secure)
        await markSignedIn(trx, account.id)
      }
      await recordAuditEvent(trx, request.auditContext(), {
        action: 'account.mfa-enable',
        outcome: 'allowed',
        userId: account.id,
        details: { recoveryCodes: recovery.codes.length },
      })
    })
    return reply.page(`${views}/recovery-codes.njk`, { title: 'Save your recovery codes', codes: recovery.codes })
  }

  return async app => {
    app.get('/sign-in', { config: pub }, async (request, reply) => showSignIn(request, reply, 'staff'))
    app.post('/sign-in', { config: { ...pub, rateLimit: signInRateLimit } }, async (request, reply) =>
      signIn(request, reply, 'staff'),
    )
    app.get('/parent/sign-in', { config: pub }, async (request, reply) => showSignIn(request, reply, 'parent'))
    app.post('/parent/sign-in', { config: { ...pub, rateLimit: signInRateLimit } }, async (request, reply) =>
      signIn(request, reply, 'parent'),
    )

    app.get('/sign-in/mfa', { config: pub }, async (request, reply) => {
      if (!(await pendingAccount(request, 'mfa_verify'))) {
        return reply.redirect('/sign-in', 303)
      }
      return reply.page(`${views}/mfa-verify.njk`, {
        title: 'Enter the code from your authenticator app',
        returnTo: ReturnToQuery.parse(request.query).returnTo,
      })
    })
    app.post('/sign-in/mfa', { config: { ...pub, rateLimit: signInRateLimit } }, async (request, reply) => {
      const account = await pendingAccount(request, 'mfa_verify')
      if (!account?.mfaSecretEncrypted) {
        return reply.redirect('/sign-in', 303)
      }
      const returnTo = ReturnToQuery.parse(request.body).returnTo
      const form = parseForm(CodeForm, request.body)
      if (!form.ok) {
        reply.code(400)
        return reply.page(`${views}/mfa-verify.njk`, {
          title: 'Enter the code from your authenticator app',
          errors: form.errors,
          returnTo,
        })
      }
      const step = matchTotpStep(decryptSecret(account.mfaSecretEncrypted, config.dataEncryptionKey), form.value.code)
      const fresh = step !== undefined && (await claimTotpStep(db, account.id, step))
      if (!fresh) {
        const locked = await refuseCode(request, account, step === undefined ? 'wrong code' : 'code already used')
        if (locked) {
          clearSessionCookie(reply, secure)
          reply.code(400)
          return showSignIn(request, reply, account.kind, { errors: formError('email', lockedMessage()) })
        }
        reply.code(400)
        return reply.page(`${views}/mfa-verify.njk`, {
          title: 'Enter the code from your authenticator app',
          returnTo,
          errors: formError(
            'code',
            step === undefined
              ? 'The code is not correct. Enter the newest code from your authenticator app'
              : 'That code has already been used. Wait for the next code and enter it',
          ),
        })
      }
      await completeSignIn(request, reply, account.id, 'authenticator')
      return reply.redirect(returnTo ?? '/home', 303)
    })

    app.get('/sign-in/recovery-code', { config: pub }, async (request, reply) => {
      if (!(await pendingAccount(request, 'mfa_verify'))) {
        return reply.redirect('/sign-in', 303)
      }
      return reply.page(`${views}/recovery-code.njk`, { title: 'Use a recovery code' })
    })
    app.post('/sign-in/recovery-code', { config: { ...pub, rateLimit: signInRateLimit } }, async (request, reply) => {
      const account = await pendingAccount(request, 'mfa_verify')
      if (!account) {
        return reply.redirect('/sign-in', 303)
      }
      const form = parseForm(RecoveryCodeForm, request.body)
      if (!form.ok) {
        reply.code(400)
        return reply.page(`${views}/recovery-code.njk`, { title: 'Use a recovery code', errors: form.errors })
      }
      if (!(await useRecoveryCode(db, account.id, hashRecoveryCode(form.value.code)))) {
        const locked = await refuseCode(request, account, 'wrong or used recovery code')
        if (locked) {
          clearSessionCookie(reply, secure)
          reply.code(400)
          return showSignIn(request, reply, account.kind, { errors: formError('email', lockedMessage()) })
        }
        reply.code(400)
        return reply.page(`${views}/recovery-code.njk`, {
          title: 'Use a recovery code',
          errors: formError('code', 'That recovery code is not correct or has already been used'),
        })
      }
      const remaining = await countUnusedRecoveryCodes(db, account.id)
      await db.transaction().execute(async trx => {
        await queueMessage(trx, 'recovery-code-used', account.email, {
          name: account.displayName,
          serviceName: config.serviceName,
          remaining,
        })
      })
      await completeSignIn(request, reply, account.id, 'recovery-code')
      return reply.redirect('/home', 303)
    })

    app.get('/sign-in/mfa/setup', { config: pub }, async (request, reply) => {
      const account = await pendingAccount(request, 'mfa_setup')
      if (!account) {
        return reply.redirect('/sign-in', 303)
      }
      return mfaSetupPage(reply, account)
    })
    app.post('/sign-in/mfa/setup', { config: { ...pub, rateLimit: signInRateLimit } }, async (request, reply) => {
      const account = await pendingAccount(request, 'mfa_setup')
      if (!account) {
        return reply.redirect('/sign-in', 303)
      }
      return confirmMfaSetup(request, reply, account, false)
    })

    app.post('/sign-out', { config: pub }, async (request, reply) => {
      const session = request.session
      if (session) {
        await db.transaction().execute(async trx => {
          await endSession(trx, session)
          await recordAuditEvent(trx, request.auditContext(), {
            action: 'auth.sign-out',
            outcome: 'allowed',
            userId: session.user.id,
          })
        })
      }
      clearSessionCookie(reply, secure)
      return reply.redirect('/signed-out', 303)
    })
    app.get('/signed-out', { config: pub }, async (_request, reply) =>
      reply.page(`${views}/signed-out.njk`, { title: 'You have signed out' }),
    )

    app.get('/account', { config: { access: { permission: 'account.manage' } } }, async (request, reply) => {
      const session = request.activeUser()
      return reply.page(`${views}/account.njk`, {
        title: 'Your account',
        recoveryCodesLeft: session.user.mfaEnabled ? await countUnusedRecoveryCodes(db, session.user.id) : undefined,
        flash: (request.query as Record<string, string | undefined>).done,
      })
    })
    app.post('/account/password', { config: { access: { permission: 'account.manage' } } }, async (request, reply) => {
      const session = request.activeUser()
      const account = await findAccountById(db, session.user.id)
      const form = parseForm(ChangePasswordForm, request.body)
      const show = (errors: unknown) => {
        reply.code(400)
        return reply.page(`${views}/account.njk`, { title: 'Your account', errors })
      }
      if (!form.ok) {
        return show(form.errors)
      }
      if (!account?.passwordHash || !(await verifyPassword(account.passwordHash, form.value.currentPassword))) {
        await recordAuditEvent(db, request.auditContext(), {
          action: 'account.password-change',
          outcome: 'denied',
          reason: 'wrong current password',
        })
        return show(formError('currentPassword', 'Your current password is not correct'))
      }
      const problem = passwordProblem(form.value.password, account.email)
      if (problem) {
        return show(formError('password', problem))
      }
      const passwordHash = await hashPassword(form.value.password)
      await db.transaction().execute(async trx => {
        await setPasswordHash(trx, account.id, passwordHash)
        await recordAuditEvent(trx, request.auditContext(), { action: 'account.password-change', outcome: 'allowed' })
      })
      return reply.redirect('/account?done=password', 303)
    })
    app.post(
      '/account/sign-out-everywhere',
      { config: { access: { permission: 'account.manage' } } },
      async (request, reply) => {
        const session = request.activeUser()
        await db.transaction().execute(async trx => {
          const ended = await revokeUserSessions(trx, session.user.id)
          await recordAuditEvent(trx, request.auditContext(), {
            action: 'auth.sign-out-everywhere',
            outcome: 'allowed',
            details: { sessionsEnded: ended },
          })
        })
        clearSessionCookie(reply, secure)
        return reply.redirect('/signed-out', 303)
      },
    )
    app.get('/account/mfa', { config: { access: { permission: 'account.manage' } } }, async (request, reply) => {
      const account = await findAccountById(db, request.activeUser().user.id)
      if (!account || account.mfaEnabledAt) {
        return reply.redirect('/account', 303)
      }
      return mfaSetupPage(reply, account, { parentOptional: true })
    })
    app.post('/account/mfa', { config: { access: { permission: 'account.manage' } } }, async (request, reply) => {
      const account = await findAccountById(db, request.activeUser().user.id)
      if (!account || account.mfaEnabledAt) {
        return reply.redirect('/account', 303)
      }
      return confirmMfaSetup(request, reply, account, true)
    })

    app.get('/forgot-password', { config: pub }, async (_request, reply) =>
      reply.page(`${views}/forgot-password.njk`, { title: 'Reset your password' }),
    )
    app.post(
      '/forgot-password',
      { config: { ...pub, rateLimit: { max: 5, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const form = parseForm(ForgotPasswordForm, request.body)
        if (!form.ok) {
          reply.code(400)
          return reply.page(`${views}/forgot-password.njk`, {
            title: 'Reset your password',
            errors: form.errors,
            values: formValues(request.body),
          })
        }
        const account = await findAccountByEmail(db, form.value.email)
        // The same answer whether or not the account exists, so the form cannot be used to find out who has one.
        if (account && !account.disabledAt && account.passwordHash) {
          const token = randomToken()
          await db.transaction().execute(async trx => {
            await insertAccountToken(trx, {
              userId: account.id,
              purpose: 'password_reset',
              tokenHash: sha256(token),
              expiresAt: new Date(Date.now() + 60 * 60 * 1000),
            })
            await queueMessage(trx, 'password-reset', account.email, {
              serviceName: config.serviceName,
              link: `${config.publicBaseUrl}/reset-password?token=${token}`,
            })
            await recordAuditEvent(trx, request.auditContext(), {
              action: 'account.password-reset-request',
              outcome: 'allowed',
              userId: account.id,
            })
          })
        }
        return reply.page(`${views}/check-email.njk`, { title: 'Check your email' })
      },
    )

    for (const [path, purpose, title] of [
      ['/reset-password', 'password_reset', 'Choose a new password'],
      ['/invitation', 'invitation', 'Set your password'],
    ] as const) {
      app.get(path, { config: pub }, async (request, reply) => {
        const query = TokenQuery.safeParse(request.query)
        const token = query.success ? await findLiveAccountToken(db, sha256(query.data.token), purpose) : undefined
        if (!query.success || !token) {
          reply.code(400)
          return reply.page(`${views}/link-expired.njk`, { title: 'This link has expired or has been used' })
        }
        return reply.page(`${views}/new-password.njk`, { title, action: path, token: query.data.token })
      })
      app.post(path, { config: { ...pub, rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
        const query = TokenQuery.safeParse(request.body)
        const token = query.success ? await findLiveAccountToken(db, sha256(query.data.token), purpose) : undefined
        if (!query.success || !token) {
          reply.code(400)
          return reply.page(`${views}/link-expired.njk`, { title: 'This link has expired or has been used' })
        }
        const account = await findAccountById(db, token.userId)
        const form = parseForm(NewPasswordForm, request.body)
        const problem = form.ok ? passwordProblem(form.value.password, account?.email) : undefined
        if (!form.ok || problem || !account) {
          reply.code(400)
          return reply.page(`${views}/new-password.njk`, {
            title,
            action: path,
            token: query.data.token,
            errors: form.ok ? formError('password', problem ?? 'Enter a password') : form.errors,
          })
        }
        const passwordHash = await hashPassword(form.value.password)
        const used = await db.transaction().execute(async trx => {
          if (!(await useAccountToken(trx, token.id))) {
            return false
          }
          await setPasswordHash(trx, account.id, passwordHash)
          await revokeUserSessions(trx, account.id)
          await recordAuditEvent(trx, request.auditContext(), {
            action: purpose === 'invitation' ? 'account.invitation-accept' : 'account.password-reset',
            outcome: 'allowed',
            userId: account.id,
          })
          return true
        })
        if (!used) {
          reply.code(400)
          return reply.page(`${views}/link-expired.njk`, { title: 'This link has expired or has been used' })
        }
        return reply.page(`${views}/password-set.njk`, {
          title: 'Your password has been set',
          signInUrl: account.kind === 'staff' ? '/sign-in' : '/parent/sign-in',
        })
      })
    }

    app.get('/parent/sign-up', { config: pub }, async (_request, reply) =>
      reply.page(`${views}/parent-sign-up.njk`, { title: 'Create a parent or carer account' }),
    )
    app.post(
      '/parent/sign-up',
      { config: { ...pub, rateLimit: { max: 10, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const values = formValues(request.body, ['password', 'confirmPassword'])
        const show = (errors: unknown) => {
          reply.code(400)
          return reply.page(`${views}/parent-sign-up.njk`, {
            title: 'Create a parent or carer account',
            errors,
            values,
          })
        }
        const form = parseForm(ParentSignUpForm, request.body)
        if (!form.ok) {
          return show(form.errors)
        }
        const problem = passwordProblem(form.value.password, form.value.email)
        if (problem) {
          return show(formError('password', problem))
        }
        if (await findAccountByEmail(db, form.value.email)) {
          return show(
            formError('email', 'There is already an account with this email address. Sign in, or reset your password'),
          )
        }
        const passwordHash = await hashPassword(form.value.password)
        await db.transaction().execute(async trx => {
          const id = await insertParentAccount(trx, {
            email: form.value.email,
            displayName: form.value.displayName,
            passwordHash,
            laCode: config.authority.code,
          })
          await startSession(trx, request, reply, id, 'active', secure)
          await recordAuditEvent(trx, request.auditContext(), {
            action: 'account.parent-sign-up',
            outcome: 'allowed',
            userId: id,
          })
        })
        return reply.redirect('/home', 303)
      },
    )
  }
}
