import { z } from 'zod';
import { lifetimeSeconds } from './fields';

/** Algorithms the key ring can hold (RFC 7518 §3.1), one key pair per algorithm. */
export const SIGNING_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Server-wide settings, stored in the database and carried by configuration files.
 * Key management defaults are Duende's automatic key management: a new key is announced in
 * JWKS 14 days before it signs, keys rotate every 90 days, retired keys stay published 14 days.
 */
export const serverSettingsInput = z
  .strictObject({
    signingAlgorithms: z
      .array(z.enum(SIGNING_ALGORITHMS))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a value')
      .default(['ES256', 'RS256']),
    accessTokenSigningAlgorithm: z.enum(SIGNING_ALGORITHMS).default('ES256'),
    keyManagement: z
      .strictObject({
        propagationTime: lifetimeSeconds.default(14 * DAY),
        rotationInterval: lifetimeSeconds.default(90 * DAY),
        retentionTime: lifetimeSeconds.default(14 * DAY),
      })
      .default({ propagationTime: 14 * DAY, rotationInterval: 90 * DAY, retentionTime: 14 * DAY }),
    /** SSO session: ends after this long without use, and in any case after the absolute lifetime. */
    session: z
      .strictObject({
        idleTimeout: lifetimeSeconds.default(8 * HOUR),
        absoluteLifetime: lifetimeSeconds.default(12 * HOUR),
      })
      .default({ idleTimeout: 8 * HOUR, absoluteLifetime: 12 * HOUR }),
    /**
     * Login throttling. After `delayAfter` failures in a row, each further attempt must wait
     * 2^(failures - delayAfter) seconds (capped at a minute); after `lockAfter` the account or
     * address is locked for `lockDuration` seconds. Addresses get larger allowances because
     * kiosks and handhelds share them.
     */
    loginThrottle: z
      .strictObject({
        accountDelayAfter: z.number().int().positive().default(3),
        accountLockAfter: z.number().int().positive().default(10),
        addressDelayAfter: z.number().int().positive().default(20),
        addressLockAfter: z.number().int().positive().default(100),
        lockDuration: lifetimeSeconds.default(15 * 60),
      })
      .default({ accountDelayAfter: 3, accountLockAfter: 10, addressDelayAfter: 20, addressLockAfter: 100, lockDuration: 15 * 60 }),
  })
  .superRefine((s, ctx) => {
    if (!s.signingAlgorithms.includes(s.accessTokenSigningAlgorithm)) {
      ctx.addIssue({ code: 'custom', path: ['accessTokenSigningAlgorithm'], message: 'must be one of signingAlgorithms' });
    }
    if (s.keyManagement.propagationTime >= s.keyManagement.rotationInterval) {
      ctx.addIssue({ code: 'custom', path: ['keyManagement', 'propagationTime'], message: 'must be shorter than rotationInterval' });
    }
  });
export type ServerSettings = z.output<typeof serverSettingsInput>;

export const DEFAULT_SETTINGS: ServerSettings = serverSettingsInput.parse({});
