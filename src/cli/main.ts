import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ConfigError } from '../config.js'
import { DataDirLockedError } from '../db/data-dir-lock.js'
import { DomainError } from '../platform/errors.js'
import { UsageError, type CliCommand, type CliIo } from './cli-context.js'
import { auditExportCommand } from './audit-export-command.js'
import { dbMigrateCommand, dbStatusCommand } from './db-commands.js'
import { demoSeedCommand, demoTotpCommand } from './demo-commands.js'
import { directoryExportCommand, directoryImportCommand } from './directory-command.js'
import { directoryRemindCommand } from './directory-remind-command.js'
import { growthCalculateCommand } from './growth-command.js'
import { postcodesImportCommand } from './postcodes-command.js'
import { usersCreateCommand } from './users-command.js'

/** Every command of `beststart`. A feature adds its command here. */
export const commands: CliCommand[] = [
  dbMigrateCommand,
  dbStatusCommand,
  demoSeedCommand,
  demoTotpCommand,
  usersCreateCommand,
  auditExportCommand,
  growthCalculateCommand,
  postcodesImportCommand,
  directoryImportCommand,
  directoryExportCommand,
  directoryRemindCommand,
]

function overview(): string {
  const width = Math.max(...commands.map(command => command.name.length))
  return [
    'Usage: beststart <command> [options]',
    '',
    'Commands:',
    ...commands.map(command => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `beststart <command> --help` for a command’s options. Configuration comes from environment variables (see README).',
  ].join('\n')
}

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 usage or configuration error, 3 database locked. */
export async function runCli(argv: string[], io: CliIo = { out: console.log, err: console.error }): Promise<number> {
  const command = commands
    .filter(candidate => {
      const words = candidate.name.split(' ')
      return words.every((word, index) => argv[index] === word)
    })
    .sort((a, b) => b.name.length - a.name.length)[0]
  if (!command) {
    const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: false })
    if (argv.length === 0 || values.help) {
      io.out(overview())
      return argv.length === 0 ? 2 : 0
    }
    io.err(`Unknown command: ${argv.join(' ')}\n\n${overview()}`)
    return 2
  }
  const args = argv.slice(command.name.split(' ').length)
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: beststart ${command.name} ${command.usage}`)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message}\n\nUsage: beststart ${command.name} ${command.usage}`)
      return 2
    }
    if (error instanceof ConfigError) {
      io.err(error.message)
      return 2
    }
    if (error instanceof DataDirLockedError) {
      io.err(error.message)
      return 3
    }
    if (error instanceof DomainError) {
      io.err(error.message)
      return 1
    }
    throw error
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
if (invokedDirectly) {
  runCli(process.argv.slice(2))
    .then(code => {
      process.exitCode = code
    })
    .catch((error: unknown) => {
      console.error(error)
      process.exitCode = 1
    })
}
