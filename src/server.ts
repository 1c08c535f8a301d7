import type { Logger } from 'pino'
import { createApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { DataDirLockedError } from './db/data-dir-lock.js'
import { openDatabase, type DatabaseHandle } from './db/database.js'
import { migrate } from './db/migrate.js'
import { demoPassword } from './features/demo/demo-users.js'
import { hasDemoData, seedDemo } from './features/demo/demo-seed.js'
import { startReviewReminders } from './features/service-directory/directory-notices.js'
import { createLogger } from './logger.js'
import { demoSender, notifySender, startOutboxWorker } from './platform/notifications/outbox.js'

/** Entry point: config → database → migrations → demo county (demo mode) → web app → outbox worker. */
async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(2)
    }
    throw error
  }
  const logger = createLogger(config.logLevel)
  let database: DatabaseHandle
  try {
    database = await openDatabase(config.database)
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message)
      process.exit(3)
    }
    throw error
  }
  const applied = await migrate(database.db)
  if (applied.length > 0) {
    logger.info({ applied }, 'migrations applied')
  }
  if (config.production && (await hasDemoData(database.db))) {
    console.error(
      'Refusing to start in production: the database holds demo accounts. Use a database without the demo county.',
    )
    await database.close()
    process.exit(2)
  }
  if (config.demoMode && !(await hasDemoData(database.db))) {
    console.log(`Building the demo county (scale ${String(config.demoScale)}); this takes a moment the first time…`)
    const summary = await seedDemo(database.db, {
      scale: config.demoScale,
      seed: 1,
      laCode: config.authority.code,
      authorityName: config.authority.name,
      dataEncryptionKey: config.dataEncryptionKey,
    })
    console.log(
      `Demo county ready in ${summary.seconds.toFixed(1)} s: ${String(summary.children)} children in ${String(summary.families)} families, ${String(summary.services)} services in ${String(summary.hubNetworks)} family hub networks, ${String(summary.users)} demo accounts.`,
    )
  }
  const { app } = await createApp({ config, db: database.db, logger })
  const sender =
    config.notify.apiKey && !config.demoMode
      ? notifySender({
          apiKey: config.notify.apiKey,
          baseUrl: config.notify.baseUrl,
          templateIds: config.notify.templateIds,
        })
      : demoSender
  const worker = startOutboxWorker(database.db, sender, logger)
  // Once a day (first a minute after start-up): remind service managers of published services that need checking.
  const reminders = startReviewReminders(database.db, {
    baseUrl: config.publicBaseUrl,
    serviceName: config.serviceName,
    logger,
  })
  await app.listen({ port: config.port, host: config.host })
  printWelcome(config, logger)

  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      return
    }
    stopping = true
    logger.info({ signal }, 'stopping')
    await app.close()
    await reminders.stop()
    await worker.stop()
    await database.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

function printWelcome(config: Config, logger: Logger): void {
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${String(config.port)}`
  logger.info({ url }, 'listening')
  const lines = [
    '',
    `${config.serviceName} for ${config.authority.name} is running at ${url}`,
    `Database: ${config.database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.database.dataDir}` : 'PostgreSQL server (DATABASE_URL)'}`,
  ]
  if (config.demoMode) {
    lines.push(
      '',
      'Demo sign-ins (password for all: ' + demoPassword + '):',
      `  Staff:   ${url}/sign-in   e.g. health.visitor@northmoor.example, sysadmin@northmoor.example, ig.officer@northmoor.example`,
      `  Parent:  ${url}/parent/sign-in   parent@northmoor.example`,
      `  Staff two-factor codes (no phone needed in the demo): ${url}/demo/codes  or  npm run cli -- demo totp EMAIL`,
      '  The sign-in page lists every demo account.',
      `  Families find help without signing in: ${url}/find-support  and  ${url}/start-for-life`,
    )
  }
  console.log(lines.join('\n') + '\n')
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
