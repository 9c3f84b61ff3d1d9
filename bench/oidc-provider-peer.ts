/**
 * Benchmark peer: panva's oidc-provider (v9) issuing ES256 JWT access tokens (RFC 9068) for
 * client_credentials, with the same clients as our server.
 *
 *   node --import tsx bench/oidc-provider-peer.ts --credentials FILE
 *
 * Listens on 127.0.0.1 at an ephemeral port and, once listening, writes one JSON line
 * `{"url":"http://127.0.0.1:PORT","tokenEndpoint":"..."}` on stdout. Stops on SIGTERM/SIGINT,
 * or when its stdin closes (the orchestrator went away).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { errors } from 'oidc-provider';
import { API_RESOURCE_NAME, API_SCOPE, type CredentialsFile } from './clients';

/** The resource indicator every token is for; `defaultResource` supplies it when the request has none. */
const RESOURCE = 'https://bench-api.invalid/';
const ACCESS_TOKEN_TTL = 3600;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { credentials: { type: 'string' } } });
  if (!values.credentials) throw new Error('--credentials FILE is required');
  const { clients } = JSON.parse(readFileSync(values.credentials, 'utf8')) as CredentialsFile;

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench-es256' };

  // The issuer names the port, so the listener opens first and the provider is attached after.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.secret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      // No client `scope`: oidc-provider only accepts its own (OpenID) scopes there; the
      // resource server's `scope` below is what limits the token to "api".
    })),
    // The only key is ES256, so the (unused here) ID Token algorithm must be too, or client
    // metadata validation rejects every client.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: { ClientCredentials: ACCESS_TOKEN_TTL, AccessToken: ACCESS_TOKEN_TTL },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resourceIndicator: string) => {
          if (resourceIndicator !== RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPE,
            audience: API_RESOURCE_NAME,
            accessTokenTTL: ACCESS_TOKEN_TTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  });

  // Quiet: no per-request logging. A 5xx is still worth one line on stderr for the orchestrator.
  provider.on('server_error', (_ctx: unknown, err: unknown) => {
    process.stderr.write(`server_error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  });

  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ url: issuer, tokenEndpoint: `${issuer}/token` })}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`oidc-provider peer failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
