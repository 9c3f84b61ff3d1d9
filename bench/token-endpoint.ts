/**
 * Token endpoint benchmark (`npm run bench`; not part of `npm test`).
 *
 * Workload: client_credentials with client_secret_basic, ES256 JWT access tokens, 32 keep-alive
 * connections, every request from a different registered client (rotating through all of them).
 * The server under test runs alone on one core (`taskset -c 0`); the load generator (autocannon)
 * is a separate process on another core (`taskset -c 1`).
 *
 *   A  our server, 1,000 clients
 *   B  panva's oidc-provider, the same 1,000 clients, configured for JWT client-credentials tokens
 *   C  our server, 100,000 clients
 *
 * Rounds run A B A B … (both servers up, only one loaded at a time), then C C … on a fresh
 * server. Each round is a discarded warm-up and a measured run. Prints rps, p50 and p99 per
 * target and the ratios against the targets:
 *   rps(A) ≥ 2 × rps(B),  p99(A) ≤ ½ × p99(B),  rps(C) ≥ 0.9 × rps(A).
 * A missed target is a measurement, not a failure: the exit code is non-zero only when something
 * broke (a child failed, a round saw transport errors, timeouts, non-2xx or malformed answers, or
 * a server logged an error).
 *
 * Knobs (environment): BENCH_ROUNDS (2), BENCH_DURATION (10 s), BENCH_WARMUP (3 s),
 * BENCH_CONNECTIONS (32), BENCH_CLIENTS (1000), BENCH_BIG_CLIENTS (100000),
 * BENCH_SERVER_CPU (0), BENCH_LOADGEN_CPU (1).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import {
  API_RESOURCE_NAME,
  API_SCOPE,
  basicAuthorization,
  isCompactJwt,
  jwtHeader,
  makeClients,
  TOKEN_REQUEST_BODY,
  type BenchClient,
  type CredentialsFile,
} from './clients';
import type { LoadResult } from './load-generator';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 10_000;

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

const ROUNDS = Math.round(envNumber('BENCH_ROUNDS', 2));
const DURATION = envNumber('BENCH_DURATION', 10);
const WARMUP = envNumber('BENCH_WARMUP', 3);
const CONNECTIONS = Math.round(envNumber('BENCH_CONNECTIONS', 32));
const CLIENTS = Math.round(envNumber('BENCH_CLIENTS', 1000));
const BIG_CLIENTS = Math.round(envNumber('BENCH_BIG_CLIENTS', 100_000));
const SERVER_CPU = process.env.BENCH_SERVER_CPU ?? '0';
const LOADGEN_CPU = process.env.BENCH_LOADGEN_CPU ?? '1';

// ---------------------------------------------------------------------------------------------
// Children: every process we start is tracked here and killed however the orchestrator ends.

const live = new Set<ChildProcess>();
let tempDir: string | undefined;

/**
 * Starts `node [--import tsx] SCRIPT ARGS` pinned to `cpu`; taskset execs node, so the pid is
 * node's. TypeScript scripts go through tsx; our server runs from its built bundle, as shipped.
 */
function spawnPinned(cpu: string, script: string, args: string[]): ChildProcess {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn('taskset', ['-c', cpu, process.execPath, ...loader, script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  // A child that dies must not take us down with EPIPE on its stdin.
  child.stdin?.on('error', () => {});
  return child;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL if it has not gone after STOP_TIMEOUT_MS. True when it stopped on SIGTERM. */
async function stopChild(child: ChildProcess): Promise<boolean> {
  if (exited(child)) return true;
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_TIMEOUT_MS)) return true;
  child.kill('SIGKILL');
  await waitForExit(child, 2000);
  return false;
}

async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stopChild(c)));
}

