import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, basic, postForm, type TestIdp } from '../helpers/idp';
import { siteSeed, SECRETS } from '../helpers/seed';
import { openConsole } from '../helpers/admin-client';
import { Prng } from '../helpers/prng';
import { rawRequest, type RawRequest } from '../helpers/raw-http';
import { createInitialAccessToken, rotateAdminApiKey } from '../../src-main/core';

/**
 * A seeded, bounded fuzz run over every endpoint of both listeners: malformed methods, paths,
 * headers, query strings and bodies. No answer may be a 5xx, every request must complete, and
 * the server must still work afterwards. `FUZZ_SEED=n` replays (or varies) a run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 1010);
const REQUESTS = 5_000;
const PARALLEL = 8;
const PER_REQUEST_TIMEOUT_MS = 10_000;

type Listener = 'protocol' | 'admin';
/** Valid credentials a request may carry; without one it sends whatever garbage the mutators choose. */
type Credential = 'client-basic' | 'access-token' | 'initial-access-token' | 'registration-token' | 'api-key' | 'console';
type BodyKind = 'form' | 'json' | 'none';

interface Target {
  listener: Listener;
  methods: readonly string[];
  /** `:name` segments are replaced by a plausible or a malformed value. */
  path: string;
  body: BodyKind;
  /** Parameters (query or form) of a well-formed request, the base the mutators start from. */
  params?: Record<string, string>;
  /** The valid credentials a request may carry: most requests carry one, to get past authentication. */
  credentials: readonly Credential[];
}

const ADMIN_AUTH: readonly Credential[] = ['api-key', 'console'];
const p = (path: string, methods: readonly string[], body: BodyKind = 'none', params: Record<string, string> = {}, credentials: readonly Credential[] = []): Target => ({ listener: 'protocol', path, methods, body, params, credentials });
const a = (path: string, methods: readonly string[], body: BodyKind = 'json', credentials: readonly Credential[] = ADMIN_AUTH): Target => ({ listener: 'admin', path, methods, body, credentials });

