/**
 * The cutoff (ms) a token holder's creation sets: a token issued at or before it was issued to an
 * earlier client or user of the same id, since deleted (ids are chosen by operators, imports and
 * RFC 7591 registrations, so one can come back), and must not come back to life with the new one.
 *
 * A JWT's `iat` has whole seconds, so the cutoff is the end of the second before the creation
 * second: a token issued in the creation second (a new device's first token, requested the moment
 * it is enrolled) is live. The price is that a token of the earlier holder issued in that same
 * second, just before the delete, is live too: an accepted edge, since deleting and re-creating
 * within one second is an operator's script, not a stolen device.
 */
export function creationCutoff(createdAt: number): number {
  return Math.floor(createdAt / 1000) * 1000 - 1;
}
