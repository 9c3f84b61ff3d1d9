import { afterEach, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { TestBrowser, type Page } from '../helpers/test-browser';
import { ALICE, RP, signinSeed } from '../helpers/signin-seed';
import { TestClock } from '../helpers/test-clock';
import type { ServerSettings } from '../../src-main/core/domain';

const GENERIC_FAILURE = 'The username or password is incorrect.';
const PARALLEL = 200;

let t: TestIdp | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

/** A server whose throttle policy is `policy`, with a login page open for the `web` client. */
async function loginPageWith(policy: Partial<ServerSettings['loginThrottle']>): Promise<{ browser: TestBrowser; page: Page; clock: TestClock }> {
  const clock = new TestClock();
  t = await startTestIdp(signinSeed(), { clock });
  const settings = t.idp.context.store.settings;
  settings.put({ ...settings.get(), loginThrottle: { ...settings.get().loginThrottle, ...policy } });
  return { ...(await openLogin()), clock };
}

/** A new browser on the login page of an authorization request. */
async function openLogin(): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = new TestBrowser(t!.issuer);
  const authorize = `${t!.issuer}/connect/authorize?${new URLSearchParams({ client_id: 'web', redirect_uri: `${RP}/callback`, response_type: 'code', scope: 'openid', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256' })}`;
  const page = await browser.open(authorize);
  expect(page.html).toContain('name="password"');
  return { browser, page };
}

/** What the server did with each attempt, judged by its answer. */
function outcomes(pages: Page[]) {
  return {
    checkedWrong: pages.filter((p) => p.status === 400 && p.html.includes(GENERIC_FAILURE)).length,
    throttled: pages.filter((p) => p.status === 429).length,
    signedIn: pages.filter((p) => p.url.startsWith(`${RP}/callback?`)).length,
  };
}

/** The throttled sign-ins in the audit log, once the counts kept in memory are written. */
function throttledRows() {
  t!.idp.context.repeatedEvents.flush();
  return t!.idp.context.store.audit.page({ action: 'login.throttled' }, undefined, 1000);
}

describe('login throttling under concurrency', () => {
  it(`checks no more passwords of one account than its lock allows, with ${PARALLEL} attempts in flight at once`, async () => {
    // The delay is set to the lock limit so that the lock is what the test observes.
    const { browser, page } = await loginPageWith({ accountDelayAfter: 10, accountLockAfter: 10, addressDelayAfter: 1000, addressLockAfter: 1000 });
    const wrong = await Promise.all(Array.from({ length: PARALLEL - 1 }, (_, i) => browser.submit(page, { username: ALICE.username, password: `wrong-password-${i}` }, 'login')));
    expect(outcomes(wrong)).toEqual({ checkedWrong: 10, throttled: PARALLEL - 11, signedIn: 0 });
    expect(wrong.filter((p) => p.status === 429).every((p) => p.html.includes('Sign-in is locked for 15 minute(s)'))).toBe(true);

    // the account is locked: the right password does not sign in
    const right = await browser.submit(page, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(right.status).toBe(429);
    expect(browser.cookie('idp.session')).toBeUndefined();

    const audit = t!.idp.context.store.audit;
    expect(audit.page({ action: 'login.failed', target: ALICE.username }, undefined, 1000)).toHaveLength(10);
    expect(audit.page({ action: 'login.locked', target: ALICE.username }, undefined, 1000)).toHaveLength(1);
  });

  it(`checks no more passwords from one address than its lock allows, across many usernames at once`, async () => {
    const { browser, page } = await loginPageWith({ addressDelayAfter: 15, addressLockAfter: 15 });
    const attempts = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => browser.submit(page, { username: `guess-${i}`, password: `wrong-password-${i}` }, 'login')));
    expect(outcomes(attempts)).toEqual({ checkedWrong: 15, throttled: PARALLEL - 15, signedIn: 0 });

    // the address is locked, whatever account it tries next
    const right = await browser.submit(page, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(right.status).toBe(429);
    expect(right.html).toContain('Sign-in is locked');
  });

  it('gives a successful sign-in its attempt back: it does not count toward the address lock', async () => {
    const { browser, page } = await loginPageWith({ addressDelayAfter: 4, addressLockAfter: 4 });
    for (let i = 0; i < 2; i++) expect((await browser.submit(page, { username: 'bob', password: `wrong-password-${i}` }, 'login')).status).toBe(400);
    const bob = await browser.submit(page, { username: 'bob', password: 'bob-password-12' }, 'login');
    expect(bob.url.startsWith(`${RP}/callback?`)).toBe(true);
    // three failures from this address, the fourth attempt would lock it; being right, it does not
    const second = await openLogin();
    expect((await second.browser.submit(second.page, { username: 'bob', password: 'wrong-password-x' }, 'login')).status).toBe(400);
    const alice = await second.browser.submit(second.page, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(alice.url.startsWith(`${RP}/callback?`)).toBe(true);
    const third = await openLogin();
    expect((await third.browser.submit(third.page, { username: 'bob', password: 'bob-password-12' }, 'login')).url.startsWith(`${RP}/callback?`)).toBe(true);
  });

  it('does not make the next sign-in from an address wait because of a success', async () => {
    const { browser, page, clock } = await loginPageWith({ addressDelayAfter: 2, addressLockAfter: 10 });
    for (let i = 0; i < 2; i++) expect((await browser.submit(page, { username: 'bob', password: `wrong-password-${i}` }, 'login')).status).toBe(400);
    clock.advance(61_000);
    expect((await browser.submit(page, { username: 'bob', password: 'bob-password-12' }, 'login')).url.startsWith(`${RP}/callback?`)).toBe(true);
    // two failures still stand, but the wait runs from the last of them, long past
    const next = await openLogin();
    expect((await next.browser.submit(next.page, { username: ALICE.username, password: ALICE.password }, 'login')).url.startsWith(`${RP}/callback?`)).toBe(true);
  });

  it('keeps a lock across a restart', async () => {
    const { browser, page } = await loginPageWith({ accountDelayAfter: 2, accountLockAfter: 2 });
    await Promise.all([0, 1, 2, 3].map((i) => browser.submit(page, { username: ALICE.username, password: `wrong-password-${i}` }, 'login')));
    const dataDir = t!.dataDir;
    await t!.stop();
    const clock = new TestClock();
    const restarted = await startTestIdp(undefined, { dataDir, clock });
    try {
      const fresh = new TestBrowser(restarted.issuer);
      const login = await fresh.open(`${restarted.issuer}/account/login?return_to=/device`);
      const right = await fresh.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
      expect(right.status).toBe(429);
      expect(right.html).toContain('Sign-in is locked');
    } finally {
      await restarted.stop();
    }
  });
});

describe('throttled sign-ins in the audit log', () => {
  it('aggregate into one row per address, reason and minute whose count is every refusal', async () => {
    const { browser, page, clock } = await loginPageWith({ addressDelayAfter: 5, addressLockAfter: 5 });
    const first = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => browser.submit(page, { username: `guess-${i}`, password: `wrong-password-${i}` }, 'login')));
    expect(outcomes(first).throttled).toBe(PARALLEL - 5);
    let rows = throttledRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'address:127.0.0.1', count: PARALLEL - 5, details: { limit: 'address', locked: true } });

    // the next minute gets a row of its own
    clock.advance(60_000);
    await Promise.all(Array.from({ length: 50 }, (_, i) => browser.submit(page, { username: `later-${i}`, password: 'wrong-password' }, 'login')));
    rows = throttledRows();
    expect(rows.map((r) => r.count)).toEqual([50, PARALLEL - 5]);
  });
});
