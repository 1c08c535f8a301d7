import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { runCli } from './main.js'

const bin = fileURLToPath(new URL('../../bin/beststart.js', import.meta.url))

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err }
}

describe('beststart CLI', () => {
  it('lists its commands, and explains each with --help', async () => {
    const overview = capture()
    expect(await runCli(['--help'], overview.io)).toBe(0)
    expect(overview.out.join('\n')).toMatch(/db migrate[\s\S]*demo seed[\s\S]*users create[\s\S]*audit export/)
    const help = capture()
    expect(await runCli(['demo', 'seed', '--help'], help.io)).toBe(0)
    expect(help.out.join('\n')).toContain('--scale N')
  })

  it('answers an unknown command or a bad option with a usage error and exit code 2', async () => {
    const unknown = capture()
    expect(await runCli(['db', 'explode'], unknown.io)).toBe(2)
    expect(unknown.err.join('\n')).toContain('Unknown command: db explode')
    const badOption = capture()
    expect(await runCli(['demo', 'seed', '--scale', 'lots'], badOption.io)).toBe(2)
    expect(badOption.err.join('\n')).toContain('--scale must be a number')
    const unknownOption = capture()
    expect(await runCli(['db', 'migrate', '--force'], unknownOption.io)).toBe(2)
    const missing = capture()
    expect(await runCli(['users', 'create', '--email', 'x@example.org'], missing.io)).toBe(2)
    expect(missing.err.join('\n')).toContain('--email, --name, --role and --organisation are all needed')
  })

  it('refuses to open an embedded database another process is using, exits 3, and loses nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-cli-lock-'))
    const dataDir = path.join(dir, 'pglite')
    const holder = await openDatabase({ kind: 'pglite', dataDir })
    try {
      await migrate(holder.db)
      const result = spawnSync(process.execPath, [bin, 'db', 'migrate'], {
        env: { ...process.env, PGLITE_DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(result.status).toBe(3)
      expect(result.stderr).toContain('is in use by another Best Start process')
      const rows = await holder.db.selectFrom('roles').select('code').execute()
      expect(rows.length).toBe(9)
    } finally {
      await holder.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
