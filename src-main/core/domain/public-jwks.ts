import { z } from 'zod';

/** Members that only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const publicJwk = z
  .looseObject({
    kty: z.enum(['RSA', 'EC', 'OKP'], { error: 'kty must be RSA, EC or OKP (public keys only)' }),
    kid: z.string().min(1).optional(),
    alg: z.string().optional(),
    use: z.literal('sig', { error: 'use must be "sig"' }).optional(),
  })
  .superRefine((jwk, ctx) => {
    for (const m of PRIVATE_MEMBERS) {
      if (m in jwk) ctx.addIssue({ code: 'custom', path: [m], message: 'private key material is not accepted: register the public key only' });
    }
  });

/** A client's public keys for private_key_jwt (RFC 7523), as a JWK Set (RFC 7517 §5). */
export const publicJwks = z
  .strictObject({ keys: z.array(publicJwk).min(1, 'must hold at least one key') })
  .superRefine((set, ctx) => {
    const kids = set.keys.map((k) => k.kid).filter((k): k is string => k !== undefined);
    if (new Set(kids).size !== kids.length) ctx.addIssue({ code: 'custom', path: ['keys'], message: 'every "kid" must be unique' });
  });
