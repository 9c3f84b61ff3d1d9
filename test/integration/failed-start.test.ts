import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, DataDirError, startIdp, silentLogger } from '../../src-main/core';
import { ADMIN_ADDRESS_FILE } from '../../src-main/core/admin/admin-address-file';
import { runCli } from '../helpers/cli-process';
import { tempDir } from '../helpers/temp-dir';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

/** A folder where the admin address file cannot be written, as on a full disk: the step after both listeners open. */
function dataDirThatFailsAfterListening(): string {
  const dir = tempDir('idp-failed-start-');
  dirs.push(dir);
  mkdirSync(join(dir.path, `${ADMIN_ADDRESS_FILE}.tmp`));
  return dir.path;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function connect(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('a start that fails after the listeners opened', () => {
  it('rejects, naming the file, and leaves both ports closed and the database closed', async () => {
    const dataDir = dataDirThatFailsAfterListening();
    const [port, adminPort] = [await freePort(), await freePort()];
    const err = await startIdp({ dataDir, port, adminPort, logger: silentLogger }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataDirError);
    expect((err as Error).message).toContain(`cannot write ${join(dataDir, ADMIN_ADDRESS_FILE)}.tmp (EISDIR`);

    expect(await connect(port)).toBe('ECONNREFUSED');
    expect(await connect(adminPort)).toBe('ECONNREFUSED');
    // The last connection to close removes the write-ahead log: nothing holds the database open.
    expect(existsSync(join(dataDir, `${DATABASE_FILE}-wal`))).toBe(false);

    // Once the cause is gone the same folder and ports start.
    rmSync(join(dataDir, `${ADMIN_ADDRESS_FILE}.tmp`), { recursive: true });
    const idp = await startIdp({ dataDir, port, adminPort, logger: silentLogger });
    expect((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    await idp.close();
  });

  it('as `serve`: the process exits 1 with one line on stderr naming the cause', async () => {
    const dataDir = dataDirThatFailsAfterListening();
    const r = await runCli(['serve', '--data-dir', dataDir, '--port', '0', '--admin-port', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      expect.stringMatching(new RegExp(`^cannot start: cannot write ${join(dataDir, ADMIN_ADDRESS_FILE)}\\.tmp \\(EISDIR: .*\\): check that the disk has room`)),
    ]);
    expect(r.stdout).not.toContain('"ready"');
  });

  it('as `serve`, a port in use: one line saying what to do', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const dir = tempDir('idp-failed-start-');
      dirs.push(dir);
      const r = await runCli(['serve', '--data-dir', dir.path, '--port', '0', '--admin-port', String(port)]);
      expect(r.status).toBe(1);
      expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
        `cannot start: the admin listener cannot open 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}: another program (another serve?) listens there; stop it, or choose --port / --admin-port`,
      ]);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
