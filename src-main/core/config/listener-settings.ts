import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../domain';

export const LISTENER_FILE = 'listener.json';

/**
 * Where the protocol listener (devices and web apps) is exposed. Kept in a file beside the
 * database rather than in it because it is read before the core starts, and applied by
 * restarting the core: the desktop shell does that itself; `serve` reads it at start, and its
 * command-line flags win over it.
 */
export const listenerSettingsInput = z.strictObject({
  host: z.string().trim().min(1, 'give an address to listen on, e.g. 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  port: z.number().int('a whole number').min(0).max(65535).default(4800),
  issuer: z
    .string()
    .url('a URL like https://idp.site.lan:4800')
    .refine((u) => /^https?:\/\//.test(u) && !u.includes('?') && !u.includes('#'), 'an http(s) URL without query or fragment')
    .optional(),
});
export type ListenerSettings = z.output<typeof listenerSettingsInput>;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

export function parseListenerSettings(input: unknown): ListenerSettings {
  const parsed = listenerSettingsInput.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  if (WILDCARD_HOSTS.has(parsed.data.host) && !parsed.data.issuer) {
    throw new ValidationError([{ path: 'issuer', message: `required when listening on ${parsed.data.host}: tokens must name an address devices can reach` }]);
  }
  return parsed.data;
}

export function readListenerSettings(dataDir: string): ListenerSettings | undefined {
  const file = join(dataDir, LISTENER_FILE);
  if (!existsSync(file)) return undefined;
  return parseListenerSettings(JSON.parse(readFileSync(file, 'utf8')));
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
