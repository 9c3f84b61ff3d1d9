import { generateSecret, hashSecret } from '../domain/credentials';
import type { Clock } from '../clock';

/** A console session lasts a working day; the desktop shell opens a fresh one at every launch. */
export const CONSOLE_SESSION_LIFETIME_MS = 12 * 3_600_000;

export interface ConsoleSession {
  /** Short, non-secret name used as the audit actor (`console:ab12cd34`). */
  id: string;
  /** Echoed by the console from a readable cookie into `X-CSRF-Token`. */
  csrfToken: string;
  expiresAt: number;
}

/** Console sessions in memory, keyed by the hash of the HttpOnly cookie's value. */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly clock: Clock) {}

  create(): { cookie: string; session: ConsoleSession } {
    const cookie = generateSecret();
    const session: ConsoleSession = {
      id: hashSecret(cookie).subarray(0, 4).toString('hex'),
      csrfToken: generateSecret(),
      expiresAt: this.clock.now() + CONSOLE_SESSION_LIFETIME_MS,
    };
    this.sessions.set(hashSecret(cookie).toString('base64url'), session);
    return { cookie, session };
  }

  find(cookie: string | undefined): ConsoleSession | undefined {
    if (!cookie) return undefined;
    const key = hashSecret(cookie).toString('base64url');
    const session = this.sessions.get(key);
    if (session && session.expiresAt <= this.clock.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session;
  }

  end(cookie: string): void {
    this.sessions.delete(hashSecret(cookie).toString('base64url'));
  }
}
