import fs from 'node:fs'
import path from 'node:path'
import * as ajv2020 from 'ajv/dist/2020.js'
import * as ajvFormats from 'ajv-formats'
import { orukReferenceDir } from './oruk-api.js'

/** Where the ORUK 3.0 OpenAPI document says its response schemas live (we load our copies under those ids). */
export const ukProfileBase = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/'
/** Where the ORUK validator's own 3.0 schemas live (tpximpact/OpenReferralApi Schemas/V3.0-UK). */
export const validatorBase =
  'https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/OpenReferralApi/Schemas/V3.0-UK/'

// CommonJS modules: the ESM default import is module.exports, whose `default` property is the class (or plugin).
const Ajv2020 = ajv2020.default.default
const addFormats = ajvFormats.default.default

export interface SchemaProblem {
  path: string
  message: string
}

export interface OrukSchemas {
  /** Validates data against a schema by its id (e.g. ukProfileBase + 'compiled/service.json'). */
  validate: (schemaId: string, data: unknown) => SchemaProblem[]
}

function listJson(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      return listJson(full)
    }
    return entry.name.endsWith('.json') ? [full] : []
  })
}

let shared: OrukSchemas | undefined

/**
 * The ORUK 3.0 schemas (UK profile, and the validator's copies) compiled with ajv (JSON Schema 2020-12) and
 * ajv-formats, so that format uuid, uri, email and date-time are enforced as the ORUK validator does. The schemas
 * carry Frictionless Data keywords (name, constraints, …), hence strict mode off.
 */
export function orukSchemas(): OrukSchemas {
  if (shared) {
    return shared
  }
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats(ajv)
  const profileDir = path.join(orukReferenceDir, 'uk-profile-3.0', 'schema')
  for (const file of listJson(profileDir)) {
    const relative = path.relative(profileDir, file).split(path.sep).join('/')
    ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')) as object, `${ukProfileBase}${relative}`)
  }
  const validatorDir = path.join(orukReferenceDir, 'validator-3.0')
  for (const file of listJson(validatorDir)) {
    if (path.basename(file) === 'open_api.json') {
      continue
    }
    ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')) as object, `${validatorBase}${path.basename(file)}`)
  }
  shared = {
    validate: (schemaId, data) => {
      const validate = ajv.getSchema(schemaId)
      if (!validate) {
        throw new Error(`No ORUK schema ${schemaId}`)
      }
      if (validate(data)) {
        return []
      }
      return (validate.errors ?? []).map((error: { instancePath: string; message?: string }) => ({
        path: error.instancePath || '/',
        message: error.message ?? 'is not valid',
      }))
    },
  }
  return shared
}
