import crypto from 'node:crypto'
import { base32Secret } from './demo-random.js'
import type { DbOrTx } from '../../db/database.js'
import { hashPassword } from '../../platform/auth/password.js'
import { encryptSecret } from '../../platform/crypto.js'
import { insertDemoOrganisation, insertDemoTeam, insertDemoUser } from './demo-store.js'

export const demoPassword = 'demo-password-2026'
export const demoEmailDomain = 'northmoor.example'

export interface DemoOrganisations {
  council: string
  communityTrust: string
  hospitalTrust: string
  gpPractice: string
  nursery: string
  voluntary: string
  teams: {
    healthVisitingNorth: string
    healthVisitingSouth: string
    midwifery: string
    familyHubs: string
    frontDoor: string
    directory: string
    voluntary: string
  }
}

/** The organisations and teams of the fictional county, and one staff account for every role. */
export async function seedDemoOrganisations(
  db: DbOrTx,
  laCode: string,
  authorityName: string,
): Promise<DemoOrganisations> {
  const org = (name: string, kind: string, ods: string | null) =>
    insertDemoOrganisation(db, { name, kind, laCode, odsCode: ods })
  const council = await org(authorityName, 'local_authority', null)
  const communityTrust = await org('Northmoor Community Health NHS Trust', 'nhs_trust', 'RZ9')
  const hospitalTrust = await org('Northmoor Hospitals NHS Foundation Trust', 'nhs_trust', 'RZ8')
  const gpPractice = await org('Riverside Medical Practice', 'gp_practice', 'Z99001')
  const nursery = await org('Little Acorns Nursery', 'school_nursery', null)
  const voluntary = await org('Northmoor Family Friends', 'voluntary_organisation', null)
  return {
    council,
    communityTrust,
    hospitalTrust,
    gpPractice,
    nursery,
    voluntary,
    teams: {
      healthVisitingNorth: await insertDemoTeam(db, communityTrust, 'Health visiting – North'),
      healthVisitingSouth: await insertDemoTeam(db, communityTrust, 'Health visiting – South'),
      midwifery: await insertDemoTeam(db, hospitalTrust, 'Community midwifery'),
      familyHubs: await insertDemoTeam(db, council, 'Family hubs'),
      frontDoor: await insertDemoTeam(db, council, 'Early help front door'),
      directory: await insertDemoTeam(db, council, 'Family information service'),
      voluntary: await insertDemoTeam(db, voluntary, 'Volunteer family support'),
    },
  }
}

export interface DemoUserSpec {
  email: string
  displayName: string
  roleCode: string
  profession: string | null
  organisationId: string | null
  teamId: string | null
}

export function demoUserSpecs(orgs: DemoOrganisations): DemoUserSpec[] {
  const staff = (
    local: string,
    displayName: string,
    roleCode: string,
    organisationId: string,
    teamId: string | null,
    profession: string | null = null,
  ): DemoUserSpec => ({
    email: `${local}@${demoEmailDomain}`,
    displayName,
    roleCode,
    profession,
    organisationId,
    teamId,
  })
  return [
    staff(
      'health.visitor',
      'Hana Whitfield',
      'practitioner',
      orgs.communityTrust,
      orgs.teams.healthVisitingNorth,
      'health_visitor',
    ),
    staff('midwife', 'Maya Okafor', 'practitioner', orgs.hospitalTrust, orgs.teams.midwifery, 'midwife'),
    staff(
      'family.support',
      'Femi Adeyemi',
      'practitioner',
      orgs.council,
      orgs.teams.familyHubs,
      'family_support_worker',
    ),
    staff('early.years', 'Erin Lloyd', 'practitioner', orgs.nursery, null, 'early_years_practitioner'),
    staff('social.worker', 'Sam Kowalski', 'practitioner', orgs.council, orgs.teams.frontDoor, 'social_worker'),
    staff('front.door', 'Fern Dobson', 'front_door_officer', orgs.council, orgs.teams.frontDoor),
    staff('team.manager', 'Tom Marsh', 'team_manager', orgs.communityTrust, orgs.teams.healthVisitingNorth),
    staff('service.manager', 'Sunita Rao', 'service_manager', orgs.council, orgs.teams.familyHubs),
    staff('vcs.manager', 'Victor Chen', 'service_manager', orgs.voluntary, orgs.teams.voluntary),
    staff('directory.admin', 'Dee Harper', 'directory_admin', orgs.council, orgs.teams.directory),
    staff('analyst', 'Anna Brooks', 'analyst', orgs.council, null),
    staff('ig.officer', 'Ivan Grant', 'ig_officer', orgs.council, null),
    staff('sysadmin', 'Sasha Patel', 'system_admin', orgs.council, null),
    {
      email: `parent@${demoEmailDomain}`,
      displayName: 'Priya Shah',
      roleCode: 'parent',
      profession: null,
      organisationId: null,
      teamId: null,
    },
  ]
}

/** The demo TOTP secret of an account: derived from the seed, so that it is the same after every reseed. */
export function demoTotpSecret(email: string, seed: number): string {
  return base32Secret(
    crypto
      .createHash('sha256')
      .update(`best-start-demo-totp:${String(seed)}:${email}`)
      .digest()
      .subarray(0, 20),
  )
}

/** Creates the demo staff and parent accounts. Staff have MFA on (codes at /demo/codes); the parent does not. */
export async function seedDemoUsers(
  db: DbOrTx,
  orgs: DemoOrganisations,
  options: { seed: number; laCode: string; dataEncryptionKey: string },
): Promise<Map<string, string>> {
  const passwordHash = await hashPassword(demoPassword)
  const ids = new Map<string, string>()
  for (const spec of demoUserSpecs(orgs)) {
    const staffAccount = spec.roleCode !== 'parent'
    const id = await insertDemoUser(db, {
      ...spec,
      kind: staffAccount ? 'staff' : 'parent',
      passwordHash,
      mfaSecretEncrypted: staffAccount
        ? encryptSecret(demoTotpSecret(spec.email, options.seed), options.dataEncryptionKey)
        : null,
      laCode: options.laCode,
    })
    ids.set(spec.email, id)
  }
  return ids
}
