import { parseArgs } from 'node:util'
import { remindReviews } from '../features/service-directory/directory-notices.js'
import { withDatabase, type CliCommand } from './cli-context.js'

export const directoryRemindCommand: CliCommand = {
  name: 'directory remind',
  summary: 'Email service managers whose published services need checking (the server also does this daily)',
  usage:
    '[--dry-run]\n\n  --dry-run  count what would be sent, and send nothing\n\nA service needs checking when it was last checked more than 3 months ago. Each active service manager gets one email listing their organisation’s services that need checking. A service’s managers are reminded at most once every 30 days, so running this again sends nothing new.',
  run: async (args, io) => {
    const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } }, strict: true })
    const result = await withDatabase((handle, config) =>
      remindReviews(handle.db, {
        now: new Date(),
        baseUrl: config.publicBaseUrl,
        serviceName: config.serviceName,
        dryRun: values['dry-run'],
        via: 'cli',
      }),
    )
    const services = `${String(result.services)} ${result.services === 1 ? 'service' : 'services'}`
    const messages = `${String(result.messages)} ${result.messages === 1 ? 'email' : 'emails'}`
    io.out(
      result.dryRun
        ? `Dry run, nothing sent: would queue ${messages} to service managers about ${services} that need checking.`
        : `Queued ${messages} to service managers about ${services} that need checking.`,
    )
    if (result.withoutManagers) {
      io.out(
        `${String(result.withoutManagers)} more need checking but their provider has no active service manager: see /directory/manage/review.`,
      )
    }
    return 0
  },
}
