import type { CoreState } from './supervisor';

/** The window as the view needs it (a BrowserWindow in the app). */
export interface ConsoleWindow {
  loadURL(url: string): Promise<void>;
  reveal(): void;
  onClosed(listener: () => void): void;
}

export interface ConsoleViewDeps {
  createWindow(): ConsoleWindow;
  /** A console URL with a fresh single-use launch token. */
  launchUrl(): Promise<string>;
  statusPage(state: CoreState, problem?: string): string;
}

/**
 * What the window shows: the console while the core runs, a status page otherwise. Every load
 * of the console asks the core for a new launch URL, because a launch token opens one session
 * once: a window reopened, reloaded or pointed at a restarted core never reuses one.
 */
export class ConsoleView {
  private window: ConsoleWindow | undefined;
  private loads = 0;

  constructor(
    private readonly deps: ConsoleViewDeps,
    private state: CoreState,
  ) {}

  /** Brings the window forward, creating it (and loading the current page) if it was closed. */
  open(): void {
    if (this.window) return this.window.reveal();
    const window = this.deps.createWindow();
    this.window = window;
    window.onClosed(() => {
      if (this.window === window) this.window = undefined;
    });
    void this.load();
  }

  update(state: CoreState): void {
    this.state = state;
    void this.load();
  }

  reload(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    const window = this.window;
    if (!window) return;
    const load = ++this.loads;
    const state = this.state;
    let url: string;
    if (state.kind === 'running') {
      try {
        url = await this.deps.launchUrl();
      } catch (err) {
        url = this.deps.statusPage(state, `The console could not be opened: ${(err as Error).message}`);
      }
    } else {
      url = this.deps.statusPage(state);
    }
    // A newer load, or a closed window, makes this one moot.
    if (load !== this.loads || this.window !== window) return;
    // A load replaced by a newer one rejects (ERR_ABORTED); a failed one shows Chromium's error page.
    await window.loadURL(url).catch(() => undefined);
  }
}
