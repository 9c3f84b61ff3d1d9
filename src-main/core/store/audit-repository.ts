import type { Db } from './db';

export interface AuditEvent {
  at: number;
  actor: string;
  action: string;
  target?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/** Admin actions and security events. Never a secret in `details`. */
export class AuditRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare('INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)'),
      recent: db.prepare<[number], { at: number; actor: string; action: string; target: string | null; details: string | null }>(
        'SELECT at, actor, action, target, details FROM audit ORDER BY id DESC LIMIT ?',
      ),
    };
  }

  write(event: AuditEvent): void {
    this.stmts.insert.run(event.at, event.actor, event.action, event.target ?? null, event.details ? JSON.stringify(event.details) : null);
  }

  recent(limit: number): AuditEvent[] {
    return this.stmts.recent.all(limit).map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: r.target ?? undefined,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : undefined,
    }));
  }
}
