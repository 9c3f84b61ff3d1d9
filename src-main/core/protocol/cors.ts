import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../context';

/**
 * CORS for the endpoints browsers call directly (token, userinfo, JWKS, discovery): only origins
 * some enabled client lists in `allowedCorsOrigins`. A preflight carries no client id, so the
 * check is against the union of all clients' origins, as Duende does.
 * Returns true when the request was a preflight and has been answered.
 */
export function applyCors(ctx: IdpContext, req: IncomingMessage, res: ServerResponse, methods: readonly string[]): boolean {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  const allowed = origin !== undefined && ctx.corsOrigins.get().has(origin);
  if (allowed) res.setHeader('Access-Control-Allow-Origin', origin);
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', methods.join(', '));
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204, { 'Content-Length': 0 });
  res.end();
  return true;
}
