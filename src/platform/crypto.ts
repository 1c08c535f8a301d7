import crypto from 'node:crypto'

/** SHA-256 hex digest: how session ids, tokens and recovery codes are stored. */
export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex')
}

/** A random token for cookies and links: 32 bytes, base64url. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url')
}

/** AES-256-GCM with a key derived from the configured secret. Output: iv.tag.ciphertext, base64url. */
export function encryptSecret(plain: string, secret: string): string {
  const key = crypto.createHash('sha256').update(secret).digest()
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv)
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return [iv, cipher.getAuthTag(), encrypted].map(part => part.toString('base64url')).join('.')
}

export function decryptSecret(sealed: string, secret: string): string {
  const [iv, tag, encrypted] = sealed.split('.').map(part => Buffer.from(part, 'base64url'))
  if (!iv || !tag || !encrypted) {
    throw new Error('Sealed value is malformed')
  }
  const key = crypto.createHash('sha256').update(secret).digest()
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(encrypted), decipher.final()]).toString('utf8')
}

/** Compares two strings in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && crypto.timingSafeEqual(left, right)
}
