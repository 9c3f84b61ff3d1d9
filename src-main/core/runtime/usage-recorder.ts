import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store, ClientUsage, SiteMinute } from '../store';

const DAY_MS = 86_400_000;

/**
 * Counts tokens issued and failures per client per day, with last seen / last address, in
 * memory; `flush()` writes them in one statement in one transaction. The token endpoint never
 * writes per request. A flush that fails (the database locked or full) keeps its counts for
 * the next one, merged so that what waits stays bounded by the clients and days seen.
 */
export class UsageRecorder {
  /** Counters of the current day by client id. */
  private pending = new Map<string, ClientUsage>();
  private day = -1;
  /** Counters of earlier days, and of flushes that failed, by day and client id. */
  private done = new Map<string, ClientUsage>();
  /** Site-wide counts by minute since the last flush, for the dashboard's tokens-per-minute chart. */
  private minutes = new Map<number, SiteMinute>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  issued(clientId: string, address: string | undefined): void {
    const now = this.clock.now();
    const u = this.entry(clientId, now);
    u.issued++;
    u.lastSeen = now;
    u.lastAddress = address;
    this.minute(now).issued++;
  }

  failed(clientId: string): void {
    const now = this.clock.now();
    this.entry(clientId, now).failed++;
    this.minute(now).failed++;
  }

  flush(): void {
    // Older rows first: the newest last address of a client is the one that stays.
    const batch = [...this.done.values(), ...this.pending.values()];
    const minutes = [...this.minutes.values()];
    this.pending = new Map();
    this.done = new Map();
    this.minutes = new Map();
    if (batch.length === 0 && minutes.length === 0) return;
    try {
      this.store.usage.record(batch, minutes);
    } catch (err) {
      for (const u of batch) this.keep(u);
      for (const m of minutes) {
        const into = this.minute(m.minute * 60_000);
        into.issued += m.issued;
        into.failed += m.failed;
      }
      this.logger.error('usage flush failed; its counts are kept for the next flush', { error: err, clients: batch.length });
    }
  }

  /** Adds `u` to what waits in `done` (counts summed, the later contact kept). */
  private keep(u: ClientUsage): void {
    const key = `${u.day}:${u.clientId}`;
    const into = this.done.get(key);
    if (!into) {
      this.done.set(key, u);
      return;
    }
    into.issued += u.issued;
    into.failed += u.failed;
    if (u.lastSeen !== undefined && (into.lastSeen === undefined || u.lastSeen >= into.lastSeen)) {
      into.lastSeen = u.lastSeen;
      into.lastAddress = u.lastAddress;
    }
  }

  private minute(now: number): SiteMinute {
    const minute = Math.floor(now / 60_000);
    let m = this.minutes.get(minute);
    if (!m) {
      m = { minute, issued: 0, failed: 0 };
      this.minutes.set(minute, m);
    }
    return m;
  }

  private entry(clientId: string, now: number): ClientUsage {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      for (const u of this.pending.values()) this.keep(u);
      this.pending = new Map();
      this.day = day;
    }
    let u = this.pending.get(clientId);
    if (!u) {
      u = { clientId, day, issued: 0, failed: 0, lastSeen: undefined, lastAddress: undefined };
      this.pending.set(clientId, u);
    }
    return u;
  }
}
