import { z } from 'zod';
import { properties, scopeName, secretInput, uniqueStrings } from './fields';

/** Duende's `Resource` base, shared by API scopes, API resources and identity resources. */
const resourceBase = {
  name: scopeName,
  displayName: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  showInDiscoveryDocument: z.boolean().default(true),
  userClaims: z.array(z.string().min(1)).refine(uniqueStrings, 'must not repeat a value').default([]),
  properties: properties.default({}),
};

export const apiScopeInput = z.strictObject({
  ...resourceBase,
  required: z.boolean().default(false),
  emphasize: z.boolean().default(false),
});
export type ApiScope = z.output<typeof apiScopeInput>;

/** An API: its name is the `aud` of access tokens carrying any of its scopes. */
export const apiResourceInput = z.strictObject({
  ...resourceBase,
  name: z.string().min(1).regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces'),
  scopes: z.array(scopeName).refine(uniqueStrings, 'must not repeat a value').default([]),
  apiSecrets: z.array(secretInput).optional(),
  requireResourceIndicator: z.boolean().default(false),
});
export type ApiResource = Omit<z.output<typeof apiResourceInput>, 'apiSecrets'>;

export const identityResourceInput = z.strictObject({
  ...resourceBase,
  userClaims: z.array(z.string().min(1)).min(1, 'an identity resource needs at least one user claim').refine(uniqueStrings, 'must not repeat a value'),
  required: z.boolean().default(false),
  emphasize: z.boolean().default(false),
});
export type IdentityResource = z.output<typeof identityResourceInput>;
