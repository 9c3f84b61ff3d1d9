import { randomBytes } from 'node:crypto';

export { handleHash } from '../store/grant-stores';

/** An opaque handle with 256 bits of entropy: codes, refresh, reference and device tokens, interactions. */
export function newHandle(): string {
  return randomBytes(32).toString('base64url');
}
