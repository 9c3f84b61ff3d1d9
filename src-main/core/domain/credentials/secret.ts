import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretInput } from '../fields';

/**
 * Client and API secrets. They are generated with 256 bits of entropy, so a single SHA-256 is
 * enough to make the stored form useless to a thief; a slow KDF would only slow the token
 * endpoint (Hydra's bcrypt'd secrets capped it near 100 requests/s).
 */
export const GENERATED_SECRET_BYTES = 32;

export function generateSecret(): string {
  return randomBytes(GENERATED_SECRET_BYTES).toString('base64url');
}

export function hashSecret(plaintext: string): Buffer {
  return createHash('sha256').update(plaintext, 'utf8').digest();
}

/** Constant-time comparison of a presented secret with a stored SHA-256. */
export function secretMatches(presented: string, storedSha256: Buffer): boolean {
  const digest = hashSecret(presented);
  return digest.length === storedSha256.length && timingSafeEqual(digest, storedSha256);
}

export interface NewSecret {
  sha256: Buffer;
  description: string | undefined;
  expiresAt: number | undefined;
}

/** Turns a configuration-file secret into its stored form; plaintext goes no further than here. */
export function toStoredSecret(input: SecretInput): NewSecret {
  let sha256: Buffer;
  if (input.value !== undefined) sha256 = hashSecret(input.value);
  else {
    const given = input.sha256 as string;
    sha256 = given.length === 64 ? Buffer.from(given, 'hex') : Buffer.from(given, given.includes('-') || given.includes('_') ? 'base64url' : 'base64');
  }
  return {
    sha256,
    description: input.description,
    expiresAt: input.expiration === undefined ? undefined : Date.parse(input.expiration),
  };
}

/** A short, non-secret hint that lets an operator tell secrets apart (first 4 hex digits of the hash). */
export function secretHint(sha256: Buffer): string {
  return sha256.subarray(0, 2).toString('hex');
}
