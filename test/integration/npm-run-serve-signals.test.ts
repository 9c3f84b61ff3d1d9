import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptsConnections } from '../helpers/accepts-connections';
import { tempDir } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = tempDir('idp-npm-serve-');
let npm: ChildProcess | undefined;
afterAll(() => {
  // npm leads its own process group: whatever is left of it (a server that outlived npm) goes too.
  try {
    if (npm?.pid) process.kill(-npm.pid, 'SIGKILL');
  } catch {
    /* the group is gone already */
  }
  dir.remove();
});

describe('npm run serve, signalled through npm', () => {
  it('`kill <npm pid>` stops the server gracefully and frees both ports', { timeout: 30_000 }, async () => {
    // `npm run serve` is `electron-vite build … && <command>`; the build is left out here (the test
    // run built the bundles), the rest runs exactly as npm runs a script: under `sh -c`, with
    // npm forwarding SIGTERM to that shell.
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.serve!;
    const [build, command] = script.split(' && ');
    expect(build).toBe('electron-vite build --logLevel warn');
    npm = spawn('npm', ['exec', '--no', '-c', `${command} --port 0 --admin-port 0 --data-dir ${join(dir.path, 'site')}`], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    // The pipe closes when its last writer, the server (which outlives npm), has exited.
    const serverGone = new Promise<void>((resolve) => npm!.stdout!.once('close', () => resolve()));
    const ready = await new Promise<{ issuer: string; adminUrl: string }>((resolve, reject) => {
      let buffer = '';
      npm!.stdout!.on('data', (d: Buffer) => {
        buffer += d.toString();
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          lines.push(line);
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as { msg?: string; issuer?: string; adminUrl?: string };
          if (entry.msg === 'ready' && entry.issuer && entry.adminUrl) resolve({ issuer: entry.issuer, adminUrl: entry.adminUrl });
        }
      });
      npm!.once('exit', (code) => reject(new Error(`npm exited (${code}) before ready:\n${lines.join('\n')}`)));
    });
    expect((await fetch(`${ready.issuer}/.well-known/openid-configuration`)).status).toBe(200);

    process.kill(npm.pid!, 'SIGTERM');
    await serverGone;
    const messages = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string; signal?: string });
    expect(messages.find((m) => m.msg === 'stopping')?.signal).toBe('SIGTERM');
    expect(messages.at(-1)?.msg).toBe('stopped');
    expect(await acceptsConnections(ready.issuer)).toBe(false);
    expect(await acceptsConnections(ready.adminUrl)).toBe(false);
  });
});
