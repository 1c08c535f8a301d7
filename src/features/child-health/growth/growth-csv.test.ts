import { PassThrough, Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { calculateGrowthCsv, CSV_OUTPUT_COLUMNS } from './growth-csv.js'

async function run(text: string, options = {}) {
  const output = new PassThrough()
  const chunks: Buffer[] = []
  output.on('data', (chunk: Buffer) => chunks.push(chunk))
  const result = await calculateGrowthCsv(Readable.from([text]), output, options)
  const records: Record<string, string>[] = parse(Buffer.concat(chunks).toString('utf8'), { columns: true })
  return { result, records }
}

const HEADER = 'birth_date,observation_date,gestation_weeks,gestation_days,sex,measurement_method,observation_value'

describe('calculateGrowthCsv', () => {
  it('computes good rows and reports bad rows with their line number and reason', async () => {
    const { result, records } = await run(
      [
        HEADER,
        '2020-01-01,2021-01-01,40,0,female,height,75',
        '2020-01-01,2020-07-01,32,0,male,weight,6.5',
        '2020-01-01,2020-13-01,40,0,female,height,75',
        '2020-01-01,2021-01-01,40,0,female,length',
        '2015-06-15,2015-06-29,,,female,weight,20',
        '2015-06-15,2015-06-15,42,0,female,bmi,18',
        '',
      ].join('\n'),
    )
    expect(result).toEqual({
      rows: 6,
      computed: 3,
      errorCount: 3,
      errors: [
        { line: 4, message: 'observation_date: Input should be a valid date in the format YYYY-MM-DD' },
        { line: 5, message: 'Expected 7 fields but found 6.' },
        {
          line: 6,
          message:
            'observation_value: A weight of 20.0 kg in a girl of 2 weeks is more than +8 SD. Please recheck the measurement and date of birth.',
        },
      ],
    })
    expect(Object.keys(records[0] ?? {})).toEqual([...CSV_OUTPUT_COLUMNS])
    expect(records[0]).toMatchObject({
      chronological_decimal_age: '1.002053388090349',
      corrected_sds: '0.3706868165110242',
      corrected_centile: '64.4565',
      corrected_centile_band: 'This height measurement is between the 50th and 75th centiles.',
      error: '',
    })
    expect(records[1]).toMatchObject({
      corrected_decimal_age: '0.34496919917864477',
      chronological_sds: '-1.7874654372200365',
      chronological_centile: '3.6931',
      corrected_centile: '22.5888',
    })
    expect(records[2]).toMatchObject({
      chronological_sds: '',
      error: 'observation_date: Input should be a valid date in the format YYYY-MM-DD',
    })
    // gestation left empty means 40+0 (the row is bad only because of its value)
    expect(records[4]?.error).toMatch(/more than \+8 SD/)
    expect(records[5]).toMatchObject({
      chronological_sds: '',
      chronological_measurement_error: 'UK-WHO BMI data does not exist below 2 weeks of age.',
      corrected_sds: '3.2241578394699935',
    })
  })

  it('names every problem in a row', async () => {
    const { result } = await run([HEADER, '2021-01-02,2021-01-01,50,9,M,weight,-1'].join('\n'))
    expect(result.errors[0]?.message).toBe(
      "observation_value: Input should be greater than 0; sex: Input should be 'male' or 'female'; gestation_weeks: Input should be less than or equal to 44; gestation_days: Input should be less than or equal to 6",
    )
  })

  it('accepts any column order, quoted fields and extra columns; reports the reference', async () => {
    const { result, records } = await run(
      [
        'id,sex,measurement_method,observation_value,birth_date,observation_date,gestation_weeks,gestation_days',
        '7,"female",height,100,2015-06-15,2025-06-14,40,0',
      ].join('\r\n'),
      { reference: 'turners-syndrome' },
    )
    expect(result.computed).toBe(1)
    expect(records[0]?.corrected_sds).toBe('-3.4636151274697378')
  })

  it('rejects a header without the required columns', async () => {
    await expect(run('birth_date,sex\n2020-01-01,male\n')).rejects.toThrow(
      'CSV header is missing column(s): observation_date, gestation_weeks, gestation_days, measurement_method, observation_value',
    )
  })

  it('keeps memory flat: streams 50,000 rows', async () => {
    const rows = 50_000
    let emitted = 0
    const input = new Readable({
      read() {
        if (emitted === 0) {
          this.push(HEADER + '\n')
        }
        if (emitted >= rows) {
          this.push(null)
          return
        }
        this.push(`2015-06-15,2019-06-15,40,0,male,weight,${15 + (emitted % 10) / 2}\n`)
        emitted++
      },
    })
    const output = new PassThrough()
    let lines = 0
    output.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === 10) {
          lines++
        }
      }
    })
    const result = await calculateGrowthCsv(input, output)
    expect(result).toMatchObject({ rows, computed: rows, errorCount: 0 })
    expect(lines).toBe(rows + 1)
  })
})
