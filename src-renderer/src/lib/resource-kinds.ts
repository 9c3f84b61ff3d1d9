import { apiResourceInput, apiScopeInput, identityResourceInput } from '../../../src-main/core/domain';
import type { Pair } from '../components/PairsEditor.svelte';
import { api } from './api';
import { issuesToErrors, type FieldErrors } from './field-errors';
import { pairsToRecord, recordToPairs } from './pairs';

export const RESOURCE_KINDS = ['api-scopes', 'api-resources', 'identity-resources'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export function isResourceKind(s: string): s is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(s);
}

/** How each kind is named and explained to an operator who is not an identity expert. */
export const KIND_INFO: Record<ResourceKind, { title: string; one: string; explanation: string }> = {
  'api-scopes': {
    title: 'API scopes',
    one: 'API scope',
    explanation: 'A permission a device or app can be given, such as inventory.read. Clients are allowed scopes; tokens carry them.',
  },
  'api-resources': {
    title: 'API resources',
    one: 'API resource',
    explanation: 'An API that accepts tokens. Its name becomes the audience (aud) of tokens holding any of its scopes.',
  },
  'identity-resources': {
    title: 'Identity resources',
    one: 'identity resource',
    explanation: 'Facts about a signed-in person (openid, profile, email) that apps may ask for, as groups of user claims.',
  },
};

/** Every field any kind has; each kind sends only its own. */
export interface ResourceValues {
  name: string | undefined;
  displayName: string | undefined;
  description: string | undefined;
  enabled: boolean;
  showInDiscoveryDocument: boolean;
  userClaims: string[];
  properties: Pair[];
  required: boolean;
  emphasize: boolean;
  scopes: string[];
  requireResourceIndicator: boolean;
}

export const EMPTY_RESOURCE: ResourceValues = {
  name: undefined,
  displayName: undefined,
  description: undefined,
  enabled: true,
  showInDiscoveryDocument: true,
  userClaims: [],
  properties: [],
  required: false,
  emphasize: false,
  scopes: [],
  requireResourceIndicator: false,
};

export type ResourceItem = Record<string, unknown> & { name: string };
type Item = ResourceItem;

export function toResourceValues(item: Item): ResourceValues {
  return { ...EMPTY_RESOURCE, ...item, properties: recordToPairs((item.properties as Record<string, string> | undefined) ?? {}) } as ResourceValues;
}

/** The item as the server takes it for this kind. */
export function fromResourceValues(kind: ResourceKind, v: ResourceValues): Item {
  const base = {
    name: v.name?.trim() ?? '',
    displayName: v.displayName,
    description: v.description,
    enabled: v.enabled,
    showInDiscoveryDocument: v.showInDiscoveryDocument,
    userClaims: v.userClaims,
    properties: pairsToRecord(v.properties),
  };
  if (kind === 'api-resources') return { ...base, scopes: v.scopes, requireResourceIndicator: v.requireResourceIndicator };
  return { ...base, required: v.required, emphasize: v.emphasize };
}

const SCHEMAS = { 'api-scopes': apiScopeInput, 'api-resources': apiResourceInput, 'identity-resources': identityResourceInput } as const;

export function validateResource(kind: ResourceKind, v: ResourceValues): FieldErrors {
  const errors = issuesToErrors(SCHEMAS[kind].safeParse(fromResourceValues(kind, v)));
  if (!v.name?.trim()) errors.name = 'required';
  return errors;
}

/** The three collections' routes share one shape; pages handle their items as records of that kind's fields. */
interface ResourceEndpoints {
  list(): Promise<Item[]>;
  get(name: string): Promise<Item>;
  create(item: Item): Promise<Item>;
  update(name: string, item: Item): Promise<Item>;
  remove(name: string): Promise<void>;
}

export function resourceApi(kind: ResourceKind): ResourceEndpoints {
  const endpoints = kind === 'api-scopes' ? api.apiScopes : kind === 'api-resources' ? api.apiResources : api.identityResources;
  return endpoints as unknown as ResourceEndpoints;
}
