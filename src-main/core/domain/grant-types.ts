/** Grant type names of Duende's model (GrantType.cs) that a client may be configured with. */
export const GRANT_TYPES = [
  'client_credentials',
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
  'implicit',
  'hybrid',
  'password',
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
