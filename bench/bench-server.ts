import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'

/** Starts `src/server.ts` as its own process (so the load generator does not share its event loop). */
export async function startServer(
  env: Record<string, string>,
  port: number,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-bench-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      PGLITE_DATA_DIR: path.join(dataDir, 'pglite'),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      process.stdout.write(chunk)
      if (output.includes('is running at')) {
        resolve()
      }
    })
    child.once('exit', code => {
      reject(new Error(`server exited with ${String(code)}`))
    })
  })
  return {
    url: `http://127.0.0.1:${String(port)}`,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise(resolve => child.once('exit', resolve))
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface LoadResult {
  name: string
  connections: number
  requestsPerSecond: number
  p50: number
  p95: number
  p99: number
  errors: number
  non2xx: number
}

export async function load(
  name: string,
  url: string,
  options: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
  })
  const latency = result.latency as unknown as Record<string, number>
  return {
    name,
    connections: options.connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50: latency.p50 ?? Number.NaN,
    p95:
      latency.p97_5 !== undefined && latency.p90 !== undefined
        ? Math.round(((latency.p90 + latency.p97_5) / 2) * 10) / 10
        : Number.NaN,
    p99: latency.p99 ?? Number.NaN,
    errors: result.errors,
    non2xx: result.non2xx,
  }
}

export function printTable(results: LoadResult[]): void {
  console.log('\n| target | connections | requests/s | p50 ms | p95 ms* | p99 ms | errors | non-2xx |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const r of results) {
    console.log(
      `| ${r.name} | ${String(r.connections)} | ${String(r.requestsPerSecond)} | ${String(r.p50)} | ${String(r.p95)} | ${String(r.p99)} | ${String(r.errors)} | ${String(r.non2xx)} |`,
    )
  }
  console.log('\n* autocannon reports p90 and p97.5; p95 is their midpoint.')
}