const TOKEN_GRANTS: Record<string, string>[] = [
  { grant_type: 'client_credentials', scope: 'inventory.read' },
  { grant_type: 'authorization_code', code: 'x', redirect_uri: 'http://127.0.0.1:9/cb', code_verifier: 'v'.repeat(43) },
  { grant_type: 'refresh_token', refresh_token: 'x' },
  { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'x' },
  { grant_type: 'password', username: 'alice', password: 'x' },
];
const AUTHORIZE = { client_id: 'spa', response_type: 'code', redirect_uri: 'http://127.0.0.1:9/cb', scope: 'openid', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256', state: 's' };

const TARGETS: readonly Target[] = [
  p('/.well-known/openid-configuration', ['GET']),
  p('/.well-known/oauth-authorization-server', ['GET']),
  p('/.well-known/jwks.json', ['GET']),
  ...TOKEN_GRANTS.map((params) => p('/connect/token', ['POST'], 'form', params, ['client-basic'])),
  p('/connect/authorize', ['GET'], 'none', AUTHORIZE),
  p('/connect/authorize', ['POST'], 'form', AUTHORIZE),
  p('/account/login', ['GET'], 'none', { interaction: 'x' }),
  p('/account/login', ['POST'], 'form', { interaction: 'x', username: 'alice', password: 'x', csrf: 'x' }),
  p('/account/consent', ['GET'], 'none', { interaction: 'x' }),
  p('/account/consent', ['POST'], 'form', { interaction: 'x', decision: 'allow', csrf: 'x' }),
  p('/device', ['GET'], 'none', { user_code: 'ABCD-EFGH' }),
  p('/device', ['POST'], 'form', { user_code: 'ABCD-EFGH', decision: 'allow', csrf: 'x' }),
  p('/connect/introspect', ['POST'], 'form', { token: 'x', token_type_hint: 'access_token' }, ['client-basic']),
  p('/connect/revocation', ['POST'], 'form', { token: 'x', token_type_hint: 'refresh_token' }, ['client-basic']),
  p('/connect/userinfo', ['GET'], 'none', {}, ['access-token']),
  p('/connect/userinfo', ['POST'], 'form', { access_token: 'x' }, ['access-token']),
  p('/connect/endsession', ['GET'], 'none', { id_token_hint: 'x', post_logout_redirect_uri: 'http://127.0.0.1:9/out', state: 's' }),
  p('/connect/endsession', ['POST'], 'form', { id_token_hint: 'x', state: 's' }),
  p('/connect/endsession/confirm', ['POST'], 'form', { csrf: 'x', logout: 'x' }),
  p('/connect/deviceauthorization', ['POST'], 'form', { client_id: 'scanner-0001', scope: 'openid' }, ['client-basic']),
  p('/connect/register', ['POST'], 'json', {}, ['initial-access-token']),
  p('/connect/register/:registered', ['GET', 'PUT', 'DELETE'], 'json', {}, ['registration-token']),
  p('/assets/:asset', ['GET', 'HEAD'], 'none'),
  p('/:anything', ['GET', 'POST'], 'form'),

  a('/api/session', ['POST'], 'json', []),
  a('/api/session', ['GET', 'DELETE']),
  a('/api/overview', ['GET']),
  a('/api/templates', ['GET']),
  a('/api/clients', ['GET', 'POST']),
  a('/api/clients/enabled', ['POST']),
  a('/api/clients/:id', ['GET', 'PUT', 'DELETE']),
  a('/api/clients/:id/secrets', ['POST']),
  a('/api/clients/:id/secrets/:n', ['DELETE']),
  a('/api/clients/:id/keys', ['POST']),
  a('/api/clients/:id/keys/generate', ['POST']),
  a('/api/clients/:id/keys/:kid', ['DELETE']),
  a('/api/enrolments', ['POST']),
  a('/api/enrolments/:id', ['GET']),
  a('/api/enrolments/:id/bundles.zip', ['GET']),
  a('/api/enrolments/:id/labels.html', ['GET']),
  a('/api/enrolment-tokens', ['GET', 'POST']),
  a('/api/enrolment-tokens/:id', ['DELETE']),
  ...['api-scopes', 'api-resources', 'identity-resources'].flatMap((kind) => [a(`/api/${kind}`, ['GET', 'POST']), a(`/api/${kind}/:name`, ['GET', 'PUT', 'DELETE'])]),
  a('/api/api-resources/:name/secrets', ['GET', 'POST']),
  a('/api/api-resources/:name/secrets/:n', ['DELETE']),
  a('/api/users', ['GET', 'POST']),
  a('/api/users/:id', ['GET', 'PUT', 'DELETE']),
  a('/api/users/:id/password', ['POST']),
  a('/api/users/:id/unlock', ['POST']),
  a('/api/keys', ['GET']),
  a('/api/keys/rotate', ['POST']),
  a('/api/keys/:kid/retire', ['POST']),
  a('/api/keys/:kid/revoke', ['POST']),
  a('/api/sessions', ['GET']),
  a('/api/sessions/revoke', ['POST']),
  a('/api/sessions/:sid', ['DELETE']),
  a('/api/refresh-tokens/:family', ['DELETE']),
  a('/api/audit', ['GET']),
  a('/api/audit.csv', ['GET']),
  a('/api/audit/vocabulary', ['GET']),
  a('/api/settings', ['GET']),
  a('/api/settings/server', ['PUT']),
  a('/api/settings/listener', ['PUT']),
  // With a valid key these would rotate or revoke the key the rest of the run uses.
  a('/api/settings/api-key', ['POST', 'DELETE'], 'json', []),
  a('/api/configuration', ['GET', 'POST']),
  a('/api/operations/:operation', ['POST']),
  a('/api/:anything', ['GET', 'POST']),
  a('/', ['GET'], 'none', []),
  a('/index.html', ['GET'], 'none', []),
  a('/assets/:asset', ['GET'], 'none', []),
];

const LONG = (n: number) => 'x'.repeat(n);
/** Path segments and names: plausible ones, and the kinds that broke servers before. */
const BAD_SEGMENTS = ['%', '%zz', '%E2%82', '%C0%AF', '%FF', '%00', '%0A', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'a%2Fb', '\u00e9\u00ff', LONG(3000), LONG(7000), '%E2%82%AC', "'\"<>", '%22%2C%20error%3D%22x'];
const PLAIN_SEGMENTS = ['fuzz-1', 'idp.css', 'favicon.svg', '1', '0', '-1', '999999999999999999999'];
const BAD_NAMES = ['%E2%82%AC', '%F0%9F%94%91', '%E4%B8%AD', '%D0%96', '%EF%BB%BF', '%E2%80%A8', '%7F', '%1B', '%09', '%0D', '%0A', '%0D%0Aset-cookie:%20x', 'a%22%2C%20error%3D%22x', '%', '%zz', '__proto__', 'constructor', '', 'a[b]', '%00', '\u0080', '\u00ff', LONG(900), '%22', '%5C'];
const BAD_VALUES = ['', '%', '%E2', '%C3%28', 'true', '1e999', '-1', 'null', '[]', '{}', '%00', '%0D%0A', 'a+b', LONG(5000), '\u00e9', '%22%5C'];
const FIELDS = ['clientId', 'clientName', 'allowedGrantTypes', 'allowedScopes', 'redirectUris', 'secrets', 'enabled', 'ids', 'name', 'scopes', 'userClaims', 'subjectId', 'username', 'password', 'claims', 'launchToken', 'mode', 'pattern', 'csv', 'template', 'immediate', 'description', 'expiresAt', 'maxUses', 'expiresInHours', 'key', 'host', 'port', 'issuer', 'accessTokenLifetime', 'redirect_uris', 'grant_types', 'client_name', 'client_id', 'jwks', 'scope', 'token_endpoint_auth_method', '__proto__', 'constructor'];
const JSON_VALUES: unknown[] = [null, 0, -1, 1.5, 1e300, '', 'x', LONG(3000), true, [], {}, [1, 'a', null], { a: { b: [] } }, ['authorization_code'], 'csv', 'pattern', 'device-secret'];
const RAW_JSON = ['{', '{"a":', '[', 'nul', '"\\ud800"', '{"a":1}}', '\u00ff\u00fe{}', '[]', 'null', '"x"', '1', 'true', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '['.repeat(3000) + ']'.repeat(3000), '{"a":'.repeat(500) + '1' + '}'.repeat(500), '{"a":1,"a":2}', ' ', '\u0000'];
const RAW_FORMS = ['&&==&', '%%%', '=x', '=', '&', 'a', 'a=%', '%E2%82%AC=1&%E2%82%AC=2', '%0A=1&%0A=2', 'a%22%2C%20error%3D%22x=1&a%22%2C%20error%3D%22x=2', 'grant_type=client_credentials&grant_type=client_credentials', '\u00ff=\u00ff'];
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const FORM_TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8'];
const OTHER_TYPES = ['text/plain', 'text/csv', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded; charset=utf-16', 'multipart/form-data; boundary=x', 'application/jsonx', '*/*', '', 'application/merge-patch+json', '\u00e9/\u00e9', 'application/json;;;', 'application/x-www-form-urlencoded, application/json'];
const BAD_AUTHORIZATION = ['Bearer', 'Bearer ', 'Bearer a b', 'Basic', 'Basic !!!!', `Basic ${btoa(':')}`, `Basic ${btoa('%:%')}`, `Basic ${btoa('\u00ff:\u00ff')}`, `Basic ${btoa('a')}`, 'Digest username="x"', `Bearer ${LONG(6000)}`, 'Negotiate YII=', 'DPoP x', '\u00e9', `Basic ${btoa('scanner-0001:%E2%82')}`];
const BAD_COOKIES = ['idp_console=%', 'idp_console=x; idp_console=y', '=;;=', 'a=%E2%82', '__proto__=1; constructor=2', 'idp_console_csrf=x', `${LONG(6000)}=1`, '\u00e9=\u00ff', 'idp_interaction=%; idp_browser=%zz'];
/** The CLI's operations, without those that would rotate or revoke the API key this run uses. */
const OPERATIONS = ['configuration.import', 'clients.commit', 'clients.set-enabled', 'secrets.add', 'users.add', 'users.passwd', 'keys.list', 'enrolment-tokens.create', 'console.launch-token'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'];

interface Credentials {
  apiKey: string;
  console: { cookie: string; csrf: string };
  accessToken: string;
  initialAccessToken: string;
  registration: { path: string; token: string };
}

/** Builds one malformed request for a target. Every choice comes from the seeded PRNG. */
class RequestMaker {
  constructor(
    private readonly r: Prng,
    private readonly ports: Record<Listener, number>,
    private readonly creds: Credentials,
  ) {}

  make(target: Target): { port: number; request: RawRequest } {
    const r = this.r;
    const method = r.chance(0.85) ? r.pick(target.methods) : r.pick(METHODS);
    const headers: [string, string][] = [['Host', r.chance(0.95) ? `127.0.0.1:${this.ports[target.listener]}` : r.pick(['evil.example', '', 'localhost', '\u00e9'])]];
    this.authorize(target, headers);
    if (r.chance(0.3)) headers.push(['Cookie', r.pick(BAD_COOKIES)]);
    if (r.chance(0.15)) headers.push(['Origin', r.pick(['null', 'http://evil.example', `http://127.0.0.1:${this.ports.admin}`, '\u00ff'])]);
    if (r.chance(0.1)) headers.push([r.pick(['X-CSRF-Token', 'Accept', 'Accept-Language', 'X-Forwarded-For', 'If-None-Match', 'Range']), r.pick(['%', '\u00e9', LONG(4000), '', '*/*;q=x', 'bytes=9-1'])]);
    const query = target.body === 'none' || method === 'GET' ? this.params(target.params ?? {}) : r.chance(0.2) ? this.params({}) : '';
    const target_ = this.path(target.path) + (query === '' ? '' : `?${query}`);
    const body = this.body(target, method, headers);
    return { port: this.ports[target.listener], request: { method, target: target_, headers, body } };
  }

  private authorize(target: Target, headers: [string, string][]): void {
    const r = this.r;
    const credential = target.credentials.length > 0 && r.chance(0.7) ? r.pick(target.credentials) : undefined;
    const bearer = (token: string) => headers.push(['Authorization', `Bearer ${token}`]);
    if (credential === 'client-basic') headers.push(['Authorization', basic('scanner-0001', SECRETS.scanner)]);
    else if (credential === 'access-token') bearer(this.creds.accessToken);
    else if (credential === 'initial-access-token') bearer(this.creds.initialAccessToken);
    else if (credential === 'registration-token') bearer(this.creds.registration.token);
    else if (credential === 'api-key') bearer(this.creds.apiKey);
    else if (credential === 'console') {
      headers.push(['Cookie', this.creds.console.cookie], ['Origin', `http://127.0.0.1:${this.ports.admin}`], ['X-CSRF-Token', this.creds.console.csrf]);
    } else if (r.chance(0.6)) headers.push(['Authorization', r.pick(BAD_AUTHORIZATION)]);
  }

  private path(template: string): string {
    const r = this.r;
    let path = template.replace(/:([a-z]+)/g, (_m, name: string) => {
      if (name === 'registered' && r.chance(0.5)) return this.creds.registration.path;
      if (name === 'operation' && r.chance(0.6)) return r.pick(OPERATIONS);
      return r.chance(0.6) ? r.pick(BAD_SEGMENTS) : r.pick(PLAIN_SEGMENTS);
    });
    if (r.chance(0.08)) path += r.pick(['/', '//', '/%', '/__proto__', '/.', `/${LONG(2000)}`]);
    return path;
  }

  /** A query string or form body: the base parameters, mutated, some repeated. */
  private params(base: Record<string, string>): string {
    const r = this.r;
    if (r.chance(0.1)) return r.pick(RAW_FORMS);
    const pairs: [string, string][] = Object.entries(base).map(([n, v]) => [n, r.chance(0.2) ? r.pick(BAD_VALUES) : encodeURIComponent(v)]);
    for (let i = r.int(0, 3); i > 0; i--) pairs.push([r.pick(BAD_NAMES), r.pick(BAD_VALUES.concat(['1', 'x']))]);
    // RFC 6749 §3.2 forbids repeats: a repeated name is the commonest malformation.
    if (pairs.length > 0 && r.chance(0.6)) {
      const [name] = r.pick(pairs);
      pairs.push([r.chance(0.8) ? r.pick(BAD_NAMES) : name, 'again']);
      pairs.push([pairs[pairs.length - 1]![0], 'twice']);
    }
    return pairs.map(([n, v]) => (r.chance(0.05) ? n : `${n}=${v}`)).join('&');
  }

  private jsonBody(): string {
    const r = this.r;
    if (r.chance(0.35)) return r.pick(RAW_JSON);
    const value: Record<string, unknown> = {};
    for (let i = r.int(0, 4); i > 0; i--) value[r.pick(FIELDS)] = r.pick(JSON_VALUES);
    return JSON.stringify(value);
  }

  private body(target: Target, method: string, headers: [string, string][]): Buffer | undefined {
    const r = this.r;
    if (method === 'GET' || method === 'HEAD' ? !r.chance(0.05) : r.chance(0.2)) return undefined; // no body at all
    const kind = target.body === 'none' ? r.pick<BodyKind>(['form', 'json']) : target.body;
    const text = kind === 'json' ? this.jsonBody() : this.params(target.params ?? {});
    const type = r.chance(0.75) ? r.pick(kind === 'json' ? JSON_TYPES : FORM_TYPES) : r.pick(OTHER_TYPES);
    if (type !== '' || r.chance(0.5)) headers.push(['Content-Type', type]);
    const bytes = Buffer.from(text, r.chance(0.1) ? 'latin1' : 'utf8');
    if (r.chance(0.15)) {
      // Chunked, split at a random place (inside a multi-byte character, sometimes).
      const cut = r.int(0, bytes.length);
      const chunk = (b: Buffer) => (b.length === 0 ? [] : [Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
      headers.push(['Transfer-Encoding', 'chunked']);
      return Buffer.concat([...chunk(bytes.subarray(0, cut)), ...chunk(bytes.subarray(cut)), Buffer.from('0\r\n\r\n')]);
    }
    headers.push(['Content-Length', String(bytes.length)]);
    return bytes;
  }
}

/**
 * A WWW-Authenticate header that is not one scheme with distinct, known parameters, each an RFC
 * 9110 §5.6.4 quoted-string: request text copied into it unescaped would show up here.
 */
function malformedChallenge(head: string): string | undefined {
  const header = /^www-authenticate: (.*)$/im.exec(head)?.[1];
  if (header === undefined) return undefined;
  const m = /^(Bearer|Basic) (.*)$/.exec(header);
  const params = m?.[2]?.match(/[a-z_]+="(?:[^"\\]|\\.)*"(, |$)/g);
  if (!params || params.join('') !== m?.[2]) return header;
  const names = params.map((p) => p.slice(0, p.indexOf('=')));
  const known = names.every((n) => ['realm', 'error', 'error_description', 'charset'].includes(n));
  return known && new Set(names).size === names.length ? undefined : header;
}

let t: TestIdp;
let ports: Record<Listener, number>;
let creds: Credentials;

beforeAll(async () => {
  const seed = siteSeed();
  seed.users = [{ subjectId: 'u-alice', username: 'alice', password: 'alice-password-1' }];
  t = await startTestIdp(seed);
  const { store, clock } = t.idp.context;
  ports = { protocol: Number(new URL(t.issuer).port), admin: Number(new URL(t.idp.adminUrl).port) };
  const session = (await openConsole(t.idp)).credentials as Credentials['console'];
  const token = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
  const iat = createInitialAccessToken(store, { template: 'device-secret', scopes: ['inventory.read'], maxUses: 1000, expiresAt: clock.now() + 86_400_000 }, clock.now(), 'test').token;
  const registered = await fetch(`${t.issuer}/connect/register`, { method: 'POST', headers: { authorization: `Bearer ${iat}`, 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'fuzzed' }) });
  const registration = (await registered.json()) as { client_id: string; registration_access_token: string };
  creds = {
    apiKey: rotateAdminApiKey(store, clock.now(), 'test').key,
    console: session,
    accessToken: ((await token.json()) as { access_token: string }).access_token,
    initialAccessToken: iat,
    registration: { path: registration.client_id, token: registration.registration_access_token },
  };
});
afterAll(() => t?.dispose());

describe(`fuzzing both listeners (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, () => {
  it(`answers ${REQUESTS} malformed requests without a 5xx or a hang, and works afterwards`, async () => {
    const r = new Prng(SEED);
    const maker = new RequestMaker(r, ports, creds);
    // Made up front, in order, so that the seed alone decides every request.
    const requests = Array.from({ length: REQUESTS }, (_, i) => maker.make(TARGETS[i % TARGETS.length] as Target));
    const failures: string[] = [];
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < requests.length) {
        const i = nextIndex++;
        const { port, request } = requests[i]!;
        const shown = `#${i} ${request.method} ${request.target.slice(0, 120)}`;
        try {
          const res = await rawRequest(port, request, PER_REQUEST_TIMEOUT_MS);
          if (res.status >= 500) failures.push(`${shown} → ${res.status}: ${JSON.stringify(res.head.slice(0, 300))} ${JSON.stringify(res.body.slice(0, 200))}`);
          const challenge = malformedChallenge(res.head);
          if (challenge) failures.push(`${shown} → a malformed or injected challenge: ${JSON.stringify(challenge)}`);
        } catch (err) {
          failures.push(`${shown} → ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    expect(failures, `seed ${SEED}: ${failures.length} of ${REQUESTS} requests failed`).toEqual([]);

    // Still healthy: discovery, a token that works, an admin read.
    expect((await fetch(`${t.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    const issued = await postForm(`${t.issuer}/connect/token`, { grant_type: 'client_credentials', scope: 'inventory.read' }, { authorization: basic('scanner-0001', SECRETS.scanner) });
    expect(issued.status).toBe(200);
    const { access_token } = (await issued.json()) as { access_token: string };
    const introspected = await postForm(`${t.issuer}/connect/introspect`, { token: access_token }, { authorization: basic('inventory-api', SECRETS.inventoryApi) });
    expect(await introspected.json()).toMatchObject({ active: true, client_id: 'scanner-0001', scope: 'inventory.read' });
    const clients = await fetch(`${t.idp.adminUrl}/api/clients/scanner-0001`, { headers: { authorization: `Bearer ${creds.apiKey}` } });
    expect(clients.status).toBe(200);
    expect(((await clients.json()) as { client: { clientId: string } }).client.clientId).toBe('scanner-0001');
  });
});