function removeTempDir(): void {
  if (tempDir) {
    rmSync(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  }
}

// Last resort when the process is leaving without having cleaned up (only synchronous work here).
process.on('exit', () => {
  for (const child of live) if (!exited(child)) child.kill('SIGKILL');
  removeTempDir();
});

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping children\n`);
    stopAll().finally(() => {
      removeTempDir();
      process.exit(130);
    });
  });
}

/** Keeps the last lines a child wrote on stderr, forwarding each with a prefix. */
function tailStderr(child: ChildProcess, prefix: string, onLine?: (line: string) => void): string[] {
  const tail: string[] = [];
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      process.stderr.write(`  [${prefix} stderr] ${line}\n`);
      onLine?.(line);
    });
  }
  return tail;
}

// ---------------------------------------------------------------------------------------------
// Targets

interface Target {
  label: string;
  clients: number;
  credentialsFile: string;
  tokenEndpoint: string;
  child: ChildProcess;
  /** Problems seen in the server's own output (error log lines, 5xx reports). */
  problems: string[];
  startupMs: number;
}

function writeFixture(dir: string, name: string, clients: BenchClient[]): { credentialsFile: string; seedFile: string } {
  const credentialsFile = join(dir, `credentials-${name}.json`);
  const seedFile = join(dir, `seed-${name}.json`);
  const credentials: CredentialsFile = { clients };
  writeFileSync(credentialsFile, JSON.stringify(credentials));
  const seed = {
    apiScopes: [{ name: API_SCOPE }],
    apiResources: [{ name: API_RESOURCE_NAME, scopes: [API_SCOPE] }],
    clients: clients.map((c) => ({
      clientId: c.clientId,
      secrets: [{ value: c.secret }],
      allowedGrantTypes: ['client_credentials'],
      allowedScopes: [API_SCOPE],
    })),
  };
  writeFileSync(seedFile, JSON.stringify(seed));
  return { credentialsFile, seedFile };
}

/** Resolves with the first stdout line `accept` returns a value for; rejects if the child exits first. */
function awaitLine<T>(child: ChildProcess, what: string, stderrTail: string[], accept: (line: string) => T | undefined, onOther?: (line: string) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      reject(new Error(`${what}: not ready after ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`${what} exited before it was ready (code ${code}, signal ${signal})\n${stderrTail.join('\n')}`));
    });
    if (!child.stdout) throw new Error(`${what}: no stdout`);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!settled) {
        const value = accept(line);
        if (value !== undefined) {
          settled = true;
          clearTimeout(timer);
          resolve(value);
          return;
        }
      }
      onOther?.(line);
    });
  });
}

async function startOurs(label: string, dir: string, name: string, seedFile: string, credentialsFile: string, clients: number): Promise<Target> {
  const started = performance.now();
  const child = spawnPinned(SERVER_CPU, 'out/main/cli.js', ['serve', '--data-dir', join(dir, `data-${name}`), '--port', '0', '--admin-port', '0', '--seed', seedFile]);
  const problems: string[] = [];
  // serve's only expected stderr is the console-URL banner (a blank line, the URL, a blank line).
  const stderrTail = tailStderr(child, label, (line) => {
    if (line.trim() !== '' && !line.trim().startsWith('Console: http://127.0.0.1:')) problems.push(`stderr: ${line}`);
  });
  const issuer = await awaitLine(
    child,
    label,
    stderrTail,
    (line) => {
      const entry = parseJsonLine(line);
      if (entry?.level === 'error') problems.push(line);
      if (entry?.msg === 'seed imported') process.stdout.write(`  ${label}: seed imported after ${seconds(performance.now() - started)} (${String(entry.clients)} clients)\n`);
      return entry?.msg === 'ready' && typeof entry.issuer === 'string' ? entry.issuer : undefined;
    },
    (line) => {
      const entry = parseJsonLine(line);
      if (entry?.level === 'error') {
        problems.push(line);
        if (problems.length <= 5) process.stderr.write(`  [${label} error] ${line}\n`);
      }
    },
  );
  const startupMs = performance.now() - started;
  process.stdout.write(`  ${label}: ready at ${issuer} after ${seconds(startupMs)}\n`);
  return { label, clients, credentialsFile, tokenEndpoint: `${issuer}/connect/token`, child, problems, startupMs };
}

