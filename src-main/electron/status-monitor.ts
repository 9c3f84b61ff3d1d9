import type { CoreFigures } from './core-messages';
import type { CoreState } from './supervisor';
import type { Timers } from './timers';

export interface ShellStatus {
  core: CoreState;
  /** Tokens and failures in the last full minute, while running and once asked. */
  figures: CoreFigures | undefined;
}

export interface StatusSource {
  readonly state: CoreState;
  onState(listener: (state: CoreState) => void): void;
  figures(): Promise<CoreFigures>;
}

/** The supervisor's state plus the core's figures, asked for every `intervalMs` while it runs. */
export class StatusMonitor {
  private status: ShellStatus;
  private readonly listeners = new Set<(status: ShellStatus) => void>();
  private timer: unknown;
  /** Bumped on every state change, so an answer to an older poll is dropped. */
  private generation = 0;

  constructor(
    private readonly source: StatusSource,
    private readonly timers: Timers,
    private readonly intervalMs = 10_000,
  ) {
    this.status = { core: source.state, figures: undefined };
    source.onState((state) => this.changed(state));
    if (source.state.kind === 'running') void this.poll();
  }

  get current(): ShellStatus {
    return this.status;
  }

  onStatus(listener: (status: ShellStatus) => void): void {
    this.listeners.add(listener);
  }

  private changed(state: CoreState): void {
    this.timers.clearTimeout(this.timer);
    this.generation++;
    this.emit({ core: state, figures: undefined });
    if (state.kind === 'running') void this.poll();
  }

  private async poll(): Promise<void> {
    const generation = this.generation;
    try {
      const figures = await this.source.figures();
      if (generation === this.generation) this.emit({ core: this.status.core, figures });
    } catch {
      // A core that does not answer keeps its last figures; its state change tells the rest.
    }
    if (generation === this.generation) this.timer = this.timers.setTimeout(() => void this.poll(), this.intervalMs);
  }

  private emit(status: ShellStatus): void {
    this.status = status;
    for (const listener of this.listeners) listener(status);
  }
}
