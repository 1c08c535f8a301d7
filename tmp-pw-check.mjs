import { chromium } from 'playwright-core'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
const p = await b.newPage()
await p.setContent('<html lang="en"><title>x</title><main><h1>Hi</h1></main></html>')
console.log(await p.title())
await b.close()
