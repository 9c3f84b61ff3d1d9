import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store, ClientUsage } from '../store';

/**
 * Counts tokens issued and failures per client per minute, plus last seen / last address, in
 * memory; `flush()` writes them in one transaction. The token endpoint never writes per request.
 */
export class UsageRecorder {
  /** Counters of the current minute by client id; earlier minutes wait in `done` for the flush. */
  private pending = new Map<string, ClientUsage>();
  private minute = -1;
  private done: ClientUsage[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  issued(clientId: string, address: string | undefined): void {
    const u = this.entry(clientId);
    u.issued++;
    u.lastSeen = this.clock.now();
    u.lastAddress = address;
  }

  failed(clientId: string): void {
    this.entry(clientId).failed++;
  }

  flush(): void {
    const batch = [...this.done, ...this.pending.values()];
    this.pending = new Map();
    this.done = [];
    if (batch.length === 0) return;
    try {
      this.store.usage.record(batch);
    } catch (err) {
      this.logger.error('usage flush failed', { error: err, clients: batch.length });
    }
  }

  private entry(clientId: string): ClientUsage {
    const minute = Math.floor(this.clock.now() / 60_000);
    if (minute !== this.minute) {
      for (const u of this.pending.values()) this.done.push(u);
      this.pending = new Map();
      this.minute = minute;
    }
    let u = this.pending.get(clientId);
    if (!u) {
      u = { clientId, minute, issued: 0, failed: 0, lastSeen: 0, lastAddress: undefined };
      this.pending.set(clientId, u);
    }
    return u;
  }
}
