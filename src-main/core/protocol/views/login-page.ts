import type { ServerResponse } from 'node:http';
import { html } from '../../http/html';
import { writePage } from './page';

export interface LoginPageModel {
  /** The authorization request waiting for this sign-in, or … */
  interaction: string | undefined;
  /** … the IdP page to return to (the device page). */
  returnTo: string | undefined;
  csrf: string;
  clientName: string;
  username: string;
  message: string | undefined;
  status?: number;
  /** Where the answer will be redirected after the POST (CSP form-action covers redirects too); undefined for this server's own pages. */
  returnOrigin: string | undefined;
}

/** Username and password form; works with JavaScript off. */
export function writeLoginPage(res: ServerResponse, m: LoginPageModel): void {
  writePage(res, {
    title: 'Sign in',
    status: m.status,
    formAction: m.returnOrigin ? [m.returnOrigin] : [],
    body: html`<h1>Sign in</h1>
<p>to ${m.interaction ? 'continue to ' : ''}<strong>${m.clientName}</strong></p>
${m.message ? html`<p class="error" role="alert">${m.message}</p>` : ''}
<form method="post" action="/account/login">
${m.interaction ? html`<input type="hidden" name="interaction" value="${m.interaction}">` : ''}
${m.returnTo ? html`<input type="hidden" name="return_to" value="${m.returnTo}">` : ''}
<input type="hidden" name="csrf" value="${m.csrf}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${m.username}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="action" value="login">Sign in</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>Cancel</button>
</form>`,
  });
}
