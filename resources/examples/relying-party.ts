import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/**
 * A tiny example relying party for the example site (`resources/examples/site.json`): the web
 * app `stock-web`, whose redirect URI is http://127.0.0.1:3000/callback. `/` starts a sign-in
 * (authorization code with PKCE, RFC 7636; state and nonce), `/callback` redeems the code at the
 * token endpoint, verifies the ID token against the IdP's JWKS and shows its claims and the
 * userinfo answer. Uses only what `npm install` gives at run time (node:http, jose).
 *
 *   npm run example:rp -- [--port 3000] [--issuer http://127.0.0.1:4800] [--client-id stock-web] [--client-secret S]
 */

export interface RelyingPartyOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** 0 = any free port; the redirect URI is http://127.0.0.1:PORT/callback. */
  port: number;
  scope?: string;
}

export interface RunningRelyingParty {
  url: string;
  close(): Promise<void>;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
}

interface PendingSignIn {
  verifier: string;
  nonce: string;
}

const FLOW_COOKIE = 'rp_flow';

function random(): string {
  return randomBytes(32).toString('base64url');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function json(id: string, value: unknown): string {
  return `<pre id="${id}">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

export async function startRelyingParty(options: RelyingPartyOptions): Promise<RunningRelyingParty> {
  const scope = options.scope ?? 'openid profile email';
  let discovery: Promise<Discovery> | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  // Discovery is read at the first sign-in, so the example may start before the IdP.
  const metadata = () =>
    (discovery ??= getJson<Discovery>(`${options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`).then(({ body }) => {
      jwks = createRemoteJWKSet(new URL(body.jwks_uri));
      return body;
    })).catch((err: unknown) => {
      discovery = undefined;
      throw err;
    });
  const pending = new Map<string, PendingSignIn>();
  let redirectUri = '';

  async function signIn(res: ServerResponse): Promise<void> {
    const idp = await metadata();
    const state = random();
    const flow = { verifier: random(), nonce: random() };
    pending.set(state, flow);
    const target = new URL(idp.authorization_endpoint);
    target.search = new URLSearchParams({
      client_id: options.clientId,
      response_type: 'code',
      scope,
      redirect_uri: redirectUri,
      state,
      nonce: flow.nonce,
      code_challenge: createHash('sha256').update(flow.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    // The state is tied to this browser too, so a code someone else started cannot be pasted in
    // (login CSRF, RFC 6749 §10.12). Lax: the IdP's redirect back is a top-level navigation.
    res.writeHead(302, { location: target.toString(), 'set-cookie': `${FLOW_COOKIE}=${state}; Path=/callback; HttpOnly; SameSite=Lax; Max-Age=600` }).end();
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const error = url.searchParams.get('error');
    if (error) return page(res, 400, 'Sign-in refused', json('error', Object.fromEntries(url.searchParams)));
    const state = url.searchParams.get('state') ?? '';
    const flow = pending.get(state);
    if (!flow || cookie(req, FLOW_COOKIE) !== state) return page(res, 400, 'Unknown sign-in', '<p>This sign-in was not started here, or was finished already. <a href="/">Sign in again</a>.</p>');
    pending.delete(state);
    const idp = await metadata();
    // client_secret_basic: id and secret are form-encoded before base64 (RFC 6749 §2.3.1).
    const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
    const token = await getJson<{ id_token?: string; access_token?: string; error?: string }>(idp.token_endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: url.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: flow.verifier }),
    });
    if (token.status !== 200 || !token.body.id_token || !token.body.access_token) return page(res, 502, 'The token endpoint refused the code', json('error', token.body));
    const { payload } = await jwtVerify(token.body.id_token, jwks!, { issuer: idp.issuer, audience: options.clientId });
    if (payload.nonce !== flow.nonce) return page(res, 502, 'ID token for another sign-in', json('claims', payload));
    const userinfo = await getJson<JWTPayload>(idp.userinfo_endpoint, { headers: { authorization: `Bearer ${token.body.access_token}` } });
    page(res, 200, `Signed in as ${String(userinfo.body.name ?? payload.sub)}`, `<h2>ID token claims</h2>${json('claims', payload)}<h2>Userinfo</h2>${json('userinfo', userinfo.body)}<p><a href="/">Sign in again</a></p>`);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    const route = url.pathname === '/' ? signIn(res) : url.pathname === '/callback' ? callback(req, res, url) : Promise.resolve(page(res, 404, 'Not found', ''));
    route.catch((err: unknown) => page(res, 502, 'Sign-in failed', `<pre>${escapeHtml(err instanceof Error ? err.message : String(err))}</pre>`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redirectUri = `${url}/callback`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '3000' },
      issuer: { type: 'string', default: 'http://127.0.0.1:4800' },
      'client-id': { type: 'string', default: 'stock-web' },
      'client-secret': { type: 'string', default: 'change-me-stock-web-secret-0123456789abcdef' },
    },
  });
  const rp = await startRelyingParty({ issuer: values.issuer, clientId: values['client-id'], clientSecret: values['client-secret'], port: Number(values.port) });
  process.stdout.write(`Example relying party: open ${rp.url}/ to sign in through ${values.issuer}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void rp.close().then(() => process.exit(0)));
}
