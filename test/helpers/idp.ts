import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIdp, silentLogger, type Clock, type Logger, type RunningIdp } from '../../src-main/core';
import type { ConfigurationFileInput } from '../../src-main/core/domain';
import { tempDir } from './temp-dir';

export interface TestIdp {
  idp: RunningIdp;
  issuer: string;
  dataDir: string;
  /** Stops the server; the data dir survives until `dispose()`. */
  stop(): Promise<void>;
  /** Stops the server and deletes the data dir. */
  dispose(): Promise<void>;
}

/** Starts the real server on an ephemeral loopback port over a temp data dir, seeded from `seed`. */
export async function startTestIdp(seed: ConfigurationFileInput | undefined, options: { clock?: Clock; logger?: Logger; dataDir?: string } = {}): Promise<TestIdp> {
  const dir = options.dataDir ? { path: options.dataDir, remove: () => {} } : tempDir();
  let seedFile: string | undefined;
  if (seed) {
    seedFile = join(dir.path, 'seed.json');
    writeFileSync(seedFile, JSON.stringify(seed));
  }
  const idp = await startIdp({ dataDir: dir.path, port: 0, seedFile, clock: options.clock, logger: options.logger ?? silentLogger });
  return {
    idp,
    issuer: idp.issuer,
    dataDir: dir.path,
    stop: () => idp.close(),
    dispose: async () => {
      await idp.close();
      dir.remove();
    },
  };
}

/** A raw form POST, for the requests no well-behaved client library would send. */
export async function postForm(url: string, body: string | Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
}

export function basic(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return 'Basic ' + Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64');
}
