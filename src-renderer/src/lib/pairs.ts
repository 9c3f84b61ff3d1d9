import type { Pair } from '../components/PairsEditor.svelte';

/** Client claims `[{type, value}]` ⇄ editor rows. */
export const claimsToPairs = (claims: ReadonlyArray<{ type: string; value: string }>): Pair[] => claims.map((c) => ({ key: c.type, value: c.value }));
export const pairsToClaims = (rows: readonly Pair[]): Array<{ type: string; value: string }> => rows.map((r) => ({ type: r.key.trim(), value: r.value }));

/** Properties `{name: value}` ⇄ editor rows; rows with an empty name are dropped. */
export const recordToPairs = (record: Readonly<Record<string, string>>): Pair[] => Object.entries(record).map(([key, value]) => ({ key, value }));
export const pairsToRecord = (rows: readonly Pair[]): Record<string, string> => Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));

/**
 * User claims hold any JSON (OIDC Core §5.1: `email_verified` is a boolean, `address` an
 * object). A value typed as JSON other than a string (true, 42, {...}) is stored as such;
 * anything else is text.
 */
export function parseClaimValue(text: string): unknown {
  const t = text.trim();
  if (t === 'true' || t === 'false' || t === 'null' || /^-?\d+(\.\d+)?$/.test(t) || t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}
export const userClaimsToPairs = (claims: Readonly<Record<string, unknown>>): Pair[] =>
  Object.entries(claims).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
export const pairsToUserClaims = (rows: readonly Pair[]): Record<string, unknown> => Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), parseClaimValue(r.value)]));
