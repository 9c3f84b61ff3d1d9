import type { ServerResponse } from 'node:http';
import { html } from '../../http/html';
import { writePage } from './page';
import type { ConsentScope } from './consent-page';

/** Asks for the code the device shows. A GET form: entering a code changes nothing yet. */
export function writeDeviceCodeEntryPage(res: ServerResponse, m: { message?: string; status?: number; code?: string }): void {
  writePage(res, {
    title: 'Connect a device',
    status: m.status,
    body: html`<h1>Connect a device</h1>
<p>Enter the code shown on the device.</p>
${m.message ? html`<p class="error" role="alert">${m.message}</p>` : ''}
<form method="get" action="/device">
<label for="user_code">Code</label>
<input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus placeholder="XXXX-XXXX" value="${m.code ?? ''}">
<button type="submit">Continue</button>
</form>`,
  });
}

export interface DeviceConfirmModel {
  csrf: string;
  userCode: string;
  clientName: string;
  scopes: ConsentScope[];
}

/**
 * Shows which device asks for what, with the code for comparison and a plain warning: the
 * device flow's risk is a person approving a code someone else sent them (RFC 8628 §5.4).
 */
export function writeDeviceConfirmPage(res: ServerResponse, m: DeviceConfirmModel): void {
  writePage(res, {
    title: 'Approve this device?',
    body: html`<h1>Approve this device?</h1>
<p><strong>${m.clientName}</strong> asks to act as you.</p>
<p>Code: <strong class="code">${m.userCode}</strong>. Check that the device in front of you shows exactly this code.</p>
<p class="warning">Only approve if you started this yourself on a device you can see. If someone sent you this code or link, choose Deny.</p>
<p>It will be able to:</p>
<ul class="scopes">${m.scopes.map((s) => html`<li>${s.displayName}</li>`)}</ul>
<form method="post" action="/device">
<input type="hidden" name="csrf" value="${m.csrf}">
<input type="hidden" name="user_code" value="${m.userCode}">
<button type="submit" name="action" value="approve">Approve</button>
<button type="submit" name="action" value="deny" class="secondary">Deny</button>
</form>`,
  });
}

export function writeDeviceDonePage(res: ServerResponse, approved: boolean): void {
  writePage(res, {
    title: approved ? 'Device approved' : 'Device denied',
    body: approved
      ? html`<h1>Device approved</h1><p>You can return to the device; it will continue by itself.</p>`
      : html`<h1>Device denied</h1><p>The device was not given access. You can close this page.</p>`,
  });
}
