import { parseArgs } from 'node:util'
import { inviteStaffUser } from '../features/admin/invite-user.js'
import { findOrganisationByIdOrName } from '../features/admin/user-store.js'
import { UsageError, withDatabase, type CliCommand } from './cli-context.js'

export const usersCreateCommand: CliCommand = {
  name: 'users create',
  summary: 'Create a staff account and print its single-use invitation link (also emailed through the outbox)',
  usage:
    '--email EMAIL --name NAME --role ROLE --organisation ORG [--profession PROFESSION]\n\n' +
    '  ROLE: practitioner, front_door_officer, team_manager, service_manager, directory_admin, analyst, ig_officer, system_admin\n' +
    '  ORG: the organisation’s id or exact name\n' +
    '  PROFESSION (practitioners): health_visitor, midwife, family_support_worker, early_years_practitioner, social_worker',
  run: async (args, io) => {
    const { values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        organisation: { type: 'string' },
        profession: { type: 'string' },
      },
      strict: true,
    })
    const { email, name, role, organisation } = values
    if (!email || !name || !role || !organisation) {
      throw new UsageError('--email, --name, --role and --organisation are all needed')
    }
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
      throw new UsageError('--email must be an email address, like name@example.com')
    }
    const result = await withDatabase(async ({ db }, config) => {
      const org = await findOrganisationByIdOrName(db, organisation)
      if (!org) {
        throw new UsageError(`No organisation called ${organisation}`)
      }
      return db.transaction().execute(trx =>
        inviteStaffUser(
          trx,
          { actor: undefined, request: { requestId: 'cli', ip: 'cli', userAgent: 'beststart users create' } },
          {
            email,
            displayName: name,
            roleCode: role,
            profession: values.profession ?? null,
            organisationId: org.id,
            teamId: null,
          },
          config,
        ),
      )
    })
    io.out(`Created ${email}. Invitation link (valid 7 days, shown once):\n${result.link}`)
    return 0
  },
}
