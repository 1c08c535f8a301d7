import { loadConfig, type Config } from '../config.js'
import { openDatabase, type DatabaseHandle } from '../db/database.js'
import { migrate } from '../db/migrate.js'

/** Thrown for a usage mistake: the CLI prints the message and the command's help, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface CliCommand {
  /** e.g. 'db migrate' */
  name: string
  summary: string
  usage: string
  run: (args: string[], io: CliIo) => Promise<number>
}

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
}

/** Opens the configured database (migrated unless told otherwise) for a command, and closes it afterwards. */
export async function withDatabase<T>(
  fn: (handle: DatabaseHandle, config: Config) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig()
  const handle = await openDatabase(config.database)
  try {
    if (options.migrate !== false) {
      await migrate(handle.db)
    }
    return await fn(handle, config)
  } finally {
    await handle.close()
  }
}
