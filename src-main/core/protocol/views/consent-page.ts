import type { ServerResponse } from 'node:http';
import { html } from '../../http/html';
import { writePage } from './page';

export interface ConsentScope {
  name: string;
  displayName: string;
  description: string | undefined;
  required: boolean;
  emphasize: boolean;
}

export interface ConsentPageModel {
  interaction: string;
  csrf: string;
  clientName: string;
  scopes: ConsentScope[];
  allowRemember: boolean;
  /** Where the answer will be redirected after the POST: CSP form-action covers redirects too. */
  returnOrigin: string;
}

/** Lists what the application asks for in plain words, with Allow and Deny. */
export function writeConsentPage(res: ServerResponse, m: ConsentPageModel): void {
  writePage(res, {
    title: 'Allow access?',
    formAction: [m.returnOrigin],
    body: html`<h1>${m.clientName} asks for access</h1>
<p>Allow this application to:</p>
<form method="post" action="/account/consent">
<input type="hidden" name="interaction" value="${m.interaction}">
<input type="hidden" name="csrf" value="${m.csrf}">
<ul class="scopes">
${m.scopes.map(
  (s) => html`<li class="${s.emphasize ? 'emphasize' : ''}"><label><input type="checkbox" name="scope" value="${s.name}" checked ${s.required ? html`disabled` : ''}> ${s.displayName}</label>${s.required ? html`<input type="hidden" name="scope" value="${s.name}">` : ''}${s.description ? html`<br><small>${s.description}</small>` : ''}</li>`,
)}
</ul>
${m.allowRemember ? html`<label class="remember"><input type="checkbox" name="remember" value="yes"> Remember my decision</label>` : ''}
<button type="submit" name="action" value="allow">Allow</button>
<button type="submit" name="action" value="deny" class="secondary">Deny</button>
</form>`,
  });
}
