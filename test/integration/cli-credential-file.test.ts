import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, importConfiguration, openDataDir, silentLogger } from '../../src-main/core';
import { hashSecret } from '../../src-main/core/domain/credentials';
import type { ProvisioningBundle } from '../../src-main/core';
import { tempDir } from '../helpers/temp-dir';
import { runCli, spawnCli } from '../helpers/cli-process';
import { basic, postForm, startTestIdp } from '../helpers/idp';
import { Prng } from '../helpers/prng';

let dir: ReturnType<typeof tempDir>;
let dataDir: string;

/** A site with an `api` scope, made the way `serve` makes one; the CLI never makes a site. */
async function makeSite(path: string): Promise<void> {
  const { store, clock } = openDataDir(path, { site: 'existing-or-new', logger: silentLogger });
  await importConfiguration(store, { apiScopes: [{ name: 'api' }] }, clock.now(), 'test');
  store.close();
}

const clientCount = async () => (await runCli(['clients', 'list', '--data-dir', dataDir])).stdout.trim().split('\n').pop();

beforeEach(async () => {
  dir = tempDir();
  dataDir = join(dir.path, 'data');
  await makeSite(dataDir);
});
afterEach(() => dir.remove());

describe('credentials of a batch are written before the commit and never lost after it', () => {
  it.each([
    ['a folder that does not exist', '/no/such/dir/b.json', 'does not exist'],
    // /sys refuses new files even to root, so the test means the same run as any user.
    ['a folder that cannot be written', '/sys/b.json', 'cannot write in /sys'],
  ])('enrol and import-csv with --out in %s: exit 1, nothing committed', async (_what, out, message) => {
    const csv = join(dir.path, 'devices.csv');
    writeFileSync(csv, 'id,name\ncsv-1,One\ncsv-2,Two\n');
    for (const args of [
      ['clients', 'enrol', '--pattern', 'scanner-{001..100}', '--template', 'device-secret', '--scopes', 'api', '--out', out],
      ['clients', 'import-csv', csv, '--template', 'device-secret', '--scopes', 'api', '--out', out],
    ]) {
      const r = await runCli([...args, '--data-dir', dataDir]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('nothing was enrolled');
      expect(r.stderr).toContain(message);
      expect(await clientCount()).toBe('0 shown of 0');
    }
  });

  it('never replaces an existing bundle file (it may hold the only copy of other credentials)', async () => {
    const out = join(dir.path, 'b.json');
    writeFileSync(out, 'earlier credentials\n');
    const r = await runCli(['clients', 'enrol', '--pattern', 'scanner-{1..3}', '--template', 'device-secret', '--scopes', 'api', '--out', out, '--data-dir', dataDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe('earlier credentials\n');
    expect(await clientCount()).toBe('0 shown of 0');
  });

  it('a refused batch leaves no file; a good one leaves only FILE (0600), whose secrets authenticate', async () => {
    const out = join(dir.path, 'b.json');
    const bad = await runCli(['clients', 'enrol', '--pattern', 'scanner-{1..3}', '--template', 'device-secret', '--scopes', 'nope', '--out', out, '--data-dir', dataDir]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('unknown scope "nope"');
    expect(readdirSync(dir.path).sort()).toEqual(['data']);

    const good = await runCli(['clients', 'enrol', '--pattern', 'scanner-{1..3}', '--template', 'device-secret', '--scopes', 'api', '--out', out, '--data-dir', dataDir]);
    expect(good.status).toBe(0);
    expect(good.stderr).toContain(`the credentials are saved in ${out}.pending`);
    expect(readdirSync(dir.path).sort()).toEqual(['b.json', 'data']);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const bundles = JSON.parse(readFileSync(out, 'utf8')) as ProvisioningBundle[];
    const t = await startTestIdp(undefined, { dataDir });
    try {
      for (const b of bundles) {
        const r = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic(b.client_id, b.client_secret!) });
        expect(r.status).toBe(200);
      }
    } finally {
      await t.stop();
    }
  });

  it('kill -9 at random moments of a 12,000-client enrolment: no client committed, or every committed secret is in the pending or final file', async () => {
    const prng = new Prng(0x5eed7);
    const outcomes: string[] = [];
    let commitMs = 0;
    // Round 0 is not killed: it measures how long the commit takes after the line printed just
    // before it. Round 1 is killed while credentials are made; rounds 2-5 a random time after
    // that line, one in each quarter of 1.25 × the measured span: before, during, after it.
    for (let round = 0; round < 6; round++) {
      const out = join(dir.path, `round-${round}.json`);
      const prefix = `r${round}-`;
      const child = spawnCli(['clients', 'enrol', '--pattern', `${prefix}{00001..12000}`, '--template', 'device-secret', '--scopes', 'api', '--out', out, '--data-dir', dataDir]);
      const trigger = round === 1 ? 'preparing credentials' : 'the credentials are saved in';
      const slice = (commitMs * 1.25) / 4;
      const delayMs = round === 0 ? undefined : round === 1 ? prng.int(0, 300) : prng.int(Math.round((round - 2) * slice), Math.round((round - 1) * slice));
      let stderr = '';
      let triggeredAt = 0;
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.stdout!.resume();
      child.stderr!.on('data', (d: Buffer) => {
        const before = stderr;
        stderr += d.toString();
        if (before.includes(trigger) || !stderr.includes(trigger)) return;
        triggeredAt = Date.now();
        if (delayMs !== undefined) setTimeout(() => child.kill('SIGKILL'), delayMs);
      });
      const signal = await ended;
      if (round === 0) commitMs = Date.now() - triggeredAt;

      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      const stored = new Map(
        (db.prepare('SELECT client_id, sha256 FROM client_secrets WHERE client_id LIKE ?').all(`${prefix}%`) as { client_id: string; sha256: Buffer }[]).map((r) => [r.client_id, r.sha256]),
      );
      db.close();
      const file = [out, `${out}.pending`].find((f) => existsSync(f));
      outcomes.push(`${delayMs === undefined ? `not killed (commit ${commitMs} ms)` : `+${delayMs} ms`}, ${signal ?? 'exited'}: ${stored.size} committed, ${file ? (file.endsWith('.pending') ? 'pending file' : 'final file') : 'no file'}`);
      if (stored.size === 0) continue;
      expect(stored.size).toBe(12_000); // one transaction: all or none
      expect(file).toBeDefined();
      const bundles = JSON.parse(readFileSync(file as string, 'utf8')) as ProvisioningBundle[];
      const secrets = new Map(bundles.map((b) => [b.client_id, b.client_secret as string]));
      for (const [clientId, sha256] of stored) expect(hashSecret(secrets.get(clientId) ?? '').equals(sha256)).toBe(true);
      const t = await startTestIdp(undefined, { dataDir });
      try {
        for (const clientId of [`${prefix}00001`, `${prefix}${String(prng.int(2, 11_999)).padStart(5, '0')}`, `${prefix}12000`]) {
          const r = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic(clientId, secrets.get(clientId)!) });
          expect(r.status).toBe(200);
        }
      } finally {
        await t.stop();
      }
    }
    console.info(`kill -9 rounds: ${outcomes.join('; ')}`);
  }, 240_000);
});
