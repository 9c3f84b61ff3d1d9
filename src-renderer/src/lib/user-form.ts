import { userInput } from '../../../src-main/core/domain';
import type { Pair } from '../components/PairsEditor.svelte';
import { issuesToErrors, type FieldErrors } from './field-errors';
import { pairsToUserClaims } from './pairs';

/** OIDC Core §5.1 standard claims, offered as suggestions. */
export const STANDARD_CLAIMS = [
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'email',
  'email_verified',
  'phone_number',
  'phone_number_verified',
  'locale',
  'zoneinfo',
  'website',
] as const;

export interface UserValues {
  subjectId: string | undefined;
  username: string | undefined;
  password: string | undefined;
  enabled: boolean;
  claims: Pair[];
}

/** The server's user schema; a new account also needs its first password. */
export function validateUser(v: UserValues, creating: boolean): FieldErrors {
  const errors = issuesToErrors(
    userInput.safeParse({
      // The server makes a UUID when no subject id is given.
      subjectId: v.subjectId?.trim() || 'generated-subject-id',
      username: v.username?.trim() ?? '',
      password: creating ? v.password : undefined,
      enabled: v.enabled,
      claims: pairsToUserClaims(v.claims),
    }),
  );
  if (!v.username?.trim()) errors.username = 'required';
  if (creating && !v.password) errors.password = 'required: at least 8 characters';
  return errors;
}
