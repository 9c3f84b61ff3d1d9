/** Short confirmations and failures, read out by the live region in `Toasts.svelte`. */

import { errorMessage } from './error-message';

export interface Toast {
  id: number;
  kind: 'success' | 'error';
  message: string;
}

export const toasts = $state<Toast[]>([]);
let nextId = 1;

const SHOWN_MS = 6_000;

function push(kind: Toast['kind'], message: string): void {
  const id = nextId++;
  toasts.push({ id, kind, message });
  // Errors stay until dismissed: an operator may be looking elsewhere.
  if (kind === 'success') setTimeout(() => dismiss(id), SHOWN_MS);
}

export function dismiss(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

export const notify = (message: string): void => push('success', message);
export const notifyError = (err: unknown): void => push('error', errorMessage(err));
