import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AuditEvent, RepeatedAuditEvent, Store } from '../store';

const MINUTE_MS = 60_000;
/** Distinct sources kept apart per budget and minute; the rest share one overflow row. */
export const MAX_SOURCES_PER_MINUTE = 500;

export interface Repeat extends Omit<AuditEvent, 'at'> {
  /** What tells repeats apart besides the action (an address, a client id and a reason...). */
  source: string;
  /** Which share of MAX_SOURCES_PER_MINUTE the source uses; the action's own unless given. */
  budget?: string;
}

/**
 * Security events that a caller can cause at will (a throttled sign-in, a failed client
 * authentication), counted in memory and written by `flush()` as one audit row per action,
 * source and minute with a count: an attacker grows neither the database by a row per request
 * nor the request path by a write. Memory is bounded too: past MAX_SOURCES_PER_MINUTE new
 * sources in a budget's minute (a flood of made-up client ids from many addresses), repeats go
 * into one overflow row whose count says how many more there were.
 */
export class RepeatedEvents {
  /** Counts since the last flush, by action, source and minute. */
  private pending = new Map<string, RepeatedAuditEvent>();
  private overflow = new Map<string, RepeatedAuditEvent>();
  /** The sources admitted in the current minute, by budget. */
  private admitted = new Map<string, Set<string>>();
  private minute = -1;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  record(repeat: Repeat): void {
    const at = this.clock.now();
    const minute = Math.floor(at / MINUTE_MS);
    if (minute !== this.minute) {
      this.minute = minute;
      this.admitted = new Map();
    }
    const { source, budget = repeat.action, ...event } = repeat;
    const key = JSON.stringify([event.action, source, minute]);
    const counted = this.pending.get(key);
    if (counted) {
      counted.count++;
      return;
    }
    let sources = this.admitted.get(budget);
    if (!sources) this.admitted.set(budget, (sources = new Set()));
    // A flush that keeps failing must not let pending rows pile up minute after minute either.
    if (sources.has(source) || (sources.size < MAX_SOURCES_PER_MINUTE && this.pending.size < 4 * MAX_SOURCES_PER_MINUTE)) {
      sources.add(source);
      this.pending.set(key, { ...event, at, source, count: 1 });
      return;
    }
    const spill = this.overflow.get(budget);
    if (spill) spill.count++;
    else {
      this.overflow.set(budget, {
        at,
        actor: 'system',
        action: event.action,
        details: { overflow: true, note: `repeats from more than ${MAX_SOURCES_PER_MINUTE} sources in one minute, not told apart` },
        source: `overflow ${budget}`,
        count: 1,
      });
    }
  }

  /** Writes every count in one transaction; a failed write keeps them for the next flush. */
  flush(): void {
    if (this.pending.size === 0 && this.overflow.size === 0) return;
    try {
      this.store.audit.repeated([...this.pending.values(), ...this.overflow.values()]);
      this.pending = new Map();
      this.overflow = new Map();
    } catch (err) {
      this.logger.error('audit flush failed; counts kept for the next flush', { error: err, rows: this.pending.size + this.overflow.size });
    }
  }
}
