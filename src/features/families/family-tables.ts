/** Kysely types for this feature's tables (migrations/*.sql). Empty until the feature adds tables. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FamilyTables {}
