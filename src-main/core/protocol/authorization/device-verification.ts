import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../../context';
import { normaliseUserCode, formatUserCode } from '../../tokens/device-codes';
import { readPageParams, refusedForCsrf } from '../page-forms';
import { csrfToken, currentSession } from '../browser-session';
import { redirect } from './authorization-response';
import { LOGIN_PATH } from './authorize';
import { describeScopes } from './scope-descriptions';
import { writeErrorPage } from '../views/error-page';
import { writeDeviceCodeEntryPage, writeDeviceConfirmPage, writeDeviceDonePage } from '../views/device-pages';

const UNKNOWN_CODE = 'That code is not valid, has expired, or was already used. Check the device and try again.';

/**
 * GET /device (RFC 8628 §3.3): sign in first (codes are looked up only for a signed-in person,
 * so nobody can probe codes anonymously), then the code: asked for, or taken from
 * verification_uri_complete and shown for confirmation.
 */
export function devicePage(ctx: IdpContext, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const session = currentSession(ctx, req);
  if (!session) {
    redirect(res, `${LOGIN_PATH}?${new URLSearchParams({ return_to: url.pathname + url.search })}`);
    return;
  }
  const raw = url.searchParams.get('user_code');
  if (raw === null) return writeDeviceCodeEntryPage(res, {});
  const code = normaliseUserCode(raw);
  const device = code === undefined ? undefined : ctx.deviceCodes.findPending(code);
  const client = device && ctx.clients.get(device.grant.clientId);
  if (!device || !client?.enabled) {
    ctx.store.audit.write({ at: ctx.clock.now(), actor: `user:${session.subject}`, action: 'device.code_rejected' });
    return writeDeviceCodeEntryPage(res, { message: UNKNOWN_CODE, status: 400, code: raw });
  }
  writeDeviceConfirmPage(res, {
    csrf: csrfToken(ctx, req, res),
    userCode: formatUserCode(device.data.userCode),
    clientName: client.clientName ?? client.clientId,
    scopes: describeScopes(ctx, device.data.scopes),
  });
}

/** POST /device: Approve or Deny, by the signed-in person, with the CSRF token. */
export async function deviceDecision(ctx: IdpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = await readPageParams(req, res);
  if (!params || refusedForCsrf(req, res, params)) return;
  const session = currentSession(ctx, req);
  if (!session) return writeErrorPage(res, 400, 'login_required', 'Your sign-in has ended. Open the device page again.');
  const code = normaliseUserCode(params.get('user_code') ?? '');
  const device = code === undefined ? undefined : ctx.deviceCodes.findPending(code);
  if (!device) return writeDeviceCodeEntryPage(res, { message: UNKNOWN_CODE, status: 400 });
  const approved = params.get('action') === 'approve';
  ctx.deviceCodes.decide(device, approved ? { approved: true, session } : { approved: false });
  ctx.store.audit.write({ at: ctx.clock.now(), actor: `user:${session.subject}`, action: approved ? 'device.approved' : 'device.denied', target: device.grant.clientId });
  writeDeviceDonePage(res, approved);
}
