/**
 * Fleet operations, in-process against a real SQLite file in a temp dir:
 * - bulk enrolment: 10,000 devices from a template in one batch (issue target < 10 s);
 * - the fleet list at 100,000 clients: one page of each query the console makes (< 100 ms);
 * - a 150,000-client import beside the running server, as the CLI sends it: the server's
 *   max event-loop delay and token p99 meanwhile (the import runs on its batch writer thread).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { enrolByPattern, importConfiguration, listClients, openDataDir, rotateAdminApiKey, silentLogger, startIdp } from '../src-main/core';
import type { ClientFilter } from '../src-main/core/store';
import { readLocalCredential } from '../src-main/core/admin/local-credential';

const CLIENTS = Number(process.env.BENCH_LIST_CLIENTS ?? 100_000);
const REPEAT = 15;
const TARGET_MS = 100;
const DAY = 86_400_000;

const ENROL = 10_000;
const ENROL_TARGET_S = 10;

/** Enrols ENROL devices of each credential kind into a fresh data dir and prints the times. */
async function enrolment(): Promise<void> {
  process.stdout.write(`Bulk enrolment: ${ENROL.toLocaleString('en')} devices in one batch (target < ${ENROL_TARGET_S} s)\n`);
  for (const template of ['device-secret', 'device-key'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'offline-idp-enrol-bench-'));
    try {
      const { store, clock } = openDataDir(dir, { site: 'existing-or-new', logger: silentLogger });
      await importConfiguration(store, { apiScopes: [{ name: 'api' }] }, clock.now(), 'bench');
      const t0 = performance.now();
      const created = await enrolByPattern(store, `device-{00001..${ENROL}}`, { template, allowedScopes: ['api'], group: 'bench' }, clock.now(), 'bench');
      const seconds = (performance.now() - t0) / 1000;
      process.stdout.write(`  ${template.padEnd(14)} ${created.length.toLocaleString('en')} enrolled in ${seconds.toFixed(2)} s  ${seconds < ENROL_TARGET_S ? 'PASS' : 'MISS'}\n`);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write('\n');
}

/** The console's requests over HTTP against the same 100k-client site, with the API key. */
async function adminApi(dataDir: string): Promise<void> {
  const idp = await startIdp({ dataDir, logger: silentLogger });
  try {
    const { key } = rotateAdminApiKey(idp.context.store, Date.now(), 'bench');
    const deep = `device-${String(Math.floor(CLIENTS * 0.9)).padStart(6, '0')}`;
    const cases: Array<[string, string]> = [
      ['GET /api/clients (first page)', '/api/clients?limit=50'],
      ['GET /api/clients (deep page)', `/api/clients?limit=50&after=${deep}`],
      ['GET /api/clients?search=forklift', '/api/clients?limit=50&search=forklift'],
      ['GET /api/clients?staleDays=14', '/api/clients?limit=50&staleDays=14'],
      ['GET /api/overview (dashboard)', '/api/overview'],
    ];
    // The server warms its client cache for the first seconds; measure after that.
    for (let i = 0; i < 20; i++) await (await fetch(idp.adminUrl + '/api/overview', { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    process.stdout.write(`\nAdmin API over HTTP at ${CLIENTS.toLocaleString('en')} clients (${REPEAT} runs each, target < ${TARGET_MS} ms)\n`);
    for (const [label, path] of cases) {
      const times: number[] = [];
      for (let r = 0; r < REPEAT; r++) {
        const t0 = performance.now();
        const res = await fetch(idp.adminUrl + path, { headers: { authorization: `Bearer ${key}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] as number;
      const max = times[times.length - 1] as number;
      process.stdout.write(`  ${label.padEnd(36)} median ${median.toFixed(1).padStart(6)} ms  max ${max.toFixed(1).padStart(6)} ms  ${max < TARGET_MS ? 'PASS' : 'MISS'}\n`);
    }
  } finally {
    await idp.close();
  }
}

const IMPORTED = Number(process.env.BENCH_IMPORT_CLIENTS ?? 150_000);
const STALL_TARGET_MS = 300;

/** An import through the running server's admin API (the CLI's route) while a device asks for tokens in a loop. */
async function importBesideServer(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'offline-idp-import-bench-'));
  const secret = 'bench-device-secret-0123456789abcdefghijklmnop';
  const device = { allowedGrantTypes: ['client_credentials' as const], allowedScopes: ['api'] };
  try {
    const { store, clock } = openDataDir(dir, { site: 'existing-or-new', logger: silentLogger });
    await importConfiguration(store, { apiScopes: [{ name: 'api' }], clients: [{ clientId: 'probe', secrets: [{ value: secret }], ...device }] }, clock.now(), 'bench');
    store.close();
    const idp = await startIdp({ dataDir: dir, logger: silentLogger });
    try {
      const document = { clients: Array.from({ length: IMPORTED }, (_, i) => ({ clientId: `fleet-${String(i).padStart(6, '0')}`, secrets: [{ value: `${secret}-${i}` }], ...device })) };
      const body = JSON.stringify({ input: { document } });
      const tokenRequest = () =>
        fetch(`${idp.protocolUrl}/connect/token`, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`probe:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        });
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const started = performance.now();
      let done = false;
      const importing = fetch(`${idp.adminUrl}/api/operations/configuration.import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${readLocalCredential(dir)}`, 'content-type': 'application/json' },
        body,
      }).finally(() => (done = true));
      const times: number[] = [];
      let failed = 0;
      while (!done) {
        const t0 = performance.now();
        const r = await tokenRequest();
        await r.arrayBuffer();
        times.push(performance.now() - t0);
        if (r.status !== 200) failed++;
      }
      delay.disable();
      const response = await importing;
      if (response.status !== 200) throw new Error(`import: ${response.status} ${await response.text()}`);
      const seconds = (performance.now() - started) / 1000;
      times.sort((a, b) => a - b);
      const p99 = times[Math.floor(times.length * 0.99)] ?? 0;
      const maxDelay = delay.max / 1e6;
      process.stdout.write(`\nImport of ${IMPORTED.toLocaleString('en')} clients beside the server (admin API, as the CLI sends it): ${seconds.toFixed(1)} s\n`);
      process.stdout.write(`  max event-loop delay ${maxDelay.toFixed(0)} ms (target < ${STALL_TARGET_MS} ms)  ${maxDelay < STALL_TARGET_MS ? 'PASS' : 'MISS'}\n`);
      process.stdout.write(`  token requests meanwhile: ${times.length.toLocaleString('en')}, p99 ${p99.toFixed(1)} ms, ${failed} failed\n`);
    } finally {
      await idp.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await enrolment();
  const dir = mkdtempSync(join(tmpdir(), 'offline-idp-list-bench-'));
  try {
    const { store, clock } = openDataDir(dir, { site: 'existing-or-new', logger: silentLogger });
    const groups = ['dock-north', 'dock-south', 'lab', 'cold-store', 'returns'];
    const started = performance.now();
    await importConfiguration(
      store,
      {
        apiScopes: [{ name: 'api' }],
        clients: Array.from({ length: CLIENTS }, (_, i) => ({
          clientId: `device-${String(i).padStart(6, '0')}`,
          clientName: i % 1000 === 7 ? `Forklift scanner ${i}` : `Scanner ${i}`,
          group: groups[i % groups.length],
          tags: i % 3 === 0 ? ['zebra', 'tc52'] : ['honeywell'],
          enabled: i % 50 !== 0,
          secrets: [{ sha256: '0'.repeat(64) }],
          allowedGrantTypes: ['client_credentials' as const],
          allowedScopes: ['api'],
        })),
      },
      clock.now(),
      'bench',
    );
    // a third of the fleet has been seen, spread over the last 30 days
    const now = clock.now();
    store.usage.record(
      Array.from({ length: Math.floor(CLIENTS / 3) }, (_, k) => ({
        clientId: `device-${String(k * 3).padStart(6, '0')}`,
        day: Math.floor((now - (k % 30) * DAY) / DAY),
        issued: 1,
        failed: 0,
        lastSeen: now - (k % 30) * DAY,
        lastAddress: '10.0.0.1',
      })),
    );
    process.stdout.write(`Client list benchmark: ${CLIENTS.toLocaleString('en')} clients imported in ${((performance.now() - started) / 1000).toFixed(1)} s; 50 a page, ${REPEAT} runs each\n\n`);

    const cases: Array<[string, ClientFilter, string | undefined]> = [
      ['first page', {}, undefined],
      ['deep page (cursor at 90%)', {}, `device-${String(Math.floor(CLIENTS * 0.9)).padStart(6, '0')}`],
      ['search "forklift" (id or name)', { search: 'forklift' }, undefined],
      ['group', { group: 'lab' }, undefined],
      ['tag', { tag: 'zebra' }, undefined],
      ['disabled', { enabled: false }, undefined],
      ['stale: not seen for 14 days', { notSeenSince: now - 14 * DAY }, undefined],
      ['group + tag + enabled', { group: 'dock-south', tag: 'honeywell', enabled: true }, undefined],
    ];
    const rows: string[][] = [];
    let misses = 0;
    for (const [label, filter, after] of cases) {
      const times: number[] = [];
      let total = 0;
      for (let r = 0; r < REPEAT; r++) {
        const t0 = performance.now();
        total = listClients(store, filter, { after, limit: 50 }).total;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] as number;
      const max = times[times.length - 1] as number;
      const pass = max < TARGET_MS;
      if (!pass) misses++;
      rows.push([label, total.toLocaleString('en'), median.toFixed(1), max.toFixed(1), pass ? 'PASS' : 'MISS']);
    }
    const header = ['query', 'matches', 'median ms', 'max ms', `< ${TARGET_MS} ms`];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    for (const r of [header, widths.map((w) => '-'.repeat(w)), ...rows]) process.stdout.write(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ') + '\n');
    process.stdout.write(`\n${misses === 0 ? 'all queries under' : `${misses} queries over`} ${TARGET_MS} ms a page\n`);
    store.close();
    await adminApi(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await importBesideServer();
}

await main();
