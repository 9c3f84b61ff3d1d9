import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/temp-dir';
import { startServeProcess } from '../helpers/cli-process';
import { DATABASE_FILE } from '../../src-main/core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir: ReturnType<typeof tempDir>;
afterEach(() => dir.remove());

/** Runs the commit loop until it has printed `count` commits, then SIGKILLs it mid-stride. */
function commitThenKill(dataDir: string, count: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/commit-loop.ts', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const committed: string[] = [];
  let buffer = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) if (line.startsWith('committed ')) committed.push(line.slice(10));
      if (committed.length >= count && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(committed) : reject(new Error(`commit loop ended by itself (${signal})`))));
  });
}

describe('durability', () => {
  it('kill -9 of a writer, beside a running server, leaves a sound database holding every committed registration', async () => {
    dir = tempDir();
    const serve = await startServeProcess(['--data-dir', dir.path]);
    const rounds = [37, 111, 5];
    const allCommitted: string[] = [];
    for (const n of rounds) allCommitted.push(...(await commitThenKill(dir.path, n)));
    serve.child.kill('SIGKILL');
    await serve.exited;

    const db = new Database(join(dir.path, DATABASE_FILE));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const present = new Set((db.prepare("SELECT client_id FROM clients WHERE client_id NOT LIKE '%filler%'").pluck().all() as string[]));
    db.close();
    expect(allCommitted.length).toBeGreaterThanOrEqual(rounds.reduce((a, b) => a + b));
    for (const id of allCommitted) expect(present.has(id)).toBe(true);
  });
});
