import { describe, expect, it } from 'vitest';
import { logoutUriProblem, parseConfigurationFile, redirectUriProblem, ValidationError } from '../../src-main/core/domain';
import { BAD_LOGOUT_URIS, BAD_REDIRECT_URIS } from '../helpers/bad-client-uris';

const errorsOf = (client: Record<string, unknown>) => {
  try {
    parseConfigurationFile({ clients: [{ clientId: 'c', ...client }] });
    return [];
  } catch (e) {
    return (e as ValidationError).errors.map((x) => `${x.path}: ${x.message}`);
  }
};

/** Forms refused for reasons other than the list. */
const MORE_BAD_REDIRECT_URIS: ReadonlyArray<readonly [string, RegExp]> = [
  ['ftp://files.example/cb', /http\(s\)/],
  ['myapp:/callback', /reverse domain/],
  ['https://app.example/a b', /RFC 3986/],
  ['https://app.example/"onmouseover', /RFC 3986/],
  ['https:app.example/cb', /http\(s\)/],
  ['not a uri', /absolute URI/],
];

describe('redirect and logout URIs (one validator)', () => {
  it.each([...BAD_REDIRECT_URIS, ...MORE_BAD_REDIRECT_URIS])('refuses %s as a redirect URI of any client', (uri, why) => {
    expect(redirectUriProblem(uri, { template: 'native' })).toMatch(why);
    expect(redirectUriProblem(uri, { template: 'web' })).toMatch(why);
  });

  it('accepts http(s) for every client, and a reverse-domain private-use scheme only for a native app (RFC 8252 §7.1)', () => {
    for (const uri of ['https://app.example/cb?x=1', 'http://127.0.0.1/callback', 'http://[::1]:8080/cb', 'HTTPS://App.example/cb']) {
      expect(redirectUriProblem(uri, { template: undefined })).toBeUndefined();
    }
    expect(redirectUriProblem('com.example.app:/callback', { template: 'native' })).toBeUndefined();
    expect(redirectUriProblem('com.example.app:/callback', { template: 'web' })).toMatch(/only in a native app/);
    expect(redirectUriProblem('com.example.app:/callback', { template: undefined })).toMatch(/only in a native app/);
  });

  it('logout URIs are http(s) only, even for a native app', () => {
    expect(logoutUriProblem('https://app.example/logout')).toBeUndefined();
    for (const [uri, why] of BAD_LOGOUT_URIS) expect(logoutUriProblem(uri)).toMatch(why);
  });

  it('the schema names each bad field, and the private-use rule follows the template', () => {
    expect(
      errorsOf({
        allowedGrantTypes: ['authorization_code'],
        redirectUris: ['https://ok.example/cb', 'javascript:alert(document.domain)', 'com.example.app:/cb'],
        postLogoutRedirectUris: ['com.example.app:/bye'],
        frontChannelLogoutUri: 'ftp://x',
        backChannelLogoutUri: 'https://admin:pw@rp.example/bc',
      }),
    ).toEqual([
      'clients[0].redirectUris[1]: must not use the javascript: scheme',
      'clients[0].postLogoutRedirectUris[0]: must be an http or https URI',
      'clients[0].frontChannelLogoutUri: must be an http or https URI',
      'clients[0].backChannelLogoutUri: must not hold a user name or password (user:password@host)',
      'clients[0].redirectUris[2]: may use a private-use scheme only in a native app (template "native", RFC 8252 §7.1); a web client needs http(s)',
    ]);
    expect(errorsOf({ template: 'native', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], redirectUris: ['com.example.app:/cb'] })).toEqual([]);
    expect(errorsOf({ template: 'spa', requireClientSecret: false, allowedGrantTypes: ['authorization_code'], redirectUris: ['com.example.app:/cb'] })).toEqual([
      'clients[0].redirectUris[0]: may use a private-use scheme only in a native app (template "native", RFC 8252 §7.1); a web client needs http(s)',
    ]);
  });
});
