import type { FastifyRequest } from 'fastify'
import type { AuditContext } from '../audit/audit.js'

export function auditContextOf(request: FastifyRequest): AuditContext {
  const session = request.session
  return {
    actor:
      session && session.stage === 'active'
        ? {
            userId: session.user.id,
            roleCode: session.user.roleCode,
            organisationId: session.user.organisationId,
          }
        : undefined,
    request: { requestId: request.id, ip: request.ip, userAgent: request.headers['user-agent'] },
  }
}
