import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../domain';
import { DataDirError, reasonOf } from './data-dir-error';
import { listenerSettingsInput, wildcardIssuerError, type ListenerSettings } from './listener-schema';

export type { ListenerSettings };

export const LISTENER_FILE = 'listener.json';

export function parseListenerSettings(input: unknown): ListenerSettings {
  const parsed = listenerSettingsInput.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const issuerError = wildcardIssuerError(parsed.data.host, parsed.data.issuer);
  if (issuerError) throw new ValidationError([{ path: 'issuer', message: issuerError }]);
  return parsed.data;
}

/**
 * Kept in a file beside the database rather than in it because it is read before the core
 * starts, and applied by restarting the core: the desktop shell does that itself; `serve` reads
 * it at start, and its command-line flags win over it.
 */
export function readListenerSettings(dataDir: string): ListenerSettings | undefined {
  const file = join(dataDir, LISTENER_FILE);
  if (!existsSync(file)) return undefined;
  const fix = 'fix it, or delete it to listen on the defaults (127.0.0.1:4800) and save the settings again in the console';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataDirError(`cannot read ${file} (${reasonOf(err)}): ${fix}`, { cause: err });
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new DataDirError(`${file} is not valid JSON (${(err as Error).message}): ${fix}`, { cause: err });
  }
  try {
    return parseListenerSettings(input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const faults = err.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ');
    throw new DataDirError(`${file} holds invalid listener settings (${faults}): ${fix}`, { cause: err });
  }
}

/** Written to a temporary file, synced, then renamed over the old one: a crash leaves one or the other. */
export function writeListenerSettings(dataDir: string, settings: ListenerSettings): void {
  const file = join(dataDir, LISTENER_FILE);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(settings, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
