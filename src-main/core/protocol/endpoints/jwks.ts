import type { Endpoint } from './endpoint';

/** RFC 7517 §5 JWK Set: public members of next, active and retired keys. */
export const jwksEndpoint: Endpoint = (ctx, _req, res) => {
  const body = ctx.keyRing.jwksDocument();
  res.writeHead(200, {
    'Content-Type': 'application/jwk-set+json',
    'Content-Length': Buffer.byteLength(body),
    // Short enough that a key revoked by the operator disappears from caches quickly.
    'Cache-Control': 'public, max-age=300',
  });
  res.end(body);
};
