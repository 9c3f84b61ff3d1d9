import { describe, expect, it } from 'vitest';
import { ALICE, RP, signinSeed } from '../helpers/signin-seed';
import { TestBrowser } from '../helpers/test-browser';
import { useConsoleSite } from './console-page';

const site = useConsoleSite(signinSeed());

/** An authorization request of the site's web app, as its browser would send it. */
const authorize = (extra: Record<string, string> = {}) =>
  `${site.t.issuer}/connect/authorize?${new URLSearchParams({
    client_id: 'web',
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: `${RP}/callback`,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...extra,
  })}`;

describe('keys and sessions in the console', () => {
  it('rotates the signing keys after a confirmation that explains the propagation period', async () => {
    const { page } = site.tab;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Signing keys' }).click();
    const next = page.getByRole('list', { name: 'Next keys' });
    await page.getByRole('list', { name: 'Active keys' }).getByRole('article').first().waitFor();
    await expect(next.getByRole('article').count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Rotate keys…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the signing keys?' });
    await expect(dialog.textContent()).resolves.toContain('propagation period of 14 days');
    await dialog.getByRole('button', { name: 'Announce new keys' }).click();

    await expect.poll(() => next.getByRole('article').count()).toBe(2);
    await expect(next.textContent()).resolves.toMatch(/ES256[\s\S]*RS256|RS256[\s\S]*ES256/);
    const announced = site.t.idp.context.keyRing.list().filter((k) => k.status === 'next');
    expect(announced.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    // Announced, not signing yet: the active keys are the same ones as before.
    expect(site.t.idp.context.keyRing.list().filter((k) => k.status === 'active')).toHaveLength(2);
  });

  it("revokes a signed-in user's session", async () => {
    // A real SSO session: Alice signs in to the web app through the login page.
    const person = new TestBrowser(site.t.issuer);
    const login = await person.open(authorize());
    const back = await person.submit(login, { username: ALICE.username, password: ALICE.password }, 'login');
    expect(new URL(back.url).searchParams.has('code')).toBe(true);
    const live = () => site.t.idp.context.store.sessions.active(Date.now(), { subject: ALICE.subjectId }, 10);
    expect(live()).toHaveLength(1);

    const { page } = site.tab;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('button', { name: 'Revoke session of alice' }).click();
    await page.getByRole('dialog', { name: 'Revoke the session of alice?' }).getByRole('button', { name: 'Revoke session' }).click();
    await page.getByText('No active session.').waitFor();
    expect(live()).toHaveLength(0);

    // Her site.browser's SSO cookie no longer signs her in silently.
    const silent = await person.open(authorize({ prompt: 'none' }));
    expect(new URL(silent.url).searchParams.get('error')).toBe('login_required');
    expect(site.tab.problems).toEqual([]);
  });
});
