import type { CoreState } from './supervisor';

/** One line for the tray, the tooltip and the status page. */
export function describeCoreState(state: CoreState): string {
  switch (state.kind) {
    case 'starting':
      return 'Starting…';
    case 'running':
      return 'Running';
    case 'restarting':
      return `Restarting in ${Math.ceil(state.delayMs / 1000)} s (attempt ${state.attempt})`;
    case 'stopping':
      return 'Stopping…';
    case 'stopped':
      return 'Stopped';
  }
}

/** Menu items are one line: long error messages are cut. */
export function shorten(text: string, max = 100): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
