import type { Db } from './db';

export interface ClientUsage {
  clientId: string;
  minute: number;
  issued: number;
  failed: number;
  lastSeen: number;
  lastAddress: string | undefined;
}

/** Per-client usage counters, written in batches by the usage recorder. */
export class UsageRepository {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      count: db.prepare(
        `INSERT INTO usage (client_id, minute, issued, failed)
         SELECT @clientId, @minute, @issued, @failed WHERE EXISTS (SELECT 1 FROM clients WHERE client_id = @clientId)
         ON CONFLICT (client_id, minute) DO UPDATE SET issued = issued + excluded.issued, failed = failed + excluded.failed`,
      ),
      seen: db.prepare('UPDATE clients SET last_seen = max(coalesce(last_seen, 0), @lastSeen), last_address = coalesce(@lastAddress, last_address) WHERE client_id = @clientId'),
      totals: db.prepare<[string], { issued: number | null; failed: number | null }>('SELECT sum(issued) AS issued, sum(failed) AS failed FROM usage WHERE client_id = ?'),
      lastSeen: db.prepare<[string], { last_seen: number | null; last_address: string | null }>('SELECT last_seen, last_address FROM clients WHERE client_id = ?'),
    };
  }

  /** Applies a whole batch in one transaction; rows for clients deleted meanwhile are dropped. */
  record(batch: readonly ClientUsage[]): void {
    this.db.transaction(() => {
      for (const u of batch) {
        this.stmts.count.run({ clientId: u.clientId, minute: u.minute, issued: u.issued, failed: u.failed });
        if (u.issued > 0) this.stmts.seen.run({ clientId: u.clientId, lastSeen: u.lastSeen, lastAddress: u.lastAddress ?? null });
      }
    })();
  }

  /** Lifetime totals and last contact of one client. */
  summary(clientId: string): { issued: number; failed: number; lastSeen: number | undefined; lastAddress: string | undefined } {
    const t = this.stmts.totals.get(clientId);
    const s = this.stmts.lastSeen.get(clientId);
    return { issued: t?.issued ?? 0, failed: t?.failed ?? 0, lastSeen: s?.last_seen ?? undefined, lastAddress: s?.last_address ?? undefined };
  }
}
