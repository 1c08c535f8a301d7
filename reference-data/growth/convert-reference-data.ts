// One-off converter: turns the RCPCH/WHO source tables (see README.md for provenance) into the compact JSON
// tables shipped in this folder, and copies the validation fixtures next to the engine's tests.
//
//   npx tsx reference-data/growth/convert-reference-data.ts /work/shared/data/growth
//
// Numbers are parsed and re-serialised unchanged (JSON numbers round-trip exactly as doubles).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

type Row = { decimal_age: number; L: number | string; M: number | string; S: number | string }
type SourceFile = { acknowledgement_text?: string; notes?: string; measurement: Record<string, Record<string, Row[]>> }
type Table = { ages: number[]; l: number[]; m: number[]; s: number[] }

const METHODS = ['height', 'weight', 'bmi', 'ofc'] as const
const SEXES = ['male', 'female'] as const

const sourceRoot = process.argv[2] ?? '/work/shared/data/growth'
const here = dirname(fileURLToPath(import.meta.url))
const fixturesDir = join(here, '..', '..', 'src', 'features', 'child-health', 'growth', 'fixtures')

function toTable(rows: Row[] | undefined): Table | null {
  if (!rows || rows.length === 0) return null
  // UK90 preterm BMI rows exist but are blank strings: there is no BMI reference below 2 weeks
  if (rows.some(row => typeof row.L !== 'number' || typeof row.M !== 'number' || typeof row.S !== 'number')) return null
  return {
    ages: rows.map(row => row.decimal_age),
    l: rows.map(row => row.L as number),
    m: rows.map(row => row.M as number),
    s: rows.map(row => row.S as number),
  }
}

function convertLmsFile(sourcePath: string, outName: string, source: string): void {
  const file = JSON.parse(readFileSync(join(sourceRoot, sourcePath), 'utf8')) as SourceFile
  const tables: Record<string, Record<string, Table | null>> = {}
  for (const method of METHODS) {
    tables[method] = {}
    for (const sex of SEXES) tables[method][sex] = toTable(file.measurement[method]?.[sex])
  }
  const out = { source, acknowledgement: file.acknowledgement_text ?? '', notes: file.notes ?? '', tables }
  writeFileSync(join(here, outName), JSON.stringify(out) + '\n')
}

// WHO anthro daily tables: TSV "sex age l m s [loh]", sex 1 = male, 2 = female, age in days 0-1826
function convertAnthro(): void {
  const files = { height: 'lenanthro.txt', weight: 'weianthro.txt', bmi: 'bmianthro.txt', ofc: 'hcanthro.txt' } as const
  const tables: Record<string, Record<string, { l: number[]; m: number[]; s: number[] }>> = {}
  for (const method of METHODS) {
    const text = readFileSync(join(sourceRoot, 'lms', 'who-anthro-daily', files[method]), 'utf8')
    const bySex = { male: { l: [] as number[], m: [] as number[], s: [] as number[] }, female: { l: [], m: [], s: [] } }
    for (const line of text.split(/\r?\n/).slice(1)) {
      if (line.trim() === '') continue
      const [sex, age, l, m, s] = line.split('\t')
      const target = sex === '1' ? bySex.male : bySex.female
      if (Number(age) !== target.l.length) throw new Error(`${files[method]}: days out of order at ${line}`)
      target.l.push(Number(l))
      target.m.push(Number(m))
      target.s.push(Number(s))
    }
    tables[method] = bySex
  }
  const out = {
    source: 'WorldHealthOrganization/anthro data-raw/growthstandards/{len,wei,bmi,hc}anthro.txt @ b776d8a1',
    acknowledgement: 'WHO Child Growth Standards 2006, daily LMS values, days 0-1826',
    notes: 'Length rows for days 0-730, height rows from day 731 (lenanthro loh column).',
    firstDay: 0,
    tables,
  }
  writeFileSync(join(here, 'who-2006-daily.json'), JSON.stringify(out) + '\n')
}

function copyMinified(sourcePath: string, outName: string): void {
  mkdirSync(fixturesDir, { recursive: true })
  const value: unknown = JSON.parse(readFileSync(join(sourceRoot, sourcePath), 'utf8'))
  writeFileSync(join(fixturesDir, outName), JSON.stringify(value) + '\n')
}

const RCPCH = 'rcpch/rcpchgrowth-python rcpchgrowth/data_tables'
convertLmsFile('lms/uk-who/uk90_preterm.json', 'uk90-preterm.json', `${RCPCH}/uk90_preterm.json @ f6d92e48`)
convertLmsFile('lms/uk-who/uk90_child.json', 'uk90-child.json', `${RCPCH}/uk90_child.json @ f6d92e48`)
convertLmsFile('lms/uk-who/who_infants.json', 'who-2006-infant.json', `${RCPCH}/who_infants.json @ f6d92e48`)
convertLmsFile('lms/uk-who/who_children.json', 'who-2006-child.json', `${RCPCH}/who_children.json @ f6d92e48`)
convertLmsFile('lms/trisomy21/trisomy_21.json', 'trisomy-21.json', `${RCPCH}/trisomy_21.json @ f6d92e48`)
convertLmsFile('lms/turner/turner.json', 'turner.json', `${RCPCH}/turner.json @ f6d92e48`)
convertAnthro()

copyMinified('fixtures/sds_age_validation_2021.json', 'sds_age_validation_2021.json')
for (const sex of SEXES) {
  for (const method of METHODS) {
    const name = `cole-nine-centiles-uk-who-${sex}-${method}.json`
    copyMinified(`chart-data/uk-who/${name}`, name)
  }
}
console.log('reference data written to', here, 'fixtures to', fixturesDir)
