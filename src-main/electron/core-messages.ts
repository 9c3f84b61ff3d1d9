/**
 * The messages between the shell (Electron main) and the core's utility process. Both sides
 * import this file, so it imports nothing: the core side must never load `electron`.
 *
 * The shell starts the core with the data folder and, when the OS keychain holds it, the
 * key-encryption key; the core reads its listener settings itself on every start, so a restart
 * applies what the operator saved. Requests carry an id that their answer repeats.
 */

export interface StartMessage {
  type: 'start';
  dataDir: string;
  /** 32 bytes, base64; absent when the core keeps its own file key. */
  keyEncryptionKey?: string;
  /** The key was just made for a folder without a database: the core may make a new site beside it. */
  newSite?: boolean;
}

export type ShellToCore = StartMessage | { type: 'launch-url'; id: number } | { type: 'status'; id: number } | { type: 'stop' };

export interface CoreAddresses {
  issuer: string;
  protocolUrl: string;
  /** The admin listener's origin, where the console is served. */
  adminUrl: string;
}

export interface CoreFigures {
  tokensLastMinute: number;
  failuresLastMinute: number;
}

export type CoreToShell =
  | ({ type: 'ready' } & CoreAddresses)
  | { type: 'failed'; message: string }
  | { type: 'listener-settings-changed' }
  | { type: 'launch-url'; id: number; url: string }
  | ({ type: 'status'; id: number } & CoreFigures)
  | { type: 'request-failed'; id: number; message: string }
  | { type: 'stopped' };

type FieldType = 'string' | 'number' | 'string?' | 'boolean?';
type Shapes<M extends { type: string }> = { [T in M['type']]: Record<string, FieldType> };

const SHELL_TO_CORE: Shapes<ShellToCore> = {
  start: { dataDir: 'string', keyEncryptionKey: 'string?', newSite: 'boolean?' },
  'launch-url': { id: 'number' },
  status: { id: 'number' },
  stop: {},
};

const CORE_TO_SHELL: Shapes<CoreToShell> = {
  ready: { issuer: 'string', protocolUrl: 'string', adminUrl: 'string' },
  failed: { message: 'string' },
  'listener-settings-changed': {},
  'launch-url': { id: 'number', url: 'string' },
  status: { id: 'number', tokensLastMinute: 'number', failuresLastMinute: 'number' },
  'request-failed': { id: 'number', message: 'string' },
  stopped: {},
};

function matches(value: unknown, shapes: Record<string, Record<string, FieldType>>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const shape = typeof record.type === 'string' && Object.hasOwn(shapes, record.type) ? shapes[record.type] : undefined;
  if (!shape) return false;
  return Object.entries(shape).every(([field, type]) =>
    type.endsWith('?') ? record[field] === undefined || typeof record[field] === type.slice(0, -1) : typeof record[field] === type,
  );
}

/** Messages cross a process boundary: each side checks the shape before trusting a field. */
export function isShellToCore(value: unknown): value is ShellToCore {
  return matches(value, SHELL_TO_CORE);
}

export function isCoreToShell(value: unknown): value is CoreToShell {
  return matches(value, CORE_TO_SHELL);
}
