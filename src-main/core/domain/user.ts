import { z } from 'zod';

/**
 * A local account as written in a configuration file. `password` is plaintext on import and
 * hashed at once; absent means "keep the stored password". Claims follow OIDC Core §5.1.
 */
export const userInput = z.strictObject({
  subjectId: z.string().min(1).max(255).regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces'),
  username: z.string().min(1).max(255),
  password: z.string().min(8, 'must be at least 8 characters').optional(),
  enabled: z.boolean().default(true),
  claims: z.record(z.string(), z.json()).default({}),
});

export interface User {
  subjectId: string;
  username: string;
  enabled: boolean;
  claims: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | undefined;
}
