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
}

const toEvent = (r: AuditRow): StoredAuditEvent => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  action: r.action,
  target: r.target ?? undefined,
  details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : undefined,
});

/** Admin actions and security events. Never a secret in `details`. */
export class AuditRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare('INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)'),
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
