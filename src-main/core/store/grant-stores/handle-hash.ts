import { createHash } from 'node:crypto';
import type { GrantKind } from './kinds';

/** Kinds of handles hashed for rows outside the `grants` table (their own tables). */
type OtherHandleKind = 'initial_access_token' | 'sso_session';

/** Handles are stored as SHA-256 only, so a copy of the database holds no usable token. */
export function handleHash(kind: GrantKind | OtherHandleKind, handle: string): Buffer {
  return createHash('sha256').update(kind).update('\u0000').update(handle).digest();
}
