import type { Endpoint } from './endpoint';

/**
 * How long a relying party (or an HTTP cache between) may keep the JWK Set, in seconds: the
 * longest a key revoked here stays trusted by a cache that obeys the header. Rotation does not
 * need a long cache (a next key is published for the propagation time, 14 days by default,
 * before it signs), so the only thing a longer figure buys is fewer fetches of a small document
 * that is served from memory. Duende and node-oidc-provider send no Cache-Control at all by
 * default, which leaves the figure to each library (jose's createRemoteJWKSet keeps a set for
 * 10 minutes whatever the header says); 60 s bounds every cache that does read it.
 */
export const JWKS_MAX_AGE_SECONDS = 60;

/** RFC 7517 §5 JWK Set: public members of next, active and retired keys. */
export const jwksEndpoint: Endpoint = (ctx, _req, res) => {
  const body = ctx.keyRing.jwksDocument();
  res.writeHead(200, {
    'Content-Type': 'application/jwk-set+json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
  });
  res.end(body);
};
