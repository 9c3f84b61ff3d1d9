import type { Clock } from '../clock';
import type { Store } from '../store';
import { UnknownClientError } from './client-secrets';
import type { ClientAuthFailureReason } from '../domain/client-auth-failure';

const DAY_MS = 86_400_000;
/** The audit action of a failed client authentication at the token endpoint. */
export const CLIENT_AUTH_FAILED = 'client.authentication_failed';
const FAILURES_SHOWN = 20;

export interface ClientActivity {
  clientId: string;
  lastSeen: number | undefined;
  lastAddress: string | undefined;
  issuedTotal: number;
  failedTotal: number;
  /** One entry per UTC day of the window, oldest first, zeros included: ready for a chart. */
  days: Array<{ date: string; issued: number; failed: number }>;
  /** The newest failed authentications, newest first: one entry per address, reason and minute. */
  authFailures: Array<{ at: number; address: string; reason: ClientAuthFailureReason; count: number }>;
}

/** A device as the fleet view shows it: last contact, its tokens and failures per day, and why it failed. */
export function clientActivity(store: Store, clock: Clock, clientId: string, days = 30): ClientActivity {
  if (!store.clients.get(clientId)) throw new UnknownClientError(clientId);
  const today = Math.floor(clock.now() / DAY_MS);
  const from = today - days + 1;
  const recorded = new Map(store.usage.daily(clientId, from).map((d) => [d.day, d]));
  const summary = store.usage.summary(clientId);
  return {
    clientId,
    lastSeen: summary.lastSeen,
    lastAddress: summary.lastAddress,
    issuedTotal: summary.issued,
    failedTotal: summary.failed,
    days: Array.from({ length: days }, (_, i) => {
      const day = from + i;
      const d = recorded.get(day);
      return { date: new Date(day * DAY_MS).toISOString().slice(0, 10), issued: d?.issued ?? 0, failed: d?.failed ?? 0 };
    }),
    authFailures: store.audit.ofTarget(clientId, CLIENT_AUTH_FAILED, FAILURES_SHOWN).map((e) => ({
      at: e.at,
      address: String(e.details?.address ?? ''),
      reason: e.details?.reason as ClientAuthFailureReason,
      count: e.count,
    })),
  };
}
