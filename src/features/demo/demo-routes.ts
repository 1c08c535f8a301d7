import type { FastifyPluginAsync } from 'fastify'
import { currentTotpCode } from '../../platform/auth/totp.js'
import { decryptSecret } from '../../platform/crypto.js'
import { NotFoundError } from '../../platform/errors.js'
import type { RouteDeps } from '../../platform/http/route-deps.js'
import { listOutboxMessages } from '../../platform/notifications/outbox-store.js'
import { isMessageTemplate, renderTemplate } from '../../platform/notifications/templates.js'
import { listDemoAccounts } from '../accounts/account-store.js'

/**
 * Demo-only pages: the current two-factor codes of the demo accounts (so a demo needs no phone) and the messages the
 * outbox would have sent. In production (demo mode off) /demo/codes is a 404.
 */
export function demoRoutes({ config, db }: RouteDeps): FastifyPluginAsync {
  return async app => {
    app.get('/demo/codes', { config: { access: { public: true } } }, async (_request, reply) => {
      if (!config.demoMode) {
        throw new NotFoundError('Not found')
      }
      const now = Date.now()
      const accounts = (await listDemoAccounts(db))
        .filter(account => account.mfaSecretEncrypted !== null)
        .map(account => ({
          email: account.email,
          roleName: account.roleName,
          code: currentTotpCode(decryptSecret(account.mfaSecretEncrypted ?? '', config.dataEncryptionKey), now),
        }))
      const secondsLeft = 30 - (Math.floor(now / 1000) % 30)
      void reply.header('refresh', String(secondsLeft + 1))
      return reply.page('features/demo/views/codes.njk', { title: 'Demo two-factor codes', accounts, secondsLeft })
    })
    app.get('/demo/messages', { config: { access: { permission: 'outbox.read' } } }, async (_request, reply) => {
      const messages = (await listOutboxMessages(db, 100)).map(message => ({
        ...message,
        rendered: isMessageTemplate(message.template)
          ? renderTemplate(message.template, message.personalisation)
          : undefined,
      }))
      return reply.page('features/demo/views/messages.njk', {
        title: 'Sent messages',
        messages,
        sending: !config.demoMode,
      })
    })
  }
}
