import type { Config } from '../../config.js'
import type { Db } from '../../db/database.js'

/** What every route plugin is given by createApp. */
export interface RouteDeps {
  config: Config
  db: Db
}
