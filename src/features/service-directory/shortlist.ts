import crypto from 'node:crypto'

/** The most services a shortlist holds (keeps the cookie and the shared link short). */
export const shortlistLimit = 30
export const shortlistCookie = 'bs_shortlist'

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function mac(payload: string, secret: string): string {
  return crypto.createHmac('sha256', `${secret}:shortlist`).update(payload).digest('base64url').slice(0, 22)
}

/**
 * A shortlist as a signed, session-less token: the service ids packed as 16 bytes each, base64url, then an HMAC.
 * The same token is the cookie value and the share link, so a list can be shared without being stored anywhere.
 */
export function encodeShortlist(ids: string[], secret: string): string {
  const bytes = Buffer.concat(ids.slice(0, shortlistLimit).map(id => Buffer.from(id.replace(/-/g, ''), 'hex')))
  const payload = bytes.toString('base64url')
  return `${payload}.${mac(payload, secret)}`
}

/** The ids in a token, or undefined if it was not made by us (or was changed). */
export function decodeShortlist(token: string | undefined, secret: string): string[] | undefined {
  if (!token || token.length > 1000) {
    return undefined
  }
  const [payload, signature, extra] = token.split('.')
  if (payload === undefined || signature === undefined || extra !== undefined) {
    return undefined
  }
  const expected = mac(payload, secret)
  if (signature.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    return undefined
  }
  const bytes = Buffer.from(payload, 'base64url')
  if (bytes.length % 16 !== 0) {
    return undefined
  }
  const ids: string[] = []
  for (let offset = 0; offset < bytes.length && ids.length < shortlistLimit; offset += 16) {
    const hex = bytes.subarray(offset, offset + 16).toString('hex')
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    if (uuidPattern.test(id) && !ids.includes(id)) {
      ids.push(id)
    }
  }
  return ids
}

/** A UK mobile number in the form GOV.UK Notify accepts (+447…), or undefined. */
export function normaliseUkMobile(input: string): string | undefined {
  const digits = input.replace(/[\s()-]/g, '')
  const match = /^(?:\+44|0044|0)(7\d{9})$/.exec(digits)
  return match?.[1] ? `+44${match[1]}` : undefined
}
