import type { Db } from '../../db/database.js'
import { ConflictError } from '../../platform/errors.js'
import { seedDemoCounty, type CountySummary } from './demo-county.js'
import { countDemoUsers } from './demo-store.js'
import { seedDemoRedBooks } from '../child-health/demo-red-books.js'
import { seedDemoDirectory } from '../service-directory/demo-directory.js'
import { demoEmailDomain, seedDemoOrganisations, seedDemoUsers } from './demo-users.js'

export interface DemoSeedOptions {
  scale: number
  seed: number
  laCode: string
  authorityName: string
  dataEncryptionKey: string
}

export interface DemoSeedSummary extends CountySummary {
  services: number
  hubNetworks: number
  users: number
  seconds: number
}

export async function hasDemoData(db: Db): Promise<boolean> {
  return (await countDemoUsers(db)) > 0
}

/**
 * Builds the fictional demo county: organisations, teams, a staff account for every role and a parent account,
 * then the geography and population. Refuses a database that already holds demo data (the audit trail cannot be
 * emptied, so a fresh database is the way to start again).
 */
export async function seedDemo(db: Db, options: DemoSeedOptions): Promise<DemoSeedSummary> {
  const started = performance.now()
  if (await hasDemoData(db)) {
    throw new ConflictError(
      'This database already holds the demo county. Start from an empty database (delete the data folder, or use a new DATABASE_URL) to seed again.',
    )
  }
  const { orgs, userIds } = await db.transaction().execute(async trx => {
    const orgs = await seedDemoOrganisations(trx, options.laCode, options.authorityName)
    const userIds = await seedDemoUsers(trx, orgs, options)
    return { orgs, userIds }
  })
  const county = await seedDemoCounty(db, {
    scale: options.scale,
    seed: options.seed,
    laCode: options.laCode,
    orgs,
    userIds,
  })
  // The red book needs the caseloads and the demo parent's family that the county created.
  const healthVisitorUserId = userIds.get(`health.visitor@${demoEmailDomain}`)
  if (healthVisitorUserId) {
    await seedDemoRedBooks(db, { seed: options.seed, laCode: options.laCode, healthVisitorUserId })
  }
  const directory = await seedDemoDirectory(db, {
    seed: options.seed,
    scale: options.scale,
    laCode: options.laCode,
    orgIds: [orgs.council, orgs.communityTrust, orgs.hospitalTrust, orgs.gpPractice, orgs.nursery, orgs.voluntary],
  })
  return {
    ...county,
    services: directory.services,
    hubNetworks: directory.networks,
    users: userIds.size,
    seconds: (performance.now() - started) / 1000,
  }
}
