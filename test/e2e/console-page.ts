import * as oauth from 'oauth4webapi';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ConfigurationFileInput } from '../../src-main/core/domain';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { launchChromium } from '../helpers/chromium';

/** The window size the console is designed for (and larger). */
export const VIEWPORT = { width: 1280, height: 800 };

export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
  /** Script errors and console errors, CSP violations among them: a healthy console has none. */
  problems: string[];
}

/** A fresh browser profile (no cookies) with the console opened from a new launch link. */
export async function openConsole(browser: Browser, t: TestIdp): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // A refused API request (a 4xx the test provoked) is logged by Chromium too; it is the
    // console's job to show it, not a fault of the page.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      problems.push(`${m.text()} at ${m.location().url}`);
    }
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(t.idp.createLaunchUrl());
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  return { context, page, problems };
}

/** What a console test file runs against: its IdP, a Chromium, and a console tab opened at the start. */
export interface ConsoleSite {
  t: TestIdp;
  browser: Browser;
  tab: ConsoleTab;
}

/**
 * For one test file: starts an IdP seeded with `seed`, Chromium and a console tab before its
 * tests, and closes them after. The fields are filled in when the tests start.
 */
export function useConsoleSite(seed: ConfigurationFileInput): ConsoleSite {
  const site = {} as ConsoleSite;
  beforeAll(async () => {
    site.t = await startTestIdp(seed);
    site.browser = await launchChromium();
    site.tab = await openConsole(site.browser, site.t);
  });
  afterAll(async () => {
    await site.browser?.close();
    await site.t?.dispose();
  });
  return site;
}

/**
 * A token request as a device makes it: client_credentials with client_secret_basic, through
 * oauth4webapi. Answers the access token, or the OAuth error code of a refusal.
 */
export async function deviceToken(issuer: string, clientId: string, secret: string, scope: string): Promise<{ accessToken: string } | { error: string; status: number }> {
  const issuerUrl = new URL(issuer);
  const as = await oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { [oauth.allowInsecureRequests]: true }));
  const client: oauth.Client = { client_id: clientId };
  const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(secret), new URLSearchParams({ scope }), { [oauth.allowInsecureRequests]: true });
  try {
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    return { accessToken: result.access_token };
  } catch (err) {
    // A 401 carries `WWW-Authenticate: Basic`; the OAuth error is in its body.
    if (err instanceof oauth.WWWAuthenticateChallengeError) return { error: ((await err.response.json()) as { error: string }).error, status: err.status };
    if (err instanceof oauth.ResponseBodyError) return { error: err.error, status: err.status };
    throw err;
  }
}
