import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { postForm, startTestIdp, type TestIdp } from '../helpers/idp';
import { TestBrowser } from '../helpers/test-browser';
import { ALICE, signinSeed } from '../helpers/signin-seed';
import { TestClock } from '../helpers/test-clock';
import type { ConfigurationFileInput } from '../../src-main/core/domain';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function deviceSeed(): ConfigurationFileInput {
  const seed = signinSeed();
  seed.clients!.push(
    {
      clientId: 'label-printer',
      clientName: 'Label printer 7 (dock 2)',
      requireClientSecret: false,
      allowedGrantTypes: [DEVICE_GRANT, 'refresh_token'],
      allowedScopes: ['openid', 'profile', 'inventory.read', 'offline_access'],
      allowOfflineAccess: true,
    },
    { clientId: 'quick-poller', requireClientSecret: false, allowedGrantTypes: [DEVICE_GRANT], allowedScopes: ['openid', 'profile'], pollingInterval: 1 },
  );
  return seed;
}

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

describe('device authorization grant (RFC 8628) with an injected clock', () => {
  const clock = new TestClock(Date.now());
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp(deviceSeed(), { clock });
  });
  afterAll(() => t.dispose());

  const start = async (scope = 'openid profile inventory.read offline_access') =>
    (await (await postForm(`${t.issuer}/connect/deviceauthorization`, { client_id: 'label-printer', scope })).json()) as DeviceAuthorization;
  const poll = async (deviceCode: string) => {
    const res = await postForm(`${t.issuer}/connect/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: 'label-printer' });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  async function signedInBrowser(): Promise<TestBrowser> {
    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(`${t.issuer}/device`);
    expect(login.url).toContain('/account/login?return_to=');
    const entry = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(entry.url).toBe(`${t.issuer}/device`);
    expect(entry.html).toContain('Enter the code shown on the device');
    return browser;
  }

  it('issues codes in the documented shape', async () => {
    const d = await start();
    expect(d.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(d.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(d.verification_uri).toBe(`${t.issuer}/device`);
    expect(d.verification_uri_complete).toBe(`${t.issuer}/device?user_code=${d.user_code}`);
    expect(d).toMatchObject({ expires_in: 300, interval: 5 });
  });

  it('complete URI: sign in, see the code and a warning, approve; the device gets tokens once', async () => {
    const d = await start();
    expect((await poll(d.device_code)).body.error).toBe('authorization_pending'); // the first poll is never too fast

    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(d.verification_uri_complete);
    const confirm = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(confirm.html).toContain('Label printer 7 (dock 2)');
    expect(confirm.html).toContain(d.user_code);
    expect(confirm.html).toContain('If someone sent you this code or link, choose Deny');
    expect(confirm.html).toContain('Read the inventory');
    const done = await browser.submit(confirm, {}, 'approve');
    expect(done.html).toContain('Device approved');

    clock.advance(5000);
    const granted = await poll(d.device_code);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_type: 'Bearer', scope: 'openid profile inventory.read offline_access' });
    expect(granted.body.id_token).toBeDefined();
    expect(granted.body.refresh_token).toBeDefined();
    const active = await t.idp.context.tokenInspector.inspect(granted.body.access_token as string);
    expect(active?.claims.sub).toBe(ALICE.subjectId);

    clock.advance(5000);
    expect((await poll(d.device_code)).body.error).toBe('invalid_grant'); // single-use
    // and the user code is spent too
    const reuse = await browser.open(d.verification_uri_complete);
    expect(reuse.status).toBe(400);
  });

  it('typed codes are case- and dash-insensitive; a wrong code is refused and audited', async () => {
    const d = await start();
    const browser = await signedInBrowser();
    const wrong = await browser.open(`${t.issuer}/device?user_code=BBBB-BBBB`);
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('That code is not valid');
    expect(t.idp.context.store.audit.recent(3).map((e) => e.action)).toContain('device.code_rejected');
    const typed = d.user_code.toLowerCase().replace('-', ' ');
    const confirm = await browser.open(`${t.issuer}/device?user_code=${encodeURIComponent(typed)}`);
    expect(confirm.html).toContain(d.user_code);
    await browser.submit(confirm, {}, 'deny');
    clock.advance(5000);
    expect((await poll(d.device_code)).body.error).toBe('access_denied');
  });

  it('an expired device code answers expired_token', async () => {
    const d = await start();
    clock.advance(301_000);
    expect((await poll(d.device_code)).body.error).toBe('expired_token');
  });

  it('slow_down: +5 s with the new interval in the answer; a device that honours it is on time again', async () => {
    const d = await start();
    await poll(d.device_code);
    clock.advance(2000);
    const tooFast = await poll(d.device_code);
    expect(tooFast.body).toMatchObject({ error: 'slow_down', interval: 10 });
    clock.advance(10_000);
    expect((await poll(d.device_code)).body.error).toBe('authorization_pending');
  });

  it('a device polling at the advertised interval with latency jitter never gets slow_down', async () => {
    const d = await start();
    for (const gap of [0, 4600, 5300, 4100, 5900, 4500]) {
      clock.advance(gap);
      expect((await poll(d.device_code)).body.error).toBe('authorization_pending');
    }
  });

  it('a fixed-cadence device that ignored slow_down is still answered every few polls', async () => {
    const d = await start();
    await poll(d.device_code); // t=0
    clock.advance(1000);
    expect((await poll(d.device_code)).body.error).toBe('slow_down'); // a stray retry: interval 10
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(5000);
      answers.push((await poll(d.device_code)).body.error as string);
    }
    expect(answers.filter((a) => a === 'authorization_pending').length).toBeGreaterThanOrEqual(2);
  });

  it('a client without the device grant is unauthorized_client; sign-in returns only to the device page', async () => {
    const res = await postForm(`${t.issuer}/connect/deviceauthorization`, { client_id: 'spa', scope: 'openid' });
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized_client');
    const browser = new TestBrowser(t.issuer);
    const evil = await browser.open(`${t.issuer}/account/login?return_to=${encodeURIComponent('https://evil.example/')}`);
    expect(evil.status).toBe(400);
  });
});

describe('device authorization grant with a real polling client (openid-client)', () => {
  let t: TestIdp;
  beforeAll(async () => {
    t = await startTestIdp(deviceSeed());
  });
  afterAll(() => t.dispose());

  it('polls until the user approves, then receives tokens', async () => {
    const config = await client.discovery(new URL(t.issuer), 'quick-poller', undefined, client.None(), { execute: [client.allowInsecureRequests] });
    const response = await client.initiateDeviceAuthorization(config, { scope: 'openid profile' });
    const polling = client.pollDeviceAuthorizationGrant(config, response);

    const browser = new TestBrowser(t.issuer);
    const login = await browser.open(response.verification_uri_complete!);
    const confirm = await browser.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    await browser.submit(confirm, {}, 'approve');

    const tokens = await polling;
    expect(tokens.claims()!.sub).toBe(ALICE.subjectId);
    expect(tokens.scope).toBe('openid profile');
  });
});
