import type { IdpContext } from '../context';
import { CLIENT_AUTH_FAILED } from '../operations/client-activity';
import type { ClientAuthFailure } from './client-auth';

/**
 * Records a refused client authentication in the audit log, aggregated in memory: one row per
 * client, address, reason and minute, written with the usage counters (never a write per request).
 * The client's failure count is the token endpoint's, with its other refusals.
 */
export function recordClientAuthFailure(ctx: IdpContext, failure: ClientAuthFailure, address: string | undefined): void {
  const from = address ?? 'unknown';
  if (failure.known) {
    ctx.repeatedEvents.record({
      actor: `address:${from}`,
      action: CLIENT_AUTH_FAILED,
      target: failure.clientId,
      details: { reason: failure.reason, address: from },
      source: JSON.stringify([failure.clientId, from, failure.reason]),
    });
    return;
  }
  // A made-up client id names nothing: one address's tries share a row whatever ids they send,
  // and have a budget of their own, so a flood of them never crowds out the real clients' rows.
  ctx.repeatedEvents.record({
    actor: `address:${from}`,
    action: CLIENT_AUTH_FAILED,
    details: { reason: failure.reason, address: from, firstClientId: failure.clientId.slice(0, 100) },
    source: JSON.stringify([from, failure.reason]),
    budget: `${CLIENT_AUTH_FAILED} unknown`,
  });
}
