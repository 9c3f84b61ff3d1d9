import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { Store, SessionRecord } from '../store';
import type { ServerSettings } from '../domain';
import { handleHash, newHandle } from '../tokens/handles';

const SESSION_HANDLE = 'sso_session';

/**
 * SSO sessions: one row per signed-in browser, found by the SHA-256 of the cookie handle.
 * A session ends after `idleTimeout` without use or `absoluteLifetime` after sign-in, whichever
 * comes first.
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: () => ServerSettings,
  ) {}

  create(subject: string, amr: string[]): { handle: string; record: SessionRecord } {
    const now = this.clock.now();
    const handle = newHandle();
    const record: SessionRecord = {
      handleHash: handleHash(SESSION_HANDLE, handle),
      sid: randomBytes(16).toString('base64url'),
      subject,
      authTime: Math.floor(now / 1000),
      amr,
      clients: [],
      createdAt: now,
      lastSeen: now,
      expiresAt: now + this.settings().session.absoluteLifetime * 1000,
    };
    this.store.sessions.insert(record);
    return { handle, record };
  }

  /** The live session behind a cookie handle, touched; ended and removed if it timed out. */
  find(handle: string | undefined): SessionRecord | undefined {
    if (!handle) return undefined;
    const hash = handleHash(SESSION_HANDLE, handle);
    const record = this.store.sessions.get(hash);
    if (!record) return undefined;
    const now = this.clock.now();
    if (now >= record.expiresAt || now >= record.lastSeen + this.settings().session.idleTimeout * 1000) {
      this.store.sessions.remove(hash);
      return undefined;
    }
    const user = this.store.users.get(record.subject);
    if (!user?.enabled) return undefined;
    this.store.sessions.touch(hash, now);
    return { ...record, lastSeen: now };
  }

  addClient(record: SessionRecord, clientId: string): void {
    if (record.clients.includes(clientId)) return;
    record.clients = [...record.clients, clientId];
    this.store.sessions.setClients(record.handleHash, record.clients);
  }

  end(record: SessionRecord): void {
    this.store.sessions.remove(record.handleHash);
  }

  bySid(sid: string): SessionRecord | undefined {
    return this.store.sessions.bySid(sid);
  }
}
