import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
import type { IdpContext } from '../context';
import { ENDPOINT_PATHS } from '../config/endpoint-paths';
import type { SsoLogout } from '../sessions/sso-logout';
import { InvalidRequest, OAuthError, ServerError, TemporarilyUnavailable, writeJson, writeOAuthError } from './errors';
import { isDatabaseBusy } from '../store/busy';
import type { Endpoint } from './endpoints/endpoint';
import { discoveryEndpoint } from './endpoints/discovery';
import { jwksEndpoint } from './endpoints/jwks';
import { tokenEndpoint } from './endpoints/token';
import { introspectionEndpoint } from './endpoints/introspection';
import { revocationEndpoint } from './endpoints/revocation';
import { deviceAuthorizationEndpoint } from './endpoints/device-authorization';
import { registrationEndpoint, registrationManagementEndpoint } from './endpoints/registration';
import { deviceDecision, devicePage } from './authorization/device-verification';
import { userinfoEndpoint } from './endpoints/userinfo';
import { EndSessionEndpoint } from './endpoints/end-session';
import { applyCors } from './cors';
import { Interactions } from './authorization/interactions';
import { authorizationEndpoint, CONSENT_PATH, LOGIN_PATH } from './authorization/authorize';
import { loginPage, loginSubmit } from './authorization/login';
import { consentPage, consentSubmit } from './authorization/consent-handler';
import { ASSETS } from './views/assets';
import { writeErrorPage } from './views/error-page';
import { closeIfBodyUnread } from '../http/request-body';

interface Route {
  methods: readonly ('GET' | 'POST')[];
  endpoint: Endpoint;
  cors: boolean;
}

const ROUTES = new Map<string, Route>([
  [ENDPOINT_PATHS.discovery, { methods: ['GET'], endpoint: discoveryEndpoint, cors: true }],
  [ENDPOINT_PATHS.authorizationServerMetadata, { methods: ['GET'], endpoint: discoveryEndpoint, cors: true }],
  [ENDPOINT_PATHS.jwks, { methods: ['GET'], endpoint: jwksEndpoint, cors: true }],
  [ENDPOINT_PATHS.token, { methods: ['POST'], endpoint: tokenEndpoint, cors: true }],
  [ENDPOINT_PATHS.userinfo, { methods: ['GET', 'POST'], endpoint: userinfoEndpoint, cors: true }],
  [ENDPOINT_PATHS.introspection, { methods: ['POST'], endpoint: introspectionEndpoint, cors: false }],
  [ENDPOINT_PATHS.revocation, { methods: ['POST'], endpoint: revocationEndpoint, cors: false }],
  [ENDPOINT_PATHS.deviceAuthorization, { methods: ['POST'], endpoint: deviceAuthorizationEndpoint, cors: false }],
  [ENDPOINT_PATHS.registration, { methods: ['POST'], endpoint: registrationEndpoint, cors: false }],
]);

const REGISTRATION_PREFIX = `${ENDPOINT_PATHS.registration}/`;

/** The browser-facing pages: authorization, login, consent, logout, and their static assets. */
function createPages(ctx: IdpContext, ssoLogout: SsoLogout) {
  const pages = express();
  pages.disable('x-powered-by');
  pages.set('etag', false);
  const interactions = new Interactions(ctx.store, ctx.clock);
  const logout = new EndSessionEndpoint(ctx, ssoLogout);
  // Express 5 forwards rejected promises to the error handler below.
  pages.all(ENDPOINT_PATHS.authorization, (req, res) => authorizationEndpoint(ctx, interactions, req, res));
  pages.get(LOGIN_PATH, (req, res) => loginPage(ctx, interactions, req, res));
  pages.post(LOGIN_PATH, (req, res) => loginSubmit(ctx, interactions, req, res));
  pages.get(CONSENT_PATH, (req, res) => consentPage(ctx, interactions, req, res));
  pages.post(CONSENT_PATH, (req, res) => consentSubmit(ctx, interactions, req, res));
  pages.all(ENDPOINT_PATHS.endSession, (req, res) => logout.endSession(req, res));
  pages.post(`${ENDPOINT_PATHS.endSession}/confirm`, (req, res) => logout.confirm(req, res));
  pages.get(ENDPOINT_PATHS.deviceVerification, (req, res) => devicePage(ctx, req, res));
  pages.post(ENDPOINT_PATHS.deviceVerification, (req, res) => deviceDecision(ctx, req, res));
  pages.get('/assets/:name', (req, res) => {
    const asset = ASSETS.get(req.params.name);
    if (!asset) return writeJson(res, 404, { error: 'not_found' });
    res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
    res.end(asset.body);
  });
  pages.use((_req: express.Request, res: express.Response) => {
    writeJson(res, 404, { error: 'not_found', error_description: 'no such endpoint' });
  });
  pages.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // The router's own refusal of a path parameter that is not valid percent-encoding.
    if (err instanceof URIError) return writeJson(res, 400, { error: 'invalid_request', error_description: 'the path is not valid percent-encoding' });
    ctx.logger.error('unexpected error in page', { path: req.path, error: err });
    if (res.headersSent) return;
    if (isDatabaseBusy(err)) {
      res.setHeader('Retry-After', '1');
      writeErrorPage(res, 503, 'temporarily_unavailable', 'The sign-in server is busy. Try again in a moment.');
      return;
    }
    writeErrorPage(res, 500, 'server_error', 'Something went wrong on the sign-in server. Try again; if it persists, tell the site administrator.');
  });
  return pages;
}

/**
 * The request listener of listener A. The JSON protocol endpoints are dispatched on plain
 * node:http by exact path: Express's router and default middleware cost more than the ES256
 * signature itself (measured: bare Express 5 ≈ 3.7k rps vs ≈ 11k for node:http), and these
 * endpoints need none of it. The HTML pages of sign-in go to an Express app.
 */
export function createProtocolApp(ctx: IdpContext, ssoLogout: SsoLogout): RequestListener {
  const pages = createPages(ctx, ssoLogout);
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = ROUTES.get(path);
    if (!route) {
      if (path.startsWith(REGISTRATION_PREFIX) && path.length > REGISTRATION_PREFIX.length) {
        const segment = path.slice(REGISTRATION_PREFIX.length);
        run(ctx, (c, rq, rs) => registrationManagementEndpoint(c, segment, rq, rs), req, res);
        return;
      }
      pages(req, res);
      return;
    }
    if (route.cors && applyCors(ctx, req, res, route.methods)) return;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (!route.methods.includes(method as 'GET' | 'POST')) {
      res.setHeader('Allow', route.methods.join(', '));
      writeOAuthError(res, new InvalidRequest(`use ${route.methods.join(' or ')} on this endpoint`, 405), ctx.issuer);
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
      // The rest of an oversized body is not worth reading: answer, then drop the connection.
      closeIfBodyUnread(req, res);
      writeOAuthError(res, err, ctx.issuer);
      return;
    }
    if (isDatabaseBusy(err)) {
      ctx.logger.warn('database locked by another process: answered 503', { path: req.url?.split('?')[0] });
      res.setHeader('Retry-After', '1');
      writeOAuthError(res, new TemporarilyUnavailable(), ctx.issuer);
      return;
    }
    ctx.logger.error('unexpected error in protocol endpoint', { path: req.url?.split('?')[0], error: err });
    writeOAuthError(res, new ServerError(), ctx.issuer);
  }
}
