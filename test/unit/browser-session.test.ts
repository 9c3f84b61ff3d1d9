import { describe, expect, it } from 'vitest';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { clearSessionCookie, setSessionCookie } from '../../src-main/core/protocol/browser-session';
import type { IdpContext } from '../../src-main/core/context';

/** A real (unconnected) node:http response, to read the Set-Cookie headers the IdP writes. */
function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}
const ctx = (issuer: string) => ({ issuer }) as IdpContext;

describe('the SSO session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and Secure when the issuer is https', () => {
    const https = response();
    setSessionCookie(ctx('https://idp.plant.local'), https, 'handle');
    expect(https.getHeader('set-cookie')).toEqual(['idp.session=handle; Path=/; HttpOnly; SameSite=Lax; Secure']);
    const http = response();
    setSessionCookie(ctx('http://127.0.0.1:4800'), http, 'handle');
    expect(http.getHeader('set-cookie')).toEqual(['idp.session=handle; Path=/; HttpOnly; SameSite=Lax']);
  });

  it('is removed with Max-Age=0 on logout', () => {
    const res = response();
    clearSessionCookie(ctx('https://idp.plant.local'), res);
    expect(res.getHeader('set-cookie')).toEqual(['idp.session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0']);
  });
});
