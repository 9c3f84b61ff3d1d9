import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { epochSeconds } from '../clock';
import type { Logger } from '../logger';
import type { KeyRing } from '../keys';
import type { CatalogClient } from '../runtime/client-catalog';
import { idTokenAlgorithm } from '../tokens/id-token';

/** OIDC Back-Channel Logout 1.0 §2.4: the event a logout token carries. */
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * Sends logout tokens to clients' registered back-channel URIs, in the background: the user's
 * logout never waits for a relying party. Failed deliveries are retried after each delay.
 * This is the only outbound network call the core makes, and only to URIs the operator registered.
 */
export class BackChannelLogout {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly keyRing: KeyRing,
    private readonly clock: Clock,
    private readonly issuer: string,
    private readonly logger: Logger,
    private readonly retryDelaysMs: readonly number[],
  ) {}

  logoutToken(client: CatalogClient, subject: string, sid: string): string {
    const iat = epochSeconds(this.clock);
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      aud: client.clientId,
      iat,
      exp: iat + 120,
      jti: randomBytes(16).toString('base64url'),
      sub: subject,
      events: { [LOGOUT_EVENT]: {} },
    };
    if (client.backChannelLogoutSessionRequired) claims.sid = sid;
    return this.keyRing.sign(idTokenAlgorithm(client), 'logout+jwt', claims);
  }

  send(client: CatalogClient, subject: string, sid: string): void {
    const uri = client.backChannelLogoutUri;
    if (!uri) return;
    const body = new URLSearchParams({ logout_token: this.logoutToken(client, subject, sid) }).toString();
    const delivery = this.deliver(client.clientId, uri, body).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves when every delivery under way has succeeded or given up (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(clientId: string, uri: string, body: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(uri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(5000),
        });
        if (res.ok) return;
        this.logger.warn('back-channel logout refused', { clientId, status: res.status, attempt });
      } catch (err) {
        this.logger.warn('back-channel logout failed', { clientId, error: (err as Error).message, attempt });
      }
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined) {
        this.logger.error('back-channel logout given up', { clientId, attempts: attempt + 1 });
        return;
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
