/**
 * Compiles the council-branded stylesheet from govuk-frontend's Sass (Arial, no GDS Transport) into
 * src/web/public/app.css. Run by `npm start` and `npm test` before they begin.
 */
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const source = fileURLToPath(new URL('./assets/app.scss', import.meta.url))
const target = fileURLToPath(new URL('./public/app.css', import.meta.url))

const sourceChanged = !fs.existsSync(target) || fs.statSync(target).mtimeMs < fs.statSync(source).mtimeMs
if (sourceChanged || process.argv.includes('--force')) {
  const result = sass.compile(source, {
    loadPaths: [fileURLToPath(new URL('../../node_modules/', import.meta.url))],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  })
  fs.writeFileSync(target, result.css)
}
