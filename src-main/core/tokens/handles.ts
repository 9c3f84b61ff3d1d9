import { createHash, randomBytes } from 'node:crypto';

/** An opaque handle with 256 bits of entropy (reference tokens, later codes and refresh tokens). */
export function newHandle(): string {
  return randomBytes(32).toString('base64url');
}

/** Handles are stored as SHA-256 only, so a copy of the database holds no usable token. */
export function handleHash(kind: string, handle: string): Buffer {
  return createHash('sha256').update(kind).update('\u0000').update(handle).digest();
}
