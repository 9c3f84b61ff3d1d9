import type { ServerResponse } from 'node:http';
import { html } from '../../http/html';
import { writePage } from './page';

/** Asked when a logout request carries no valid id_token_hint (RP-Initiated Logout §2). */
export function writeLogoutConfirmPage(res: ServerResponse, m: { csrf: string; fields: Record<string, string | undefined> }): void {
  writePage(res, {
    title: 'Sign out?',
    body: html`<h1>Sign out?</h1>
<p>Do you want to sign out of this site's identity provider? You will be signed out of the applications that use it.</p>
<form method="post" action="/connect/endsession/confirm">
<input type="hidden" name="csrf" value="${m.csrf}">
${Object.entries(m.fields).map(([k, v]) => (v === undefined ? '' : html`<input type="hidden" name="${k}" value="${v}">`))}
<button type="submit" name="action" value="logout">Sign out</button>
</form>`,
  });
}

/**
 * After logout: hidden iframes load each front-channel logout URI (OIDC Front-Channel Logout
 * §2), then a link (and a no-script refresh) returns to the application when it asked to.
 */
export function writeSignedOutPage(res: ServerResponse, m: { frames: string[]; returnTo: string | undefined }): void {
  writePage(res, {
    title: 'Signed out',
    frameSources: [...new Set(m.frames.map((f) => new URL(f).origin))],
    refreshTo: m.returnTo,
    body: html`<h1>You are signed out</h1>
${m.frames.map((f) => html`<iframe class="logout" src="${f}" title="signing out of an application"></iframe>`)}
${m.returnTo ? html`<p><a href="${m.returnTo}">Return to the application</a></p>` : html`<p>You can close this window.</p>`}`,
  });
}
