/**
 * Load test of the growth API: starts the server as its own process (bench-server.ts, embedded database) and posts
 * one fixed RCPCH calculation body to POST /api/growth/uk-who/calculation with autocannon.
 *
 *   npx tsx bench/growth-api-bench.ts
 *
 * BENCH_SECONDS (10) and BENCH_CONNECTIONS (50) override the defaults. Prints requests/s and p50/p95/p99 latency;
 * the percentiles are exact, from every response time autocannon reports (it publishes p90 and p97.5, not p95).
 */
import autocannon from 'autocannon'
import { startServer } from './bench-server.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const port = Number(process.env.BENCH_PORT ?? 3998)

/** A preterm baby (32+0 weeks) weighed at 6 months: both ages, both SDS, centiles and bands are computed. */
const body = JSON.stringify({
  birth_date: '2020-01-01',
  observation_date: '2020-07-01',
  observation_value: 6.5,
  sex: 'male',
  gestation_weeks: 32,
  gestation_days: 0,
  measurement_method: 'weight',
})

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places

const server = await startServer({ DEMO_MODE: 'false' }, port)
try {
  const url = `${server.url}/api/growth/uk-who/calculation`
  // one request first: the API answers, with the RCPCH shape
  const check = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const checked = (await check.json()) as { measurement_calculated_values?: { corrected_centile?: number } }
  if (check.status !== 200 || checked.measurement_calculated_values?.corrected_centile !== 22.5888) {
    throw new Error(`POST ${url} answered ${String(check.status)}: ${JSON.stringify(checked).slice(0, 300)}`)
  }

  const times: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds },
      (error, finished) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)))
        } else {
          resolve(finished)
        }
      },
    )
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) {
        times.push(responseTime)
      }
    })
  })
  const sorted = Float64Array.from(times).sort()
  const latency = result.latency as unknown as Record<string, number>

  console.log(`\nPOST /api/growth/uk-who/calculation: ${String(connections)} connections, ${String(seconds)} s`)
  console.log(
    `node ${process.version}; autocannon and the server on the same machine (${String((await import('node:os')).cpus().length)} CPUs)`,
  )
  console.log('\n| requests/s | p50 ms | p95 ms | p99 ms | max ms | requests | errors | non-2xx |')
  console.log('|---|---|---|---|---|---|---|---|')
  console.log(
    `| ${String(Math.round(result.requests.average))} | ${String(round(percentile(sorted, 50)))} | ${String(round(percentile(sorted, 95)))} | ${String(round(percentile(sorted, 99)))} | ${String(round(sorted[sorted.length - 1] ?? Number.NaN))} | ${String(result.requests.total)} | ${String(result.errors)} | ${String(result.non2xx)} |`,
  )
  console.log(
    `\nautocannon's own histogram: p50 ${String(latency.p50)} ms, p90 ${String(latency.p90)} ms, p97.5 ${String(latency.p97_5)} ms, p99 ${String(latency.p99)} ms`,
  )
  if (result.errors > 0 || result.non2xx > 0) {
    process.exitCode = 1
  }
} finally {
  await server.stop()
}
