import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../../context';
import { readPageParams, refusedForCsrf } from '../page-forms';
import { writeErrorPage } from '../views/error-page';
import { writeConsentPage } from '../views/consent-page';
import { describeScopes } from './scope-descriptions';
import { csrfToken, currentSession } from '../browser-session';
import { writeAuthorizationResponse } from './authorization-response';
import { respond } from './authorize';
import { rememberConsent } from '../../sessions/consents';
import type { Interactions, Interaction } from './interactions';

function load(ctx: IdpContext, interactions: Interactions, req: IncomingMessage, id: string | undefined): Interaction | undefined {
  const interaction = interactions.find(id);
  if (!interaction || interaction.stage !== 'consent') return undefined;
  // The consent belongs to whoever signed in: another browser or user cannot answer it.
  const session = currentSession(ctx, req);
  return session && session.subject === interaction.subject ? interaction : undefined;
}

const expired = (res: ServerResponse) => writeErrorPage(res, 400, 'interaction_expired', 'This consent page has expired. Go back to the application and start again.');

export function consentPage(ctx: IdpContext, interactions: Interactions, req: IncomingMessage, res: ServerResponse): void {
  const interaction = load(ctx, interactions, req, new URL(req.url ?? '/', 'http://x').searchParams.get('interaction') ?? undefined);
  if (!interaction) return expired(res);
  const client = ctx.clients.get(interaction.request.clientId);
  if (!client) return expired(res);
  writeConsentPage(res, {
    interaction: interaction.id,
    csrf: csrfToken(ctx, req, res),
    clientName: client.clientName ?? client.clientId,
    scopes: describeScopes(ctx, interaction.request.scopes),
    allowRemember: client.allowRememberConsent,
    returnOrigin: new URL(interaction.request.redirectUri).origin,
  });
}

/** Allow (possibly with fewer optional scopes, possibly remembered) or Deny → access_denied. */
export async function consentSubmit(ctx: IdpContext, interactions: Interactions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = await readPageParams(req, res, { repeatable: new Set(['scope']) });
  if (!params) return;
  const interaction = load(ctx, interactions, req, params.get('interaction'));
  if (!interaction) return expired(res);
  if (refusedForCsrf(req, res, params)) return;
  const { request } = interaction;
  const client = ctx.clients.get(request.clientId);
  const session = currentSession(ctx, req);
  if (!client?.enabled || !session) return expired(res);
  interactions.finish(interaction.id);
  const target = { redirectUri: request.redirectUri, responseMode: request.responseMode, state: request.state };
  if (params.get('action') !== 'allow') {
    ctx.store.audit.write({ at: ctx.clock.now(), actor: `user:${session.subject}`, action: 'consent.denied', target: client.clientId });
    return writeAuthorizationResponse(res, target, ctx.issuer, { error: 'access_denied', error_description: 'the user denied the request' });
  }
  const chosen = new Set(params.all('scope'));
  const required = describeScopes(ctx, request.scopes).filter((s) => s.required).map((s) => s.name);
  const granted = request.scopes.filter((s) => chosen.has(s) || required.includes(s));
  if (params.get('remember') === 'yes' && client.allowRememberConsent) rememberConsent(ctx, client, session.subject, granted);
  ctx.store.audit.write({ at: ctx.clock.now(), actor: `user:${session.subject}`, action: 'consent.granted', target: client.clientId, details: { scopes: granted } });
  respond(ctx, res, request, client, session, granted);
}
