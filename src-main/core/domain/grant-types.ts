/**
 * The grant types this server implements, in Duende's names (GrantType.cs): the token endpoint's
 * grants (`protocol/grants/`) and the authorize endpoint's legacy `implicit` and `hybrid` flows.
 * The configuration schema accepts only these and the console offers only these; Duende's
 * `password` (resource owner password credentials, RFC 9700 §2.4: MUST NOT be used) is not here.
 * test/integration/grant-types-implemented.test.ts uses each one, so the list cannot overstate.
 */
export const GRANT_TYPES = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
  'implicit',
  'hybrid',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** Duende's rule: these pairs mix front-channel flows in ways that weaken each other. */
const FORBIDDEN_PAIRS: ReadonlyArray<readonly [GrantType, GrantType]> = [
  ['implicit', 'authorization_code'],
  ['implicit', 'hybrid'],
  ['authorization_code', 'hybrid'],
];

export function forbiddenGrantCombination(grants: readonly string[]): string | undefined {
  for (const [a, b] of FORBIDDEN_PAIRS) {
    if (grants.includes(a) && grants.includes(b)) return `"${a}" and "${b}" cannot be combined`;
  }
  return undefined;
}

/** For a value that is not (or no longer) implemented, e.g. `password` on a client stored before it was removed. */
export function unsupportedGrantMessage(value: unknown): string {
  return `${JSON.stringify(value)} is not a grant type this server implements (${GRANT_TYPES.join(', ')}): remove it`;
}
