import { listenerSettingsInput, wildcardIssuerError } from '../../../src-main/core/config/listener-schema';
import { issuesToErrors, type FieldErrors } from './field-errors';
import type { ListenerSettings } from './types';

/** The server's own schema and cross-field rule (src-main/core/config/listener-schema.ts). */
export function validateListener(v: ListenerSettings): FieldErrors {
  const errors = issuesToErrors(listenerSettingsInput.safeParse(v));
  const issuerError = wildcardIssuerError(v.host, v.issuer);
  if (issuerError) errors.issuer ??= issuerError;
  return errors;
}
