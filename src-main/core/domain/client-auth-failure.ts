/** Why the token endpoint refused a client's authentication: the audit log and the client's activity say it. */
export type ClientAuthFailureReason = 'unknown_client' | 'client_disabled' | 'method_not_registered' | 'wrong_secret' | 'invalid_assertion';

/** The reasons in an operator's words (console and CLI). */
export const CLIENT_AUTH_FAILURE_TEXT: Record<ClientAuthFailureReason, string> = {
  unknown_client: 'no such client',
  client_disabled: 'the client is disabled',
  method_not_registered: 'an authentication method the client is not registered for',
  wrong_secret: 'a wrong or expired secret',
  invalid_assertion: 'a client assertion that failed verification (key, audience, expiry or replay)',
};