async function startPeer(label: string, credentialsFile: string, clients: number): Promise<Target> {
  const started = performance.now();
  const child = spawnPinned(SERVER_CPU, 'bench/oidc-provider-peer.ts', ['--credentials', credentialsFile]);
  const problems: string[] = [];
  const stderrTail = tailStderr(child, label, (line) => {
    if (line.startsWith('server_error')) problems.push(line);
  });
  const url = await awaitLine(child, label, stderrTail, (line) => {
    const entry = parseJsonLine(line);
    return typeof entry?.tokenEndpoint === 'string' ? entry.tokenEndpoint : undefined;
  });
  const startupMs = performance.now() - started;
  process.stdout.write(`  ${label}: listening, token endpoint ${url} (after ${seconds(startupMs)})\n`);
  return { label, clients, credentialsFile, tokenEndpoint: url, child, problems, startupMs };
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One good request (a JWT signed ES256) and one with a wrong secret (401) before measuring. */
async function verifyTarget(target: Target, sample: BenchClient): Promise<void> {
  const post = (client: BenchClient) =>
    fetch(target.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(client) },
      body: TOKEN_REQUEST_BODY,
    });

  const res = await post(sample);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${target.label}: check request got ${res.status}: ${text}`);
  const body = JSON.parse(text) as Record<string, unknown>;
  const token = body.access_token;
  if (!isCompactJwt(token)) throw new Error(`${target.label}: access_token is not a compact JWT: ${text}`);
  const header = jwtHeader(token as string);
  if (header.alg !== 'ES256') throw new Error(`${target.label}: access token alg is ${String(header.alg)}, not ES256`);
  const payload = JSON.parse(Buffer.from((token as string).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

  const bad = await post({ clientId: sample.clientId, secret: `${sample.secret}x` });
  await bad.arrayBuffer();
  if (bad.status !== 401 && bad.status !== 400) throw new Error(`${target.label}: a wrong secret got ${bad.status}, expected 401`);

  process.stdout.write(
    `  ${target.label}: check OK: JWT alg=${String(header.alg)} typ=${String(header.typ)} aud=${JSON.stringify(payload.aud)} scope=${String(payload.scope)}; wrong secret -> ${bad.status}\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// Load

type RoundResult = LoadResult & { serverCpuPercent: number };

async function runLoad(target: Target): Promise<RoundResult> {
  const child = spawnPinned(LOADGEN_CPU, 'bench/load-generator.ts', [
    '--url',
    target.tokenEndpoint,
    '--credentials',
    target.credentialsFile,
    '--duration',
    String(DURATION),
    '--warmup',
    String(WARMUP),
    '--connections',
    String(CONNECTIONS),
  ]);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stderrTail = tailStderr(child, 'load generator');
  const serverPid = target.child.pid;
  let measureStart: CpuSample | undefined;
  let serverCpuPercent = Number.NaN;
  let result: LoadResult | undefined;
  const lines: string[] = [];
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const entry = parseJsonLine(line);
      if (entry?.phase === 'measure') {
        measureStart = serverPid === undefined ? undefined : cpuSample(serverPid);
      } else if (entry && typeof entry.rps === 'number') {
        const end = serverPid === undefined ? undefined : cpuSample(serverPid);
        if (measureStart && end) serverCpuPercent = ((end.cpuMs - measureStart.cpuMs) / (end.wallMs - measureStart.wallMs)) * 100;
        result = entry as unknown as LoadResult;
      }
    });
  }
  const finished = await waitForExit(child, (WARMUP + DURATION + 120) * 1000);
  if (!finished) {
    await stopChild(child);
    throw new Error(`load generator against ${target.label} did not finish in time`);
  }
  if (child.exitCode !== 0) {
    throw new Error(`load generator against ${target.label} failed (code ${child.exitCode}, signal ${child.signalCode})\n${stderrTail.join('\n')}`);
  }
  // 'exit' can come before the last stdout lines are read; 'close' comes after.
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
  await new Promise((resolve) => setImmediate(resolve));
  if (!result) throw new Error(`load generator against ${target.label} printed no result: ${lines.join('\n')}`);
  return { ...result, serverCpuPercent };
}

interface CpuSample {
  cpuMs: number;
  wallMs: number;
}

const CLOCK_TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** User + system CPU time of a process so far, from /proc (Linux); undefined elsewhere. */
function cpuSample(pid: number): CpuSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { cpuMs: (ticks / CLOCK_TICKS) * 1000, wallMs: performance.now() };
  } catch {
    return undefined;
  }
}

