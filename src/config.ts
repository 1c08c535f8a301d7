import path from 'node:path'
import { z } from 'zod'

/** The development default secrets. Production refuses to start with any of them. */
export const insecureDefaults = {
  sessionSecret: 'development-only-session-secret-change-me-000000',
  dataEncryptionKey: 'development-only-data-encryption-key-change-me-00',
} as const

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform(value => value === 'true' || value === '1' || value === 'yes')

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  PGLITE_DATA_DIR: z.string().min(1).default('./data/pglite'),
  SESSION_SECRET: z
    .string()
    .min(32, 'SESSION_SECRET must be at least 32 characters')
    .default(insecureDefaults.sessionSecret),
  DATA_ENCRYPTION_KEY: z
    .string()
    .min(32, 'DATA_ENCRYPTION_KEY must be at least 32 characters')
    .default(insecureDefaults.dataEncryptionKey),
  AUTHORITY_NAME: z.string().min(2).max(80).default('Northmoor County Council'),
  AUTHORITY_CODE: z
    .string()
    .regex(/^E\d{8}$/, 'AUTHORITY_CODE must be an ONS local authority code such as E10000099')
    .default('E10000099'),
  AUTHORITY_LOGO_URL: z.string().max(500).optional(),
  AUTHORITY_BRAND_COLOUR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'AUTHORITY_BRAND_COLOUR must be a hex colour such as #00594f')
    .refine(colour => contrastWithWhite(colour) >= 4.5, {
      message: 'AUTHORITY_BRAND_COLOUR must be dark enough for white header text (contrast 4.5:1 or more, WCAG AA)',
    })
    .default('#00594f'),
  SERVICE_NAME: z.string().min(2).max(60).default('Best Start'),
  PUBLIC_BASE_URL: z.url().optional(),
  DEMO_MODE: booleanString.optional(),
  DEMO_SCALE: z.coerce.number().positive().max(100).default(1),
  NOTIFY_API_KEY: z.string().min(10).optional(),
  NOTIFY_BASE_URL: z.url().default('https://api.notifications.service.gov.uk'),
  NOTIFY_TEMPLATE_IDS: z
    .string()
    .default('{}')
    .transform((value, ctx) => {
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(value))
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'NOTIFY_TEMPLATE_IDS must be a JSON object of template name to Notify template id',
        })
        return z.NEVER
      }
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanString.default(false),
})

export type Env = z.input<typeof EnvSchema>

/** WCAG contrast ratio of a #rrggbb colour against white. */
export function contrastWithWhite(hex: string): number {
  const channel = (offset: number): number => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
  return 1.05 / (luminance + 0.05)
}

export interface Config {
  env: 'development' | 'test' | 'production'
  production: boolean
  port: number
  host: string
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string }
  sessionSecret: string
  dataEncryptionKey: string
  authority: { name: string; code: string; logoUrl: string | undefined; brandColour: string }
  serviceName: string
  publicBaseUrl: string
  demoMode: boolean
  demoScale: number
  notify: { apiKey: string | undefined; baseUrl: string; templateIds: Record<string, string> }
  logLevel: string
  trustProxy: boolean
}

/** Thrown when the environment holds a value the service cannot run with. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses the environment once. Throws ConfigError with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = EnvSchema.safeParse(cleaned)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  const demoMode = e.DEMO_MODE ?? !production
  const config: Config = {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.resolve(e.PGLITE_DATA_DIR) },
    sessionSecret: e.SESSION_SECRET,
    dataEncryptionKey: e.DATA_ENCRYPTION_KEY,
    authority: {
      name: e.AUTHORITY_NAME,
      code: e.AUTHORITY_CODE,
      logoUrl: e.AUTHORITY_LOGO_URL,
      brandColour: e.AUTHORITY_BRAND_COLOUR,
    },
    serviceName: e.SERVICE_NAME,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${String(e.PORT)}`,
    demoMode,
    demoScale: e.DEMO_SCALE,
    notify: { apiKey: e.NOTIFY_API_KEY, baseUrl: e.NOTIFY_BASE_URL, templateIds: e.NOTIFY_TEMPLATE_IDS },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
  }
  if (production) {
    assertSafeForProduction(config)
  }
  return config
}

function assertSafeForProduction(config: Config): void {
  const problems: string[] = []
  if (config.demoMode) {
    problems.push('DEMO_MODE must be false in production')
  }
  if (config.sessionSecret === insecureDefaults.sessionSecret) {
    problems.push('SESSION_SECRET must be set to a secret value in production')
  }
  if (config.dataEncryptionKey === insecureDefaults.dataEncryptionKey) {
    problems.push('DATA_ENCRYPTION_KEY must be set to a secret value in production')
  }
  if (config.sessionSecret === config.dataEncryptionKey) {
    problems.push('SESSION_SECRET and DATA_ENCRYPTION_KEY must differ')
  }
  if (config.database.kind !== 'postgres') {
    problems.push(
      'DATABASE_URL must point at a PostgreSQL server in production (the embedded database is for development)',
    )
  }
  if (!config.publicBaseUrl.startsWith('https://')) {
    problems.push('PUBLIC_BASE_URL must be an https:// address in production')
  }
  if (!config.notify.apiKey) {
    problems.push('NOTIFY_API_KEY must be set in production so that messages are sent')
  }
  if (problems.length > 0) {
    throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`)
  }
}
