import type { Db } from './db';
import { NOT_DEVICE_SQL } from './device-clients-sql';

export interface ClientUsage {
  clientId: string;
  /** Days since 1970-01-01 UTC. */
  day: number;
  issued: number;
  failed: number;
  /** When the last token was issued, or undefined if only failures were seen. */
  lastSeen: number | undefined;
  lastAddress: string | undefined;
}

export interface SiteMinute {
  /** Minutes since the epoch. */
  minute: number;
  issued: number;
  failed: number;
}

/** Per-client usage counters, written in batches by the usage recorder. */
export class UsageRepository {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      // One statement for the whole batch (a JSON array of rows): at tens of thousands of
      // active devices, per-row statement calls cost more than the writes themselves.
      record: db.prepare<[string]>(
        `INSERT INTO usage (client_id, day, issued, failed, last_seen, last_address)
         SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5
         FROM json_each(?) j
         WHERE EXISTS (SELECT 1 FROM clients c WHERE c.client_id = j.value ->> 0)
         ON CONFLICT (client_id, day) DO UPDATE SET
           issued = issued + excluded.issued,
           failed = failed + excluded.failed,
           last_seen = coalesce(max(last_seen, excluded.last_seen), last_seen, excluded.last_seen),
           last_address = coalesce(excluded.last_address, last_address)`,
      ),
      totals: db.prepare<[string], { issued: number | null; failed: number | null; last_seen: number | null }>(
        'SELECT sum(issued) AS issued, sum(failed) AS failed, max(last_seen) AS last_seen FROM usage WHERE client_id = ?',
      ),
      daily: db.prepare<[string, number], { day: number; issued: number; failed: number }>(
        'SELECT day, issued, failed FROM usage WHERE client_id = ? AND day >= ? ORDER BY day',
      ),
      minute: db.prepare<[number, number, number]>(
        `INSERT INTO usage_minutes (minute, issued, failed) VALUES (?, ?, ?)
         ON CONFLICT (minute) DO UPDATE SET issued = issued + excluded.issued, failed = failed + excluded.failed`,
      ),
      minutes: db.prepare<[number], { minute: number; issued: number; failed: number }>(
        'SELECT minute, issued, failed FROM usage_minutes WHERE minute >= ? ORDER BY minute',
      ),
      removeMinutes: db.prepare<[number]>('DELETE FROM usage_minutes WHERE minute < ?'),
      // Devices are all clients less the few that are not (domain/device-clients.ts), which the
      // partial index clients_not_devices lists: reading every active client's settings instead
      // costs 150 ms at 100,000 active devices.
      activeSince: db
        .prepare<[{ day: number; since: number }]>(
          `SELECT (SELECT count(DISTINCT client_id) FROM usage WHERE day >= @day AND last_seen >= @since)
            - (SELECT count(*) FROM clients INDEXED BY clients_not_devices WHERE ${NOT_DEVICE_SQL}
                AND EXISTS (SELECT 1 FROM usage u WHERE u.client_id = clients.client_id AND u.day >= @day AND u.last_seen >= @since))`,
        )
        .pluck(),
      // One pass over usage in primary-key order (client_id, day), then a lookup per quiet client.
      staleBefore: db
        .prepare<[{ since: number }]>(
          `SELECT (SELECT count(*) FROM (SELECT client_id FROM usage GROUP BY client_id HAVING coalesce(max(last_seen), 0) < @since) u
              JOIN clients c ON c.client_id = u.client_id WHERE c.enabled = 1)
            - (SELECT count(*) FROM clients INDEXED BY clients_not_devices WHERE ${NOT_DEVICE_SQL} AND enabled = 1
                AND EXISTS (SELECT 1 FROM usage u WHERE u.client_id = clients.client_id)
                AND coalesce((SELECT max(last_seen) FROM usage u WHERE u.client_id = clients.client_id), 0) < @since)`,
        )
        .pluck(),
      lastAddress: db.prepare<[string]>('SELECT last_address FROM usage WHERE client_id = ? AND last_address IS NOT NULL ORDER BY day DESC LIMIT 1').pluck(),
    };
  }

  /** Applies a whole batch in one transaction; rows for clients deleted meanwhile are dropped. */
  record(batch: readonly ClientUsage[], minutes: readonly SiteMinute[] = []): void {
    const rows = batch.map((u) => [u.clientId, u.day, u.issued, u.failed, u.lastSeen ?? null, u.lastAddress ?? null]);
    this.db.transaction(() => {
      if (rows.length > 0) this.stmts.record.run(JSON.stringify(rows));
      for (const m of minutes) this.stmts.minute.run(m.minute, m.issued, m.failed);
    })();
  }

  /** Site-wide tokens and failures per minute (minutes since the epoch) from `fromMinute` on; idle minutes are absent. */
  perMinute(fromMinute: number): SiteMinute[] {
    return this.stmts.minutes.all(fromMinute);
  }

  removeMinutesBefore(minute: number): number {
    return this.stmts.removeMinutes.run(minute).changes;
  }

  /** Devices (domain/device-clients.ts) that got a token at or after `since`. */
  activeClients(since: number): number {
    return this.stmts.activeSince.get({ day: Math.floor(since / 86_400_000), since }) as number;
  }

  /** Enabled devices that once got tokens but none since `since`: devices gone quiet. */
  staleClients(since: number): number {
    return this.stmts.staleBefore.get({ since }) as number;
  }

  /** Tokens issued and failures per UTC day (days since the epoch) from `fromDay` on; days without use are absent. */
  daily(clientId: string, fromDay: number): Array<{ day: number; issued: number; failed: number }> {
    return this.stmts.daily.all(clientId, fromDay);
  }

  /** Lifetime totals and last contact of one client. */
  summary(clientId: string): { issued: number; failed: number; lastSeen: number | undefined; lastAddress: string | undefined } {
    const t = this.stmts.totals.get(clientId);
    return {
      issued: t?.issued ?? 0,
      failed: t?.failed ?? 0,
      lastSeen: t?.last_seen ?? undefined,
      lastAddress: (this.stmts.lastAddress.get(clientId) as string | undefined) ?? undefined,
    };
  }
}
