import type { ServerResponse } from 'node:http';
import { html } from '../../http/html';
import { writePage } from '../views/page';
import type { ResponseMode } from './authorization-request';

/**
 * Returns the result of an authorization request to the client, with `iss` always added
 * (RFC 9207) and `state` echoed, in the requested response mode: query or fragment on a 302,
 * or form_post (an auto-submitting form from a static script, with a button when scripts are off).
 */
export function writeAuthorizationResponse(
  res: ServerResponse,
  target: { redirectUri: string; responseMode: ResponseMode; state: string | undefined },
  issuer: string,
  values: Record<string, string | number | undefined>,
): void {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) params.set(k, String(v));
  if (target.state !== undefined) params.set('state', target.state);
  params.set('iss', issuer);

  if (target.responseMode === 'form_post') {
    writePage(res, {
      title: 'Returning to the application',
      formAction: [new URL(target.redirectUri).origin],
      scripts: ['form-post.js'],
      body: html`<h1>Returning to the application…</h1>
<form method="post" action="${target.redirectUri}" id="form-post">
${[...params].map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<button type="submit">Continue</button>
</form>`,
    });
    return;
  }
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'query') {
    for (const [k, v] of params) url.searchParams.append(k, v);
    redirect(res, url.toString());
  } else {
    redirect(res, `${url.toString().split('#')[0]}#${params.toString()}`);
  }
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0, ...headers });
  res.end();
}
