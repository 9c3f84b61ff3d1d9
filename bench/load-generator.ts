/**
 * Benchmark load generator: autocannon against one token endpoint, every request from the
 * next client in the list (client_secret_basic), 32 keep-alive connections.
 *
 *   node --import tsx bench/load-generator.ts --url URL --credentials FILE
 *        [--duration S] [--warmup S] [--connections N]
 *
 * Runs a discarded warm-up first, then the measured run. On stdout: `{"phase":"measure"}` when
 * the measured run starts, then one JSON line (a LoadResult) at the end. Exits when its stdin closes (the orchestrator went away).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { basicAuthorization, TOKEN_REQUEST_BODY, type CredentialsFile } from './clients';

export interface LoadResult {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Distinct clients the requests rotated through. */
  clients: number;
  /** autocannon's mean of per-second request counts. */
  rps: number;
  /** 2xx responses / measured seconds, as a cross-check of `rps`. */
  rps2xx: number;
  /** Latency of 2xx responses in ms, from our own sub-millisecond samples. */
  p50: number;
  p99: number;
  /** autocannon's own percentiles (whole milliseconds). */
  autocannonP50: number;
  autocannonP99: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx responses without an access_token in the body. */
  mismatches: number;
  statusCodes: Record<string, number>;
  /** This process's CPU use during the measured run, % of one core (near 100 would mean the generator limits). */
  loadgenCpuPercent: number;
  warmup: { requests: number; non2xx: number; errors: number; timeouts: number; mismatches: number };
}

/** Sub-millisecond latency samples (autocannon's histogram only keeps whole milliseconds). */
class Samples {
  private values = new Float64Array(1 << 16);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.n++] = ms;
  }

  /** Nearest-rank percentiles (0 < q ≤ 100). */
  percentiles(...qs: number[]): number[] {
    const sorted = this.values.slice(0, this.n).sort();
    return qs.map((q) => {
      if (sorted.length === 0) return Number.NaN;
      const rank = Math.min(sorted.length, Math.max(1, Math.ceil((q / 100) * sorted.length)));
      return sorted[rank - 1] ?? Number.NaN;
    });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      credentials: { type: 'string' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
    },
  });
  if (!values.url || !values.credentials) throw new Error('--url and --credentials are required');
  const url = values.url;
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  const connections = Number(values.connections);
  if (!(duration > 0) || !(warmup >= 0) || !Number.isInteger(connections) || connections < 1) {
    throw new Error('--duration must be > 0, --warmup ≥ 0, --connections a positive integer');
  }

  const { clients } = JSON.parse(readFileSync(values.credentials, 'utf8')) as CredentialsFile;
  if (clients.length === 0) throw new Error('no clients in the credentials file');
  // Encoded once up front so the generator spends its core on sending, not on base64.
  const authorizations = clients.map(basicAuthorization);
  let next = 0;

  // One request template whose Authorization header is the next client's on every request,
  // across all connections. (autocannon shares the template between connections and prebuilds
  // each connection's very first request when it is created, so those first 32 requests can
  // repeat one client; every later request takes the next client in turn.)
  const run = (seconds: number) =>
    autocannon({
      url,
      connections,
      pipelining: 1,
      duration: seconds,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: TOKEN_REQUEST_BODY,
          setupRequest: (request) => {
            request.headers['authorization'] = authorizations[next]!;
            next = next + 1 === authorizations.length ? 0 : next + 1;
            return request;
          },
        },
      ],
      verifyBody: (body) => body.includes('"access_token":"'),
    });

  let warmupResult: LoadResult['warmup'] = { requests: 0, non2xx: 0, errors: 0, timeouts: 0, mismatches: 0 };
  if (warmup > 0) {
    const w = await run(warmup);
    warmupResult = {
      requests: w.requests.total,
      non2xx: w.non2xx,
      errors: w.errors,
      timeouts: w.timeouts,
      mismatches: w.mismatches,
    };
  }

  // Tells the orchestrator the measured run starts now (it samples the server's CPU time).
  process.stdout.write(`${JSON.stringify({ phase: 'measure' })}\n`);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const samples = new Samples();
  const instance = run(duration);
  instance.on('response', (...args: unknown[]) => {
    const [, statusCode, , responseTime] = args as [unknown, number, number, number];
    if (statusCode >= 200 && statusCode < 300) samples.add(responseTime);
  });
  const r = await instance;
  const cpu = process.cpuUsage(cpuBefore);
  const loadgenCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100;
  const [p50 = Number.NaN, p99 = Number.NaN] = samples.percentiles(50, 99);

  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) statusCodes[code] = count;

  const result: LoadResult = {
    url,
    connections,
    durationSeconds: r.duration,
    clients: clients.length,
    rps: r.requests.average,
    rps2xx: r['2xx'] / r.duration,
    p50,
    p99,
    autocannonP50: r.latency.p50,
    autocannonP99: r.latency.p99,
    requests: r.requests.total,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    statusCodes,
    loadgenCpuPercent,
    warmup: warmupResult,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// The orchestrator holds our stdin open; when it goes away, so do we.
process.stdin.on('end', () => process.exit(3));
process.stdin.on('error', () => process.exit(3));
process.stdin.resume();

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`load generator failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
