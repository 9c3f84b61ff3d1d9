import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../../context';
import { hashPassword, verifyPassword } from '../../domain/credentials';
import { readPageParams, refusedForCsrf } from '../page-forms';
import { writeErrorPage } from '../views/error-page';
import { writeLoginPage } from '../views/login-page';
import { accountKey } from '../../runtime/login-throttle';
import { csrfToken, currentSession, setSessionCookie } from '../browser-session';
import { peerAddress } from '../endpoints/endpoint';
import { redirect, writeAuthorizationResponse } from './authorization-response';
import { proceed, writeAuthorizationError } from './authorize';
import type { Interactions, Interaction } from './interactions';

const GENERIC_FAILURE = 'The username or password is incorrect.';
/** Verified against when the username is unknown, so both failures cost the same time. */
let decoyHash: Promise<string> | undefined;

function expiredPage(res: ServerResponse): void {
  writeErrorPage(res, 400, 'interaction_expired', 'This sign-in page has expired. Go back to the application and start again.');
}

function clientName(ctx: IdpContext, interaction: Interaction): string {
  const client = ctx.clients.get(interaction.request.clientId);
  return client?.clientName ?? interaction.request.clientId;
}

/**
 * Where a sign-in that is not part of an authorization request returns: only the device
 * verification page, so the parameter can never be an open redirect.
 */
const RETURN_TO = /^\/device(\?user_code=[A-Za-z0-9 -]{1,20})?$/;

function returnTo(value: string | null | undefined): string | undefined {
  return value && RETURN_TO.test(value) ? value : undefined;
}

export function loginPage(ctx: IdpContext, interactions: Interactions, req: IncomingMessage, res: ServerResponse): void {
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  const back = returnTo(query.get('return_to'));
  if (back) {
    return writeLoginPage(res, {
      interaction: undefined,
      returnTo: back,
      csrf: csrfToken(ctx, req, res),
      clientName: 'connect a device',
      username: '',
      message: undefined,
      returnOrigin: undefined,
    });
  }
  const interaction = interactions.find(query.get('interaction') ?? undefined);
  if (!interaction || interaction.stage !== 'login') return expiredPage(res);
  writeLoginPage(res, {
    interaction: interaction.id,
    returnTo: undefined,
    csrf: csrfToken(ctx, req, res),
    clientName: clientName(ctx, interaction),
    username: interaction.request.loginHint ?? '',
    message: undefined,
    returnOrigin: new URL(interaction.request.redirectUri).origin,
  });
}

/**
 * The login form's POST. Every failure shows one generic message; throttling refuses attempts
 * early without checking the password; success starts an SSO session and resumes the request.
 */
export async function loginSubmit(ctx: IdpContext, interactions: Interactions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = await readPageParams(req, res);
  if (!params) return;
  const back = returnTo(params.get('return_to'));
  const interaction = back ? undefined : interactions.find(params.get('interaction'));
  if (!back && (!interaction || interaction.stage !== 'login')) return expiredPage(res);
  if (refusedForCsrf(req, res, params)) return;

  if (params.get('action') === 'cancel') {
    if (!interaction) return redirect(res, '/device');
    interactions.finish(interaction.id);
    const { request } = interaction;
    const target = { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state };
    return writeAuthorizationResponse(res, target, ctx.issuer, { error: 'access_denied', error_description: 'the user cancelled the sign-in' });
  }

  const username = (params.get('username') ?? '').trim();
  const password = params.get('password') ?? '';
  const address = peerAddress(req) ?? 'unknown';
  const show = (message: string, status: number) =>
    writeLoginPage(res, {
      interaction: interaction?.id,
      returnTo: back,
      csrf: csrfToken(ctx, req, res),
      clientName: interaction ? clientName(ctx, interaction) : 'connect a device',
      username,
      message,
      status,
      returnOrigin: interaction ? new URL(interaction.request.redirectUri).origin : undefined,
    });

  // Counted before the password is checked, so parallel attempts cannot all slip past the limit.
  const verdict = ctx.loginThrottle.reserve(username, address);
  if (!verdict.allowed) {
    // One row per address and minute once the address is refused, else per address and account.
    ctx.repeatedEvents.record({
      actor: `address:${address}`,
      action: 'login.throttled',
      target: verdict.limit === 'account' ? username : undefined,
      details: { limit: verdict.limit, locked: verdict.locked },
      source: [verdict.limit === 'address' ? `address:${address}` : `address:${address} ${accountKey(username)}`, verdict.locked ? 'locked' : 'wait'].join(' '),
    });
    return show(
      verdict.locked
        ? `Too many failed attempts. Sign-in is locked for ${Math.ceil(verdict.retryAfterSeconds / 60)} minute(s); ask an administrator if you need it sooner.`
        : `Too many failed attempts. Wait ${verdict.retryAfterSeconds} second(s) and try again.`,
      429,
    );
  }

  const account = username === '' ? undefined : ctx.store.users.credentials(username);
  const hash = account?.passwordHash ?? (await (decoyHash ??= hashPassword('decoy password for unknown users')));
  const passwordOk = await verifyPassword(password, hash);
  if (!account || !account.passwordHash || !account.enabled || !passwordOk) {
    ctx.store.audit.write({ at: ctx.clock.now(), actor: `address:${address}`, action: 'login.failed', target: username });
    if (verdict.locks) ctx.store.audit.write({ at: ctx.clock.now(), actor: 'system', action: 'login.locked', target: username, details: { address } });
    return show(GENERIC_FAILURE, 400);
  }

  ctx.loginThrottle.succeeded(username, address, verdict.reservation);
  const previous = currentSession(ctx, req);
  if (previous) ctx.sessions.end(previous);
  const { handle, record } = ctx.sessions.create(account.subjectId, ['pwd']);
  ctx.store.users.loggedIn(account.subjectId, ctx.clock.now());
  ctx.store.audit.write({ at: ctx.clock.now(), actor: `user:${account.subjectId}`, action: 'login.succeeded', target: interaction?.request.clientId, details: { address } });
  setSessionCookie(ctx, res, handle);
  if (!interaction) return redirect(res, back as string);
  interactions.finish(interaction.id);
  const { request } = interaction;

  const client = ctx.clients.get(request.clientId);
  if (!client?.enabled) return writeErrorPage(res, 400, 'invalid_client', 'The application is no longer available.');
  try {
    proceed(ctx, interactions, res, request, client, record, true);
  } catch (err) {
    writeAuthorizationError(ctx, res, err);
  }
}
