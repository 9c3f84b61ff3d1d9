import type { Timers } from '../../src-main/electron/timers';

/** Timers and a clock moved by hand: `advance` runs each timer that falls due, in order. */
export class ManualTimers implements Timers {
  private time = 0;
  private nextId = 0;
  private readonly due = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.due.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  now(): number {
    return this.time;
  }

  get pending(): number {
    return this.due.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.due) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.due.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
  }
}

/** Lets promise callbacks queued so far run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
