/**
 * `npm run screenshot`: makes docs/dashboard.png, the console's dashboard at 1280×800 with
 * some life in it. It starts a throw-away IdP over a temp folder, replays an hour of token
 * traffic from a small warehouse fleet (real HTTP requests to the token endpoint, under a clock
 * that is moved minute by minute), opens the console in Debian's Chromium and saves the page.
 * Needs a built console (`npm run build`; the npm script builds first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { silentLogger, startIdp, type Clock } from '../src-main/core';
import type { ConfigurationFileInput } from '../src-main/core/domain';
import { launchChromium } from '../test/helpers/chromium';

const OUT = resolve(import.meta.dirname, '../docs/dashboard.png');
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Real time shifted into the past while history is replayed, then back to now. */
class ReplayClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

/** Repeatable "randomness" (mulberry32), so every run draws the same picture. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const secretOf = (id: string) => `${id}-secret-0123456789abcdefghijklmnopqrstuv`;
const scanners = Array.from({ length: 8 }, (_, i) => `dock-scanner-${String(i + 1).padStart(2, '0')}`);
const printers = ['label-printer-01', 'label-printer-02', 'label-printer-03'];
const forklifts = ['forklift-terminal-01', 'forklift-terminal-02'];

const seed: ConfigurationFileInput = {
  apiScopes: [{ name: 'inventory.read', displayName: 'Read stock levels' }, { name: 'inventory.write', displayName: 'Book stock movements' }, { name: 'labels.print', displayName: 'Print labels' }],
  apiResources: [
    { name: 'inventory-api', scopes: ['inventory.read', 'inventory.write'] },
    { name: 'label-api', scopes: ['labels.print'] },
  ],
  identityResources: [
    { name: 'openid', userClaims: ['sub'] },
    { name: 'profile', userClaims: ['name'], displayName: 'Your name' },
  ],
  users: [
    { subjectId: 'u-ana', username: 'ana', password: 'warehouse-ana-1', claims: { name: 'Ana Lima' } },
    { subjectId: 'u-ben', username: 'ben', password: 'warehouse-ben-1', claims: { name: 'Ben Okafor' } },
  ],
  clients: [
    ...scanners.map((clientId) => ({ clientId, clientName: `Dock scanner ${clientId.slice(-2)}`, group: 'dock', tags: ['handheld'], secrets: [{ value: secretOf(clientId) }], allowedGrantTypes: ['client_credentials' as const], allowedScopes: ['inventory.read', 'inventory.write'] })),
    ...printers.map((clientId) => ({ clientId, clientName: `Label printer ${clientId.slice(-2)}`, group: 'labels', secrets: [{ value: secretOf(clientId) }], allowedGrantTypes: ['client_credentials' as const], allowedScopes: ['labels.print'] })),
    ...forklifts.map((clientId) => ({ clientId, group: 'yard', tags: ['vehicle'], secrets: [{ value: secretOf(clientId) }], allowedGrantTypes: ['client_credentials' as const], allowedScopes: ['inventory.read'] })),
    { clientId: 'dock-scanner-09', clientName: 'Reported lost', group: 'dock', enabled: false, secrets: [{ value: secretOf('dock-scanner-09') }], allowedGrantTypes: ['client_credentials'], allowedScopes: ['inventory.read'] },
  ],
};

async function tokenRequest(tokenEndpoint: string, clientId: string, secret: string): Promise<void> {
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  await res.arrayBuffer();
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'idp-screenshot-'));
  const clock = new ReplayClock();
  const draw = random(20261101);
  try {
    writeFileSync(join(dataDir, 'seed.json'), JSON.stringify(seed));
    clock.offset = -10 * DAY;
    const idp = await startIdp({ dataDir, port: 0, adminPort: 0, seedFile: join(dataDir, 'seed.json'), clock, logger: silentLogger });
    const tokenEndpoint = `${idp.issuer}/connect/token`;
    try {
      // Ten days ago the forklift terminals still reported in: now they show as stale devices.
      for (const id of forklifts) await tokenRequest(tokenEndpoint, id, secretOf(id));

      // The last hour, minute by minute: a busy shift with a few refused requests.
      const active = [...scanners, ...printers];
      for (let m = 59; m >= 0; m--) {
        clock.offset = -m * MINUTE;
        const wave = 9 + 6 * Math.sin((60 - m) / 6) + 4 * draw();
        for (let i = 0; i < Math.round(wave); i++) {
          const id = active[Math.floor(draw() * active.length)] as string;
          await tokenRequest(tokenEndpoint, id, secretOf(id));
        }
        if (draw() < 0.15) await tokenRequest(tokenEndpoint, 'dock-scanner-09', secretOf('dock-scanner-09'));
        if (draw() < 0.1) await tokenRequest(tokenEndpoint, 'dock-scanner-03', 'an-old-secret');
      }
      clock.offset = 0;
      idp.context.keyRing.rotate({ immediate: false }, 'screenshot');

      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
        await page.goto(idp.createLaunchUrl());
        await page.getByRole('img', { name: /Tokens per minute/ }).waitFor();
        await page.screenshot({ path: OUT });
      } finally {
        await browser.close();
      }
    } finally {
      await idp.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`wrote ${OUT}`);
}

await main();
