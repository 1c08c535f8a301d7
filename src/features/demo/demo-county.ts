import type { Db } from '../../db/database.js'
import type { DemoOrganisations } from './demo-users.js'

export interface CountySummary {
  districts: number
  smallAreas: number
  postcodes: number
  families: number
  children: number
  adults: number
}

/** Placeholder until the county generator lands: geography, households, children and parents. */
export async function seedDemoCounty(
  _db: Db,
  _options: { scale: number; seed: number; laCode: string; orgs: DemoOrganisations; userIds: Map<string, string> },
): Promise<CountySummary> {
  return Promise.resolve({ districts: 0, smallAreas: 0, postcodes: 0, families: 0, children: 0, adults: 0 })
}