/** Everything that makes a round's numbers untrustworthy. */
function roundProblems(r: LoadResult): string[] {
  const p: string[] = [];
  if (r.non2xx > 0) p.push(`${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)})`);
  if (r.errors > 0) p.push(`${r.errors} errors`);
  if (r.timeouts > 0) p.push(`${r.timeouts} timeouts`);
  if (r.mismatches > 0) p.push(`${r.mismatches} answers without an access_token`);
  if (r.ok2xx === 0) p.push('no successful responses');
  const w = r.warmup;
  if (w.non2xx + w.errors + w.timeouts + w.mismatches > 0) {
    p.push(`warm-up: ${w.non2xx} non-2xx, ${w.errors} errors, ${w.timeouts} timeouts, ${w.mismatches} mismatches`);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Report

interface Summary {
  label: string;
  clients: number;
  rounds: LoadResult[];
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function summarise(label: string, clients: number, rounds: LoadResult[]): Summary {
  return {
    label,
    clients,
    rounds,
    rps: mean(rounds.map((r) => r.rps)),
    p50: mean(rounds.map((r) => r.p50)),
    p99: mean(rounds.map((r) => r.p99)),
    non2xx: rounds.reduce((a, r) => a + r.non2xx + r.warmup.non2xx, 0),
    errors: rounds.reduce((a, r) => a + r.errors + r.timeouts + r.mismatches + r.warmup.errors + r.warmup.timeouts + r.warmup.mismatches, 0),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);

function pad(cells: string[], widths: number[], alignRight: boolean[]): string {
  return cells.map((c, i) => (alignRight[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
}

function table(rows: string[][], alignRight: boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => pad(r, widths, alignRight).trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

function roundLine(target: Target, round: number, r: RoundResult): string {
  return (
    `  round ${round} ${target.label.padEnd(28)} ${int(r.rps).padStart(7)} rps  p50 ${ms(r.p50).padStart(7)} ms  p99 ${ms(r.p99).padStart(7)} ms` +
    `  (${int(r.ok2xx)} x 2xx in ${r.durationSeconds} s = ${int(r.rps2xx)}/s, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}; autocannon p50/p99 ${r.autocannonP50}/${r.autocannonP99} ms;` +
    ` CPU server ${r.serverCpuPercent.toFixed(0)}% load generator ${r.loadgenCpuPercent.toFixed(0)}%)\n`
  );
}

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '?';
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const taskset = spawnSync('taskset', ['-c', SERVER_CPU, 'true']);
  if (taskset.error || taskset.status !== 0) throw new Error('taskset is needed to pin the server and the load generator to separate cores');
  const cpus = availableParallelism();
  if (cpus < 2 || SERVER_CPU === LOADGEN_CPU) {
    process.stderr.write(`WARNING: server and load generator share a core (${cpus} CPU(s) available); numbers will be pessimistic\n`);
  }

  const peerVersion = packageVersion('oidc-provider');
  const labelA = `offline-idp (${int(CLIENTS)} clients)`;
  const labelB = `oidc-provider ${peerVersion} (${int(CLIENTS)})`;
  const labelC = `offline-idp (${int(BIG_CLIENTS)} clients)`;

  process.stdout.write(
    `Token endpoint benchmark: client_credentials, client_secret_basic, ES256 JWT, ${CONNECTIONS} connections, every request a different client\n` +
      `${ROUNDS} rounds per target, each ${WARMUP} s warm-up + ${DURATION} s measured; servers on CPU ${SERVER_CPU}, autocannon ${packageVersion('autocannon')} on CPU ${LOADGEN_CPU}; node ${process.version}\n\n`,
  );

  tempDir = mkdtempSync(join(tmpdir(), 'offline-idp-bench-'));
  const small = makeClients(CLIENTS);
  const big = makeClients(BIG_CLIENTS);
  const smallFiles = writeFixture(tempDir, 'small', small);
  const bigFiles = writeFixture(tempDir, 'big', big);
  const failures: string[] = [];

  // --- A B A B ---
  process.stdout.write(`Starting ${labelA} and ${labelB}\n`);
  const a = await startOurs(labelA, tempDir, 'small', smallFiles.seedFile, smallFiles.credentialsFile, CLIENTS);
  const b = await startPeer(labelB, smallFiles.credentialsFile, CLIENTS);
  await verifyTarget(a, small[0]!);
  await verifyTarget(b, small[0]!);

  const results = new Map<Target, RoundResult[]>();
  const measure = async (target: Target, round: number) => {
    if (!results.has(target)) results.set(target, []);
    if (exited(target.child)) throw new Error(`${target.label} is no longer running (code ${target.child.exitCode}, signal ${target.child.signalCode})`);
    const r = await runLoad(target);
    process.stdout.write(roundLine(target, round, r));
    for (const p of roundProblems(r)) {
      const msg = `${target.label}, round ${round}: ${p}`;
      failures.push(msg);
      process.stderr.write(`  !! ${msg}\n`);
    }
    if (exited(target.child)) throw new Error(`${target.label} exited during round ${round} (code ${target.child.exitCode}, signal ${target.child.signalCode})`);
    results.get(target)?.push(r);
  };

  process.stdout.write('\nMeasuring (alternating A B)\n');
  for (let round = 1; round <= ROUNDS; round++) {
    await measure(a, round);
    await measure(b, round);
  }

  for (const t of [a, b]) {
    const clean = await stopChild(t.child);
    if (!clean) failures.push(`${t.label} did not stop on SIGTERM`);
    else if (t === a && t.child.exitCode !== 0) failures.push(`${t.label} exited with code ${t.child.exitCode} on SIGTERM`);
  }

  // --- C C ---
  process.stdout.write(`\nStarting ${labelC}\n`);
  const c = await startOurs(labelC, tempDir, 'big', bigFiles.seedFile, bigFiles.credentialsFile, BIG_CLIENTS);
  await verifyTarget(c, big[big.length - 1]!);
  process.stdout.write('\nMeasuring\n');
  for (let round = 1; round <= ROUNDS; round++) await measure(c, round);
  if (!(await stopChild(c.child))) failures.push(`${c.label} did not stop on SIGTERM`);
  else if (c.child.exitCode !== 0) failures.push(`${c.label} exited with code ${c.child.exitCode} on SIGTERM`);

  for (const t of [a, b, c]) {
    if (t.problems.length > 0) {
      failures.push(`${t.label} reported ${t.problems.length} problem line(s), first: ${t.problems[0]}`);
    }
  }

  // --- report ---
  const sa = summarise(labelA, CLIENTS, results.get(a) ?? []);
  const sb = summarise(labelB, CLIENTS, results.get(b) ?? []);
  const sc = summarise(labelC, BIG_CLIENTS, results.get(c) ?? []);

  process.stdout.write(`\nResults (mean of ${ROUNDS} rounds; latency of 2xx responses)\n\n`);
  process.stdout.write(
    table(
      [
        ['target', 'startup', 'rps', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
        ...(
          [
            [sa, a],
            [sb, b],
            [sc, c],
          ] as const
        ).map(([sum, t]) => [sum.label, seconds(t.startupMs), int(sum.rps), ms(sum.p50), ms(sum.p99), String(sum.non2xx), String(sum.errors)]),
      ],
      [false, true, true, true, true, true, true],
    ) + '\n\n',
  );

  const ratios: { name: string; value: number; target: string; pass: boolean }[] = [
    { name: `rps  offline-idp / oidc-provider (${int(CLIENTS)})`, value: sa.rps / sb.rps, target: '>= 2.00x', pass: sa.rps / sb.rps >= 2 },
    { name: `p99  offline-idp / oidc-provider (${int(CLIENTS)})`, value: sa.p99 / sb.p99, target: '<= 0.50x', pass: sa.p99 / sb.p99 <= 0.5 },
    { name: `rps  offline-idp ${int(BIG_CLIENTS)} / ${int(CLIENTS)} clients`, value: sc.rps / sa.rps, target: '>= 0.90x', pass: sc.rps / sa.rps >= 0.9 },
  ];
  process.stdout.write(
    table(
      [['ratio', 'value', 'target', 'result'], ...ratios.map((r) => [r.name, `${r.value.toFixed(2)}x`, r.target, r.pass ? 'PASS' : 'MISS'])],
      [false, true, true, false],
    ) + '\n',
  );

  if (failures.length > 0) {
    process.stderr.write(`\nBENCHMARK BROKEN: ${failures.length} problem(s); the numbers above are not trustworthy:\n`);
    for (const f of failures) process.stderr.write(`  - ${f}\n`);
    return 1;
  }
  return 0;
}

main()
  .then(
    (code) => code,
    (err: unknown) => {
      if (interrupted) return 130;
      process.stderr.write(`\nBENCHMARK FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopAll();
    removeTempDir();
    process.exit(interrupted ? 130 : code);
  });
