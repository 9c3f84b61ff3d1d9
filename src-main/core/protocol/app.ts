import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
import { ENDPOINT_PATHS, type IdpContext } from '../context';
import { InvalidRequest, OAuthError, ServerError, writeJson, writeOAuthError } from './errors';
import type { Endpoint } from './endpoints/endpoint';
import { discoveryEndpoint } from './endpoints/discovery';
import { jwksEndpoint } from './endpoints/jwks';
import { tokenEndpoint } from './endpoints/token';
import { introspectionEndpoint } from './endpoints/introspection';
import { revocationEndpoint } from './endpoints/revocation';

interface Route {
  method: 'GET' | 'POST';
  endpoint: Endpoint;
}

const ROUTES = new Map<string, Route>([
  [ENDPOINT_PATHS.discovery, { method: 'GET', endpoint: discoveryEndpoint }],
  [ENDPOINT_PATHS.authorizationServerMetadata, { method: 'GET', endpoint: discoveryEndpoint }],
  [ENDPOINT_PATHS.jwks, { method: 'GET', endpoint: jwksEndpoint }],
  [ENDPOINT_PATHS.token, { method: 'POST', endpoint: tokenEndpoint }],
  [ENDPOINT_PATHS.introspection, { method: 'POST', endpoint: introspectionEndpoint }],
  [ENDPOINT_PATHS.revocation, { method: 'POST', endpoint: revocationEndpoint }],
]);

/**
 * The request listener of listener A. The JSON protocol endpoints are dispatched on plain
 * node:http by exact path: Express's router and default middleware cost more than the ES256
 * signature itself (measured: bare Express 5 ≈ 3.7k rps vs ≈ 11k for node:http), and these
 * endpoints need none of it. Everything else (and, with interactive sign-in, the HTML pages)
 * goes to the Express app.
 */
export function createProtocolApp(ctx: IdpContext): RequestListener {
  const pages = express();
  pages.disable('x-powered-by');
  pages.use((_req, res) => {
    writeJson(res, 404, { error: 'not_found', error_description: 'no such endpoint' });
  });

  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const route = ROUTES.get(q < 0 ? url : url.slice(0, q));
    if (!route) {
      pages(req, res);
      return;
    }
    if (req.method !== route.method && !(route.method === 'GET' && req.method === 'HEAD')) {
      res.setHeader('Allow', route.method);
      writeOAuthError(res, new InvalidRequest(`use ${route.method} on this endpoint`, 405), ctx.issuer);
      return;
    }
    run(ctx, route.endpoint, req, res);
  };
}

async function run(ctx: IdpContext, endpoint: Endpoint, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await endpoint(ctx, req, res);
  } catch (err) {
    if (res.headersSent || req.socket.destroyed) {
      // The peer went away mid-request (or the answer was already under way): nobody to tell.
      res.destroy();
      return;
    }
    if (err instanceof OAuthError) {
      if (err.status === 413) {
        // The rest of an oversized body is not worth reading: answer, then drop the connection.
        res.setHeader('Connection', 'close');
        res.on('finish', () => req.destroy());
      }
      writeOAuthError(res, err, ctx.issuer);
      return;
    }
    ctx.logger.error('unexpected error in protocol endpoint', { path: req.url?.split('?')[0], error: err });
    writeOAuthError(res, new ServerError(), ctx.issuer);
  }
}
