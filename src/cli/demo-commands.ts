import { parseArgs } from 'node:util'
import { currentTotpCode } from '../platform/auth/totp.js'
import { demoTotpSecret } from '../features/demo/demo-users.js'
import { seedDemo } from '../features/demo/demo-seed.js'
import { UsageError, withDatabase, type CliCommand } from './cli-context.js'

export const demoSeedCommand: CliCommand = {
  name: 'demo seed',
  summary: 'Build the fictional demo county (organisations, staff for every role, families and children)',
  usage:
    '[--scale N] [--seed S]\n\n  --scale N  multiply the county (1 = ~38,000 children under five; 90 = national scale)\n  --seed S   the random seed (default 1): the same seed gives the same county',
  run: async (args, io) => {
    const { values } = parseArgs({
      args,
      options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' } },
      strict: true,
    })
    const scale = Number(values.scale)
    const seed = Number(values.seed)
    if (!Number.isFinite(scale) || scale <= 0 || scale > 100) {
      throw new UsageError('--scale must be a number greater than 0 and at most 100')
    }
    if (!Number.isInteger(seed) || seed < 0) {
      throw new UsageError('--seed must be a whole number, 0 or more')
    }
    const summary = await withDatabase((handle, config) =>
      seedDemo(handle.db, {
        scale,
        seed,
        laCode: config.authority.code,
        authorityName: config.authority.name,
        dataEncryptionKey: config.dataEncryptionKey,
      }),
    )
    io.out(
      `Demo county seeded in ${summary.seconds.toFixed(1)} s: ${String(summary.districts)} districts, ${String(summary.smallAreas)} small areas, ${String(summary.postcodes)} postcodes, ${String(summary.families)} families, ${String(summary.children)} children, ${String(summary.adults)} adults, ${String(summary.services)} services, ${String(summary.users)} demo accounts.`,
    )
    return 0
  },
}

export const demoTotpCommand: CliCommand = {
  name: 'demo totp',
  summary: 'Print the current two-factor code of a demo account (demo seed 1)',
  usage: 'EMAIL [--seed S]',
  run: async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      options: { seed: { type: 'string', default: '1' } },
      allowPositionals: true,
      strict: true,
    })
    const email = positionals[0]
    if (!email || positionals.length > 1) {
      throw new UsageError('Give one demo account’s email address')
    }
    if (!email.toLowerCase().endsWith('@northmoor.example')) {
      throw new UsageError('Only demo accounts (…@northmoor.example) have a code that can be printed')
    }
    io.out(currentTotpCode(demoTotpSecret(email.toLowerCase(), Number(values.seed))))
    return 0
  },
}
