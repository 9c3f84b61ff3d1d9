import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError, reasonOf } from '../config/data-dir-error';

export const ADMIN_ADDRESS_FILE = 'admin-listener.json';

/**
 * Tells other processes over the same data folder (`offline-idp console-url`) where the running
 * server's console is. Written when the admin listener opens, removed when it closes.
 */
export function writeAdminAddress(dataDir: string, url: string): void {
  const file = join(dataDir, ADMIN_ADDRESS_FILE);
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ url, pid: process.pid }) + '\n', { mode: 0o600 });
  } catch (err) {
    throw new DataDirError(`cannot write ${tmp} (${reasonOf(err)}): check that the disk has room and the data folder is writable, and remove anything in the way of that file`, { cause: err });
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    throw new DataDirError(`cannot replace ${file} (${reasonOf(err)}): remove anything in the way of that file (it must be a file, not a folder)`, { cause: err });
  }
}

export function removeAdminAddress(dataDir: string): void {
  const file = join(dataDir, ADMIN_ADDRESS_FILE);
  if (readAddress(file)?.pid === process.pid) rmSync(file, { force: true });
}

function readAddress(file: string): { url: string; pid: number } | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { url?: unknown; pid?: unknown };
    return typeof v.url === 'string' && typeof v.pid === 'number' ? { url: v.url, pid: v.pid } : undefined;
  } catch {
    return undefined;
  }
}

/** The console origin of a server running over `dataDir`, if its process is alive. */
export function runningAdminUrl(dataDir: string): string | undefined {
  const address = readAddress(join(dataDir, ADMIN_ADDRESS_FILE));
  if (!address) return undefined;
  try {
    process.kill(address.pid, 0);
  } catch (err) {
    // EPERM: alive but another user's; ESRCH: gone (a crash left the file behind).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return address.url;
}
