import { z } from 'zod';

/**
 * Where the protocol listener (devices and web apps) is exposed. In a file of its own, without
 * node:fs, so that the console validates with this same schema.
 */
export const listenerSettingsInput = z.strictObject({
  host: z.string().trim().min(1, 'give an address to listen on, e.g. 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  port: z.number().int('a whole number').min(0).max(65535).default(4800),
  issuer: z
    .string()
    .url('a URL like https://idp.site.lan:4800')
    .refine((u) => /^https?:\/\//.test(u) && !u.includes('?') && !u.includes('#'), 'an http(s) URL without query or fragment')
    .optional(),
});
export type ListenerSettings = z.output<typeof listenerSettingsInput>;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** The rule across fields: on every interface, tokens must name an address devices can reach. */
export function wildcardIssuerError(host: string, issuer: string | undefined): string | undefined {
  return WILDCARD_HOSTS.has(host.trim()) && !issuer ? `required when listening on ${host.trim()}: tokens must name an address devices can reach` : undefined;
}
