import type { Db } from './db';

export interface AuditEvent {
  at: number;
  actor: string;
  action: string;
  target?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface StoredAuditEvent extends AuditEvent {
  id: number;
  /** How many times the event happened: more than 1 only for repeats aggregated into one row. */
  count: number;
}

/** A repeated event: one row per action, source and minute, whose count grows with each repeat. */
export interface RepeatedAuditEvent extends AuditEvent {
  /** What tells repeats apart besides the action (an address, a client id and a reason...). */
  source: string;
  /** Occurrences to add; 1 unless they were counted in memory first. */
  count: number;
}

export interface AuditFilter {
  /** Exact action, or a prefix ending in "." (`client.` matches every client action). */
  action?: string | undefined;
  actor?: string | undefined;
  /** Substring of the target (a client id, a username, a key id...). */
  target?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
  count: number;
}

const toEvent = (r: AuditRow): StoredAuditEvent => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  action: r.action,
  target: r.target ?? undefined,
  details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : undefined,
  count: r.count,
});

const MINUTE_MS = 60_000;

/** Admin actions and security events. Never a secret in `details`. */
export class AuditRepository {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insert: db.prepare('INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)'),
      // The row keeps the first occurrence's time and details; repeats only add to its count.
      repeated: db.prepare(
        `INSERT INTO audit (at, actor, action, target, details, count, aggregate_key) VALUES (@at, @actor, @action, @target, @details, @count, @key)
         ON CONFLICT (aggregate_key) WHERE aggregate_key IS NOT NULL DO UPDATE SET count = count + excluded.count`,
      ),
      ofTarget: db.prepare<[string, string, number], AuditRow>('SELECT * FROM audit WHERE target = ? AND action = ? ORDER BY id DESC LIMIT ?'),
      recent: db.prepare<[number], AuditRow>('SELECT * FROM audit ORDER BY id DESC LIMIT ?'),
      // Newest first; `before` is the id cursor of the previous page.
      page: db.prepare<Record<string, string | number | null>, AuditRow>(
        `SELECT * FROM audit
         WHERE (@before IS NULL OR id < @before)
           AND (@action IS NULL OR action = @action OR (substr(@action, -1) = '.' AND substr(action, 1, length(@action)) = @action))
           AND (@actor IS NULL OR actor = @actor)
           AND (@target IS NULL OR instr(target, @target) > 0)
           AND (@from IS NULL OR at >= @from)
           AND (@to IS NULL OR at < @to)
         ORDER BY id DESC LIMIT @limit`,
      ),
      actions: db.prepare('SELECT DISTINCT action FROM audit ORDER BY action').pluck(),
      actors: db.prepare('SELECT DISTINCT actor FROM audit ORDER BY actor').pluck(),
    };
  }

  write(event: AuditEvent): void {
    this.stmts.insert.run(event.at, event.actor, event.action, event.target ?? null, event.details ? JSON.stringify(event.details) : null);
  }

  /**
   * Records repeats of a security event an attacker can cause at will (a rejected key, a throttled
   * sign-in, a failed client authentication) without growing the log one row per request.
   */
  repeated(events: readonly RepeatedAuditEvent[]): void {
    this.db.transaction(() => {
      for (const e of events) {
        this.stmts.repeated.run({
          at: e.at,
          actor: e.actor,
          action: e.action,
          target: e.target ?? null,
          details: e.details ? JSON.stringify(e.details) : null,
          count: e.count,
          key: JSON.stringify([e.action, e.source, Math.floor(e.at / MINUTE_MS)]),
        });
      }
    })();
  }

  /** The newest events of one action about one exact target (a client's failed authentications). */
  ofTarget(target: string, action: string, limit: number): StoredAuditEvent[] {
    return this.stmts.ofTarget.all(target, action, limit).map(toEvent);
  }

  recent(limit: number): StoredAuditEvent[] {
    return this.stmts.recent.all(limit).map(toEvent);
  }

  page(filter: AuditFilter, before: number | undefined, limit: number): StoredAuditEvent[] {
    return this.stmts.page
      .all({
        before: before ?? null,
        action: filter.action ?? null,
        actor: filter.actor ?? null,
        target: filter.target ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
        limit,
      })
      .map(toEvent);
  }

  /** The distinct actions and actors recorded, for the console's filter lists. */
  vocabulary(): { actions: string[]; actors: string[] } {
    return { actions: this.stmts.actions.all() as string[], actors: this.stmts.actors.all() as string[] };
  }
}
