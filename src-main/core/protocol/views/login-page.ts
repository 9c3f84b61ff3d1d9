import type { ServerResponse } from 'node:http';
import { html } from './html';
import { writePage } from './page';

export interface LoginPageModel {
  interaction: string;
  csrf: string;
  clientName: string;
  username: string;
  message: string | undefined;
  status?: number;
  /** Where the answer will be redirected after the POST: CSP form-action covers redirects too. */
  returnOrigin: string;
}

/** Username and password form; works with JavaScript off. */
export function writeLoginPage(res: ServerResponse, m: LoginPageModel): void {
  writePage(res, {
    title: 'Sign in',
    status: m.status,
    formAction: [m.returnOrigin],
    body: html`<h1>Sign in</h1>
<p>to continue to <strong>${m.clientName}</strong></p>
${m.message ? html`<p class="error" role="alert">${m.message}</p>` : ''}
<form method="post" action="/account/login">
<input type="hidden" name="interaction" value="${m.interaction}">
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
