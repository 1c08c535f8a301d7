import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, describe, expect, it } from 'vitest'
import { CSV_OUTPUT_COLUMNS } from '../features/child-health/growth/index.js'
import { UsageError } from './cli-context.js'
import { growthCalculateCommand } from './growth-command.js'
import { commands, runCli } from './main.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-growth-cli-'))
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const HEADER = 'birth_date,observation_date,gestation_weeks,gestation_days,sex,measurement_method,observation_value'

function file(name: string, lines: string[]): string {
  const full = path.join(dir, name)
  fs.writeFileSync(full, `${lines.join('\n')}\n`)
  return full
}

function capture() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err }
}

/** Runs the command as the CLI does: a UsageError is exit code 2. */
async function run(args: string[]) {
  const io = capture()
  let code: number
  try {
    code = await growthCalculateCommand.run(args, io.io)
  } catch (error) {
    if (!(error instanceof UsageError) && !(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      throw error
    }
    io.err.push((error as Error).message)
    code = 2
  }
  return { code, out: io.out, err: io.err.join('\n') }
}

const readCsv = (name: string): Record<string, string>[] =>
  parse<Record<string, string>>(fs.readFileSync(name, 'utf8'), { columns: true })

describe('beststart growth calculate', () => {
  it('computes the good rows, writes the bad ones with their reason, lists them on stderr, exits 1', async () => {
    const input = file('mixed.csv', [
      HEADER,
      '2020-01-01,2021-01-01,40,0,female,height,75',
      '2020-01-01,2020-07-01,32,0,male,weight,6.5',
      '2020-01-01,2020-13-01,40,0,female,height,75',
      '2020-01-01,2021-01-01,40,0,female,weight,-2',
      '2015-06-15,2025-06-14,40,0,female,bmi,18',
    ])
    const output = path.join(dir, 'mixed-out.csv')
    const result = await run(['--input', input, '--output', output])
    expect(result.code).toBe(1)
    expect(result.out).toEqual([])
    expect(result.err).toBe(
      [
        `Computed 3 of 5 rows (uk-who) into ${output}.`,
        '2 bad rows were not computed (each is in the output with its reason in the error column):',
        '  line 4: observation_date: Input should be a valid date in the format YYYY-MM-DD',
        '  line 5: observation_value: Input should be greater than 0',
      ].join('\n'),
    )
    const rows = readCsv(output)
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_OUTPUT_COLUMNS])
    expect(rows).toHaveLength(5)
    expect(rows[0]).toMatchObject({ corrected_sds: '0.3706868165110242', corrected_centile: '64.4565', error: '' })
    expect(rows[1]).toMatchObject({ chronological_centile: '3.6931', corrected_centile: '22.5888', error: '' })
    expect(rows[2]).toMatchObject({
      corrected_sds: '',
      error: 'observation_date: Input should be a valid date in the format YYYY-MM-DD',
    })
    expect(rows[3]?.error).toBe('observation_value: Input should be greater than 0')
    expect(rows[4]?.corrected_centile).toBe('68.5505')
    // no temporary file left beside the output
    expect(fs.readdirSync(dir).filter(name => name.includes('.partial'))).toEqual([])
  })

  it('exits 0 when every row is computed; --reference chooses the reference', async () => {
    const input = file('good.csv', [
      'sex,measurement_method,observation_value,birth_date,observation_date,gestation_weeks,gestation_days,nhs_number',
      'female,height,91.72,2015-06-15,2019-06-15,40,0,x',
      'female,height,120,2010-01-01,2018-01-01,,,y',
    ])
    const output = path.join(dir, 'good-out.csv')
    const result = await run(['--input', input, '--output', output, '--reference', 'turner'])
    expect(result.code).toBe(0)
    expect(result.err).toBe(`Computed 2 of 2 rows (turner) into ${output}.`)
    expect(readCsv(output)[0]?.corrected_sds).toBe('0')

    const uk = await run(['-i', input, '-o', output])
    expect(uk.code).toBe(0)
    expect(Number(readCsv(output)[0]?.corrected_sds)).toBeLessThan(-1)
  })

  it('lists the first 20 bad rows, then a count', async () => {
    const bad = Array.from({ length: 25 }, () => '2020-01-01,2021-01-01,40,0,female,length,75')
    const input = file('bad.csv', [HEADER, '2020-01-01,2021-01-01,40,0,female,height,75', ...bad])
    const output = path.join(dir, 'bad-out.csv')
    const result = await run(['--input', input, '--output', output])
    expect(result.code).toBe(1)
    const lines = result.err.split('\n')
    expect(lines[0]).toBe(`Computed 1 of 26 rows (uk-who) into ${output}.`)
    expect(lines.filter(line => line.startsWith('  line '))).toHaveLength(20)
    expect(lines[2]).toBe("  line 3: measurement_method: Input should be 'height', 'weight', 'ofc' or 'bmi'")
    expect(lines.at(-1)).toBe('  … and 5 more bad rows.')
    expect(readCsv(output)).toHaveLength(26)
  })

  it('exits 1 and writes nothing when the input is not a CSV with the required columns', async () => {
    const input = file('wrong.csv', ['name,dob', 'Ann,2020-01-01'])
    const output = path.join(dir, 'wrong-out.csv')
    const result = await run(['--input', input, '--output', output])
    expect(result.code).toBe(1)
    expect(result.err).toContain('CSV header is missing column(s): birth_date, observation_date')
    expect(fs.existsSync(output)).toBe(false)
    expect(fs.readdirSync(dir).filter(name => name.includes('.partial'))).toEqual([])
  })

  it('exits 2 for usage errors: missing input file, unknown reference, missing options', async () => {
    const input = file('usage.csv', [HEADER, '2020-01-01,2021-01-01,40,0,female,height,75'])
    const output = path.join(dir, 'usage-out.csv')
    const missing = await run(['--input', path.join(dir, 'nope.csv'), '--output', output])
    expect(missing).toMatchObject({ code: 2, err: `There is no file ${path.join(dir, 'nope.csv')}` })
    const reference = await run(['--input', input, '--output', output, '--reference', 'cdc'])
    expect(reference).toMatchObject({ code: 2, err: 'Unknown reference cdc: use uk-who, trisomy-21 or turner' })
    expect((await run(['--input', input])).code).toBe(2)
    expect((await run(['--input', input, '--output', input])).code).toBe(2)
    expect((await run(['--input', dir, '--output', output])).code).toBe(2)
    expect((await run(['--input', input, '--output', path.join(dir, 'no-dir', 'out.csv')])).code).toBe(2)
    expect((await run(['--input', input, '--output', output, '--verbose'])).code).toBe(2)
    expect(fs.existsSync(output)).toBe(false)
  })

  it('is a beststart command (exit 2 and usage on a usage error)', async () => {
    expect(commands).toContain(growthCalculateCommand)
    const help = capture()
    expect(await runCli(['growth', 'calculate', '--help'], help.io)).toBe(0)
    expect(help.out.join('\n')).toContain('--reference')
    const usage = capture()
    expect(
      await runCli(['growth', 'calculate', '--input', path.join(dir, 'nope.csv'), '--output', 'x.csv'], usage.io),
    ).toBe(2)
    expect(usage.err.join('\n')).toContain('Usage: beststart growth calculate')
  })
})
