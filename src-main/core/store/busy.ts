/**
 * True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes). A server holds
 * the data folder's writer lock and never waits on a lock (`busy_timeout` 0), so it meets this
 * only when something outside the rules (a tool on the file, a CLI of an older version) holds
 * the write lock: the request is answered 503 and may be retried, never 500.
 */
export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
