import pino, { type Logger } from 'pino'

/**
 * Paths never written to logs. Personal data is identified by ids only; request bodies, cookies and
 * authorisation headers are removed wholesale.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'body',
  'req.body',
  'password',
  '*.password',
  'email',
  '*.email',
  'name',
  '*.name',
  'givenName',
  'familyName',
  'dateOfBirth',
  '*.dateOfBirth',
  'nhsNumber',
  '*.nhsNumber',
  'postcode',
  '*.postcode',
  'phone',
  '*.phone',
  'token',
  '*.token',
  'code',
  '*.code',
]

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      // Only the path, never the query string: queries can carry postcodes or names.
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        url: req.url?.split('?')[0],
        id: req.id,
      }),
    },
  })
}
