import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store, ClientUsage, SiteMinute } from '../store';

const DAY_MS = 86_400_000;

/**
 * Counts tokens issued and failures per client per day, with last seen / last address, in
 * memory; `flush()` writes them in one statement in one transaction. The token endpoint never
 * writes per request.
 */
export class UsageRecorder {
  /** Counters of the current day by client id; earlier days wait in `done` for the flush. */
  private pending = new Map<string, ClientUsage>();
  private day = -1;
  private done: ClientUsage[] = [];
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
    const batch = [...this.done, ...this.pending.values()];
    const minutes = [...this.minutes.values()];
    this.pending = new Map();
    this.done = [];
    this.minutes = new Map();
    if (batch.length === 0 && minutes.length === 0) return;
    try {
      this.store.usage.record(batch, minutes);
    } catch (err) {
      this.logger.error('usage flush failed', { error: err, clients: batch.length });
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
      for (const u of this.pending.values()) this.done.push(u);
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
