import { api } from './api';
import { ApiError, onSessionLost } from './http';
import { errorMessage } from './error-message';
import { replace } from './router.svelte';
import type { ConsoleIdentity } from './types';

/** Why there is no console session: each gets its own explanation on the fresh-link page. */
export type SignedOutReason = 'link-used' | 'no-link' | 'expired' | 'signed-out';

export type ConsoleState =
  | { kind: 'starting' }
  | { kind: 'ready'; identity: ConsoleIdentity; notice?: string }
  | { kind: 'signed-out'; reason: SignedOutReason }
  | { kind: 'unreachable'; message: string };

export const consoleState = $state<{ current: ConsoleState }>({ current: { kind: 'starting' } });

onSessionLost(() => {
  if (consoleState.current.kind === 'ready') consoleState.current = { kind: 'signed-out', reason: 'expired' };
});

const LAUNCH = /^#launch=([^&]+)/;

/**
 * Opens the console. A launch token in the URL (`#launch=TOKEN`, from the desktop shell or the
 * CLI) is exchanged for the session cookies and dropped from the address bar and history at
 * once, so it is never bookmarked or shown again. Without one, an existing session is used.
 */
export async function startConsole(): Promise<void> {
  const launch = LAUNCH.exec(window.location.hash);
  let notice: string | undefined;
  if (launch) {
    replace('#/');
    try {
      await api.session.open(decodeURIComponent(launch[1] as string));
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'launch_token_invalid') return fail(err);
      // A used link is harmless when this browser still holds the session it opened.
      notice = 'That console link was already used; you are still signed in from before.';
    }
  }
  try {
    const identity = await api.session.current();
    consoleState.current = notice ? { kind: 'ready', identity, notice } : { kind: 'ready', identity };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'unauthorized') {
      consoleState.current = { kind: 'signed-out', reason: launch ? 'link-used' : 'no-link' };
    } else fail(err);
  }
}

function fail(err: unknown): void {
  consoleState.current = { kind: 'unreachable', message: errorMessage(err) };
}

export async function signOut(): Promise<void> {
  await api.session.close();
  consoleState.current = { kind: 'signed-out', reason: 'signed-out' };
}
