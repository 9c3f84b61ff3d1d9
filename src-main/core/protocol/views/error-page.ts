import type { ServerResponse } from 'node:http';
import { html } from '../../http/html';
import { writePage } from './page';

/**
 * Shown when an authorization request cannot be answered to the client: before the client and
 * its redirect URI are known to be genuine, redirecting would make this server an open redirector
 * (RFC 6749 §4.1.2.1).
 */
export function writeErrorPage(res: ServerResponse, status: number, error: string, description: string): void {
  writePage(res, {
    title: 'Sign-in request refused',
    status,
    body: html`<h1>This sign-in request cannot be completed</h1>
<p class="error">${description}</p>
<p class="detail">Error code: <code>${error}</code>. Go back to the application and try again; if this keeps happening, show this page to the site's administrator.</p>`,
  });
}
