import type { IdpContext } from '../context';
import { logoutUriProblem } from '../domain';
import type { SessionRecord } from '../store';
import { REFRESH_TOKEN } from '../tokens/refresh-tokens';
import type { BackChannelLogout } from './back-channel-logout';

/**
 * Ending an SSO session, whoever asks: the user at the end-session endpoint, or the operator
 * revoking a session in the console (a logout made for the user).
 */
export class SsoLogout {
  constructor(
    private readonly ctx: IdpContext,
    private readonly backChannel: BackChannelLogout,
  ) {}

  /** Ends the SSO session, notifies every client of it, and revokes refresh tokens of clients coordinated with it. */
  logout(session: SessionRecord, actor = `user:${session.subject}`): string[] {
    const { ctx } = this;
    ctx.sessions.end(session);
    const frames: string[] = [];
    for (const clientId of session.clients) {
      const client = ctx.clients.get(clientId);
      if (!client) continue;
      if (client.coordinateLifetimeWithUserSession) {
        for (const g of ctx.store.grants.bySession(session.sid, REFRESH_TOKEN)) if (g.clientId === clientId && g.family) ctx.refreshTokens.revokeFamily(g.family);
      }
      // A stored URI that is not http(s) (from before the check) is never framed.
      if (client.frontChannelLogoutUri && !logoutUriProblem(client.frontChannelLogoutUri)) {
        const url = new URL(client.frontChannelLogoutUri);
        if (client.frontChannelLogoutSessionRequired) {
          url.searchParams.set('iss', ctx.issuer);
          url.searchParams.set('sid', session.sid);
        }
        frames.push(url.toString());
      }
      this.backChannel.send(client, session.subject, session.sid);
    }
    ctx.store.audit.write({ at: ctx.clock.now(), actor, action: 'logout', target: session.subject, details: { sid: session.sid, clients: session.clients } });
    return frames;
  }
}
