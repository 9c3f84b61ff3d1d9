/**
 * A refusal to start (or to run a command) over a data folder the operator must fix first: a
 * missing, damaged or mismatched file. The message names the file and says what to do, and is
 * meant to be shown as it is, on one line.
 */
export class DataDirError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataDirError';
  }
}

/** The system's reason, short: `EISDIR: illegal operation on a directory` without the path it repeats. */
export function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === 'string' && typeof e.message === 'string') return `${e.code}: ${e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '[^']*'$/, '')}`;
  return err instanceof Error ? err.message : String(err);
}
