import crypto from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import { sha256 } from '../crypto.js'

/** RFC 6238 TOTP: SHA-1, 6 digits, 30-second steps, as every authenticator app supports. */
const period = 30

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

function totpFor(secret: string, label = 'Best Start', issuer = 'Best Start'): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period, secret: Secret.fromBase32(secret) })
}

export function currentTotpCode(secret: string, at = Date.now()): string {
  return totpFor(secret).generate({ timestamp: at })
}

/**
 * Checks a code against the secret, one step either side for clock drift. Returns the time step the code belongs
 * to, or undefined. The caller refuses a step at or before the last one accepted, so a code cannot be replayed.
 */
export function matchTotpStep(secret: string, code: string, at = Date.now()): number | undefined {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) {
    return undefined
  }
  const delta = totpFor(secret).validate({ token, timestamp: at, window: 1 })
  return delta === null ? undefined : Math.floor(at / 1000 / period) + delta
}

export function totpUri(secret: string, account: string, issuer: string): string {
  return totpFor(secret, account, issuer).toString()
}

/** The otpauth URI as an SVG QR code, rendered on the server: no script needed. */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
}

/** Ten one-time recovery codes like 'k7dq-3mzp-x2', and their hashes for storage. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  const codes = Array.from({ length: 10 }, () => {
    const chars = Array.from(crypto.randomBytes(10), byte => alphabet[byte % alphabet.length]).join('')
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 10)}`
  })
  return { codes, hashes: codes.map(hashRecoveryCode) }
}

export function hashRecoveryCode(code: string): string {
  return sha256(code.trim().toLowerCase().replace(/\s+/g, ''))
}
