import { z } from 'zod';
import { logoutUriProblem, redirectUriProblem } from './client-uris';

/** Shared field schemas of the configuration model, with messages an operator can act on. */

/** RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ). */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
export const scopeName = z.string().regex(SCOPE_TOKEN, 'must be a scope token: printable ASCII without spaces, quotes or backslashes');

/** RFC 6749 Appendix A.1: client_id = *VSCHAR; we also refuse spaces so ids survive CSV, URLs and logs. */
export const clientId = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

const checkedBy = (problem: (s: string) => string | undefined) =>
  z.string().superRefine((s, ctx) => {
    const message = problem(s);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

/** A redirect URI as far as it can be checked alone; the client's kind is checked with the client. */
export const redirectUri = checkedBy((s) => redirectUriProblem(s));

/** A front-channel, back-channel or post-logout redirect URI. */
export const logoutUri = checkedBy(logoutUriProblem);

/** A CORS origin is scheme://host[:port] with nothing after it (RFC 6454 §6.1 serialisation). */
export const origin = z.string().refine((s) => URL.canParse(s) && new URL(s).origin === s, 'must be an origin such as https://app.example (scheme, host, optional port, no path or trailing slash)');

export const lifetimeSeconds = z.number().int('must be a whole number of seconds').positive('must be greater than 0');

export const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z');

export const properties = z.record(z.string(), z.string());

/**
 * A secret as written in a configuration file: plaintext (hashed on import and then forgotten)
 * or an already computed SHA-256 (hex, or base64 as Duende's `Sha256()` writes it).
 */
export const secretInput = z.preprocess(
  (v) => (typeof v === 'string' ? { value: v } : v),
  z
    .strictObject({
      value: z.string().min(1, 'must not be empty').optional(),
      sha256: z
        .string()
        .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=|[A-Za-z0-9_-]{43})$/, 'must be a SHA-256 digest in hex (64 characters) or base64 (43-44 characters)')
        .optional(),
      description: z.string().optional(),
      expiration: isoDate.optional(),
    })
    .refine((s) => (s.value === undefined) !== (s.sha256 === undefined), 'give exactly one of "value" (plaintext) or "sha256"'),
);
export type SecretInput = z.infer<typeof secretInput>;

export function uniqueStrings(list: readonly string[]): boolean {
  return new Set(list).size === list.length;
}
