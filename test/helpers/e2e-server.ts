import type { AddressInfo } from 'node:net'
import pino from 'pino'
import { createApp, type App } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import type { DatabaseHandle } from '../../src/db/database.js'
import { seedDemoOrganisations, seedDemoUsers, type DemoOrganisations } from '../../src/features/demo/demo-users.js'
import { testConfig } from './test-app.js'
import { createTestDb } from './test-db.js'

/** The seed the demo accounts' TOTP secrets are derived from (demoTotpSecret(email, demoSeed)). */
export const demoSeed = 1

export interface E2eServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  baseUrl: string
  app: App
  database: DatabaseHandle
  config: Config
  orgs: DemoOrganisations
  /** Demo account ids by email. */
  userIds: Map<string, string>
  close: () => Promise<void>
}

/**
 * The real app listening on 127.0.0.1 (a free port the OS picks) over a fresh test database holding the demo
 * organisations and accounts only (not the demo county: that keeps start-up fast). Demo mode is on, so the sign-in
 * page lists the demo accounts and /demo/codes works.
 */
export async function startE2eServer(overrides: Partial<Config> = {}): Promise<E2eServer> {
  const config: Config = { ...testConfig, demoMode: true, ...overrides }
  const database = await createTestDb()
  try {
    const orgs = await seedDemoOrganisations(database.db, config.authority.code, config.authority.name)
    const userIds = await seedDemoUsers(database.db, orgs, {
      seed: demoSeed,
      laCode: config.authority.code,
      dataEncryptionKey: config.dataEncryptionKey,
    })
    const app = await createApp({ config, db: database.db, logger: pino({ level: 'silent' }) })
    await app.app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.app.server.address() as AddressInfo
    const baseUrl = `http://127.0.0.1:${String(address.port)}`
    return {
      baseUrl,
      app,
      database,
      config,
      orgs,
      userIds,
      close: async () => {
        await app.app.close()
        await database.close()
      },
    }
  } catch (error) {
    await database.close()
    throw error
  }
}
