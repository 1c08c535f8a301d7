/**
 * Every message the product sends. Each carries no more personal data than it needs: a first name at most, and
 * links rather than details. With GOV.UK Notify, each template is created there with the same body and its id set
 * in NOTIFY_TEMPLATE_IDS; in demo mode the body below is rendered into the sent-messages page instead.
 */
export const messageTemplates = {
  'staff-invitation': {
    channel: 'email',
    subject: 'You have been invited to ((serviceName))',
    body: 'Hello ((name)),\n\nYou have been given an account on ((serviceName)) by ((authority)).\n\nSet your password within 7 days: ((link))\n\nYou will then set up two-factor authentication.',
  },
  'password-reset': {
    channel: 'email',
    subject: 'Reset your ((serviceName)) password',
    body: 'Someone asked to reset the password for this email address on ((serviceName)).\n\nTo choose a new password, use this link within 1 hour: ((link))\n\nIf this was not you, you can ignore this email.',
  },
  'mfa-reset': {
    channel: 'email',
    subject: 'Your two-factor authentication was reset',
    body: 'Hello ((name)),\n\nA system administrator at ((authority)) reset your two-factor authentication for ((serviceName)). The next time you sign in you will set it up again.\n\nIf you did not ask for this, tell your manager straight away.',
  },
  'recovery-code-used': {
    channel: 'email',
    subject: 'A recovery code was used to sign in',
    body: 'Hello ((name)),\n\nSomeone signed in to your ((serviceName)) account with a recovery code. You have ((remaining)) recovery codes left.\n\nIf this was not you, tell your manager straight away.',
  },
  'directory-shortlist-email': {
    channel: 'email',
    subject: 'Services you saved on ((serviceName))',
    body: 'Here are the ((count)) services you saved on ((serviceName)):\n\n((services))\n\nSee them, with times, places and how to get in touch: ((link))\n\nYou asked us to send this. We have not kept your email address for anything else.',
  },
  'directory-shortlist-sms': {
    channel: 'sms',
    subject: '',
    body: 'Your ((serviceName)) shortlist of ((count)) services: ((link))',
  },
  'directory-service-approved': {
    channel: 'email',
    subject: 'Approved: ((service))',
    body: 'Hello ((name)),\n\nA directory admin at ((authority)) has approved ((what)) ((service)). Families can now see it on ((serviceName)).\n\nSee the service: ((link))',
  },
  'directory-service-rejected': {
    channel: 'email',
    subject: 'Not approved: ((service))',
    body: 'Hello ((name)),\n\nA directory admin at ((authority)) has not approved ((what)) ((service)).\n\nTheir reason: ((reason))\n\n((outcome)) You can change it and send it for approval again: ((link))',
  },
  'directory-review-reminder': {
    channel: 'email',
    subject: 'Check your services on ((serviceName))',
    body: 'Hello ((name)),\n\nFamilies rely on the ((serviceName)) directory being right. These ((count)) services of yours were last checked more than 3 months ago:\n\n((services))\n\nFor each one, check the details with your team. Then update it, or confirm it is still right: ((link))',
  },
} as const satisfies Record<string, { channel: 'email' | 'sms'; subject: string; body: string }>

export type MessageTemplate = keyof typeof messageTemplates

export function renderTemplate(
  template: MessageTemplate,
  personalisation: Record<string, unknown>,
): {
  subject: string
  body: string
} {
  const fill = (text: string): string =>
    text.replace(/\(\(([a-zA-Z]+)\)\)/g, (_, key: string) => {
      const value = personalisation[key]
      return typeof value === 'string' || typeof value === 'number' ? String(value) : `((${key}))`
    })
  const { subject, body } = messageTemplates[template]
  return { subject: fill(subject), body: fill(body) }
}

export function isMessageTemplate(value: string): value is MessageTemplate {
  return Object.hasOwn(messageTemplates, value)
}
