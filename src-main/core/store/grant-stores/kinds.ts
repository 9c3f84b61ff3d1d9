/**
 * Every kind of row the `grants` table holds, in one place. The kind is part of each handle's
 * hash (tokens/handles.ts), so a handle of one kind can never be presented as another.
 */
export type GrantKind =
  | 'authorization_code'
  | 'refresh_token'
  | 'reference_token'
  | 'device_code'
  | 'user_code'
  | 'revoked_jwt'
  | 'family_jwt'
  | 'consent'
  | 'client_assertion_jti'
  | 'registration_access_token'
  | 'interaction';

export const AUTHORIZATION_CODE = 'authorization_code' satisfies GrantKind;
export const REFRESH_TOKEN = 'refresh_token' satisfies GrantKind;
export const REFERENCE_TOKEN = 'reference_token' satisfies GrantKind;
export const DEVICE_CODE = 'device_code' satisfies GrantKind;
export const USER_CODE = 'user_code' satisfies GrantKind;
export const REVOKED_JWT = 'revoked_jwt' satisfies GrantKind;
export const FAMILY_JWT = 'family_jwt' satisfies GrantKind;
export const CONSENT = 'consent' satisfies GrantKind;
export const CLIENT_ASSERTION_JTI = 'client_assertion_jti' satisfies GrantKind;
export const REGISTRATION_ACCESS_TOKEN = 'registration_access_token' satisfies GrantKind;
export const INTERACTION = 'interaction' satisfies GrantKind;
