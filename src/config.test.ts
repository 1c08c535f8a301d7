import { describe, expect, it } from 'vitest'
import { ConfigError, insecureDefaults, loadConfig } from './config.js'

describe('configuration', () => {
  it('gives safe development defaults: embedded database, demo mode, port 3000', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    expect(config.database).toEqual({ kind: 'pglite', dataDir: expect.stringMatching(/data\/pglite$/) as unknown })
    expect(config.demoMode).toBe(true)
    expect(config.production).toBe(false)
  })

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db.internal/beststart' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://app@db.internal/beststart',
    })
  })

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', AUTHORITY_BRAND_COLOUR: 'teal' })).toThrow(
      /PORT[\s\S]*DATABASE_URL must start with postgres[\s\S]*AUTHORITY_BRAND_COLOUR must be a hex colour/,
    )
  })

  it('refuses a brand colour too light for white header text', () => {
    expect(() => loadConfig({ AUTHORITY_BRAND_COLOUR: '#ffdd00' })).toThrow(/dark enough for white header text/)
    expect(loadConfig({ AUTHORITY_BRAND_COLOUR: '#1d70b8' }).authority.brandColour).toBe('#1d70b8')
  })

  it('refuses to start in production with demo mode, default secrets or the embedded database', () => {
    let error: unknown
    try {
      loadConfig({ NODE_ENV: 'production', DEMO_MODE: 'true' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    expect(message).toContain('DEMO_MODE must be false')
    expect(message).toContain('SESSION_SECRET must be set')
    expect(message).toContain('DATA_ENCRYPTION_KEY must be set')
    expect(message).toContain('DATABASE_URL must point at a PostgreSQL server')
    expect(message).toContain('PUBLIC_BASE_URL must be an https://')
    expect(message).toContain('NOTIFY_API_KEY must be set')
  })

  it('starts in production when everything is safe', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db.internal/beststart',
      SESSION_SECRET: 'a'.repeat(40),
      DATA_ENCRYPTION_KEY: 'b'.repeat(40),
      PUBLIC_BASE_URL: 'https://beststart.northmoor.gov.uk',
      NOTIFY_API_KEY: 'live-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000',
    })
    expect(config.demoMode).toBe(false)
    expect(config.sessionSecret).not.toBe(insecureDefaults.sessionSecret)
  })
})
