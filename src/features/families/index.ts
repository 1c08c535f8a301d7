/**
 * What other features may use from the family record. Nothing else in this folder is public: in particular, other
 * features never call family-store.ts; they open a family through withFamilyAccess (or authoriseFamilyAccess inside
 * a transaction they commit), so that every access is checked against a care relationship and audited.
 */
export {
  authoriseFamilyAccess,
  familyAccessorOf,
  noRelationshipMessage,
  withFamilyAccess,
  type FamilyAccessBasis,
  type FamilyAccessGrant,
  type FamilyAccessOptions,
  type FamilyAccessPurpose,
  type FamilyAccessor,
  type FamilyPermission,
} from './family-access.js'
export { describeAge, formatNhsNumber, postcodeDistrict } from './family.js'
