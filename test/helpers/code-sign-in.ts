import * as client from 'openid-client';
import type { Clock } from '../../src-main/core';
import { TestBrowser } from './test-browser';
import { RP } from './signin-seed';

export interface CodeSignIn {
  config: client.Configuration;
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
}

/**
 * A real authorization-code sign-in with PKCE, as a stock relying party (openid-client) does it,
 * the user signing in on the IdP's own login page. The relying party's clock follows the
 * server's test clock, so ID tokens validate.
 */
export async function codeSignIn(
  idp: { issuer: string; clock: Clock },
  request: { clientId: string; secret: string; user: { username: string; password: string }; scope: string; redirectUri?: string },
): Promise<CodeSignIn> {
  const skew = Math.round((idp.clock.now() - Date.now()) / 1000);
  const config = await client.discovery(new URL(idp.issuer), request.clientId, { [client.clockSkew]: skew }, client.ClientSecretBasic(request.secret), {
    execute: [client.allowInsecureRequests],
  });
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: request.redirectUri ?? `${RP}/callback`,
    scope: request.scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const browser = new TestBrowser(idp.issuer);
  const login = await browser.open(url.toString());
  const callback = await browser.submit(login, { username: request.user.username, password: request.user.password }, 'login');
  return { config, tokens: await client.authorizationCodeGrant(config, new URL(callback.url), { pkceCodeVerifier: verifier }) };
}
