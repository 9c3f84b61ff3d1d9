import { clientInput } from '../../../src-main/core/domain';
import type { Pair } from '../components/PairsEditor.svelte';
import { issuesToErrors, type FieldErrors } from './field-errors';
import { claimsToPairs, pairsToClaims, pairsToRecord, recordToPairs } from './pairs';
import type { ClientRecord } from './types';

/** A client's settings as the edit form holds them: claims and properties as editable rows. */
export type ClientFormValues = Omit<ClientRecord, 'claims' | 'properties'> & { claims: Pair[]; properties: Pair[] };

export function toClientForm(client: ClientRecord): ClientFormValues {
  return { ...client, claims: claimsToPairs(client.claims), properties: recordToPairs(client.properties) };
}

/** The settings to PUT: every field (the server replaces the client), never its id or secrets. */
export function fromClientForm(values: ClientFormValues): Omit<ClientRecord, 'clientId'> {
  const { clientId: _id, ...rest } = values;
  return { ...rest, claims: pairsToClaims(values.claims), properties: pairsToRecord(values.properties) };
}

/** The server's own schema, run on every change. */
export function validateClientForm(values: ClientFormValues): FieldErrors {
  return issuesToErrors(clientInput.safeParse({ ...fromClientForm(values), clientId: values.clientId }));
}
