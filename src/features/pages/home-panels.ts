import type { Permission } from '../../platform/auth/permissions.js'

export interface HomePanel {
  heading: string
  text: string
  links: { text: string; href: string }[]
}

interface PanelDefinition extends HomePanel {
  permission: Permission
}

/** The panels a home page shows, by permission. Later features add theirs here. */
const panels: PanelDefinition[] = [
  {
    permission: 'own-family.read',
    heading: 'Your family',
    text: 'See your family record and your child’s red book once your health visitor or family hub has linked your account.',
    links: [
      { text: 'Your family', href: '/my-family' },
      { text: 'Your children’s red books', href: '/my-family/children' },
      { text: 'Link your account with a code', href: '/parent/link' },
    ],
  },
  {
    permission: 'caseload.read',
    heading: 'Your caseload',
    text: 'Families you work with: reviews and immunisations due, contacts and measurements.',
    links: [{ text: 'Your caseload', href: '/families' }],
  },
  {
    permission: 'front-door.triage',
    heading: 'Front door',
    text: 'Requests for early help waiting for triage.',
    links: [{ text: 'Families known to the front door', href: '/families' }],
  },
  {
    permission: 'team-caseload.read',
    heading: 'Your team',
    text: 'Allocation, caseload and timeliness across your team.',
    links: [],
  },
  {
    permission: 'directory.manage',
    heading: 'Service directory',
    text: 'Keep your organisation’s services, times and contacts up to date.',
    links: [
      { text: 'Your services', href: '/directory/manage' },
      { text: 'Services that need review', href: '/directory/manage/review' },
    ],
  },
  {
    permission: 'directory.approve',
    heading: 'Listings to approve',
    text: 'Approve changes from voluntary organisations and chase entries that need review.',
    links: [{ text: 'Changes waiting for approval', href: '/directory/manage/approvals' }],
  },
  {
    permission: 'indicator.read',
    heading: 'Outcomes',
    text: 'Indicators, inequality gaps, benchmarks and the six-monthly progress report.',
    links: [],
  },
  {
    permission: 'audit.read',
    heading: 'Audit trail',
    text: 'Who looked at or changed what, including refusals.',
    links: [{ text: 'Search the audit trail', href: '/audit' }],
  },
  {
    permission: 'user.manage',
    heading: 'Users and organisations',
    text: 'Invite users, disable accounts, reset two-factor authentication, and manage organisations, teams and roles.',
    links: [
      { text: 'Users', href: '/admin/users' },
      { text: 'Organisations and teams', href: '/admin/organisations' },
      { text: 'Roles and permissions', href: '/admin/roles' },
    ],
  },
  {
    permission: 'outbox.read',
    heading: 'Messages',
    text: 'Emails and text messages the service has queued and sent.',
    links: [{ text: 'Sent messages', href: '/demo/messages' }],
  },
]

export function homePanelsFor(granted: Set<Permission>): HomePanel[] {
  return panels
    .filter(panel => granted.has(panel.permission))
    .map(({ heading, text, links }) => ({ heading, text, links }))
}
