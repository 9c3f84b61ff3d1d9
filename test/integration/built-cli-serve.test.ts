import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptsConnections } from '../helpers/accepts-connections';
import { tempDir } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = tempDir('idp-built-cli-');
afterAll(() => dir.remove());

describe('the built CLI runs the server as one process (node out/main/cli.js serve)', () => {
  it('serves from any folder, and SIGTERM to its PID stops it gracefully, exit 0, both ports closed', async () => {
    // Started from outside the project, so the native module and the console are found beside
    // the bundle, not through the working directory.
    const child = spawn(
      process.execPath,
      [join(ROOT, 'out/main/cli.js'), 'serve', '--port', '0', '--admin-port', '0', '--data-dir', join(dir.path, 'site'), '--seed', join(ROOT, 'resources/examples/site.json')],
      { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const lines: string[] = [];
    const ready = await new Promise<{ issuer: string; adminUrl: string }>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          lines.push(line);
          const entry = JSON.parse(line) as { msg?: string; issuer?: string; adminUrl?: string };
          if (entry.msg === 'ready' && entry.issuer && entry.adminUrl) resolve({ issuer: entry.issuer, adminUrl: entry.adminUrl });
        }
      });
      void exited.then(({ code }) => reject(new Error(`serve exited (${code}) before ready:\n${lines.join('\n')}`)));
    });

    // The seeded device gets a token (better-sqlite3 loaded), and the console page is served.
    const token = await fetch(`${ready.issuer}/connect/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('scanner-0001:change-me-scanner-0001-secret-0123456789').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const introspection = await fetch(`${ready.issuer}/connect/introspect`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('scanner-0001:change-me-scanner-0001-secret-0123456789').toString('base64')}` },
      body: new URLSearchParams({ token: access_token }),
    });
    expect(introspection.status).toBe(200);
    expect(await introspection.json()).toMatchObject({ active: true, client_id: 'scanner-0001' });
    const consolePage = await fetch(`${ready.adminUrl}/`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toMatch(/<script[^>]+src=/);

    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
    expect(await acceptsConnections(ready.issuer)).toBe(false);
    expect(await acceptsConnections(ready.adminUrl)).toBe(false);
  });
});
