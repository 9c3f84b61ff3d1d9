import { isCoreToShell, type CoreAddresses, type CoreFigures, type CoreToShell, type ShellToCore, type StartMessage } from './core-messages';
import type { Timers } from './timers';

export type CoreState =
  | { kind: 'starting' }
  | ({ kind: 'running' } & CoreAddresses)
  | { kind: 'restarting'; attempt: number; delayMs: number; reason: string }
  | { kind: 'stopping' }
  | { kind: 'stopped' };

/** The core's process as the supervisor sees it: an Electron `UtilityProcess` in the app. */
export interface CoreChild {
  postMessage(message: ShellToCore): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface SupervisorDeps {
  spawn(): CoreChild;
  /** Built before every start (it reads the keychain); a throw counts as a failed start. */
  startMessage(): StartMessage;
  timers: Timers;
}

export const TIMINGS = {
  firstRetryMs: 1_000,
  maxRetryMs: 30_000,
  /** A core that ran this long before it died starts the backoff afresh. */
  stableAfterMs: 60_000,
  // The first start of a large site runs migrations and makes signing keys.
  startTimeoutMs: 60_000,
  // close() lets requests in flight finish (30 s request timeout at worst) and flushes counters.
  stopTimeoutMs: 15_000,
  requestTimeoutMs: 5_000,
} as const;

/** 1 s, 2 s, 4 s … up to the cap. */
function retryDelay(attempt: number): number {
  return Math.min(TIMINGS.firstRetryMs * 2 ** (attempt - 1), TIMINGS.maxRetryMs);
}

interface Pending {
  resolve(answer: CoreToShell): void;
  reject(err: Error): void;
  timer: unknown;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Keeps one core process running: starts it, restarts it with exponential backoff when it dies
 * or fails to start (for ever: an unattended site IdP must come back by itself once, say, its
 * port is free again), restarts it at once when the operator changed the listener settings, and
 * stops it gracefully: `stop` is asked for, the core closes its database and says `stopped`,
 * then the process is ended; one that does not answer in time is killed.
 */
export class CoreSupervisor {
  private current: CoreState = { kind: 'stopped' };
  private readonly listeners = new Set<(state: CoreState) => void>();
  private wanted: 'running' | 'stopped' = 'stopped';
  private child: CoreChild | undefined;
  /** Consecutive starts that failed or died before running stably. */
  private failures = 0;
  private readyAt: number | undefined;
  /** Why the current child is going away, when it said so itself. */
  private reason: string | undefined;
  private retryTimer: unknown;
  private startTimer: unknown;
  private shuttingDown: Promise<void> | undefined;
  private childGone: (() => void) | undefined;
  private restarting: Promise<void> | undefined;
  private nextRequestId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly deps: SupervisorDeps) {}

  get state(): CoreState {
    return this.current;
  }

  onState(listener: (state: CoreState) => void): void {
    this.listeners.add(listener);
  }

  start(): void {
    if (this.wanted === 'running') return;
    this.wanted = 'running';
    this.launch();
  }

  /** Graceful stop; resolves once the process is gone (or was killed after the stop timeout). */
  async stop(): Promise<void> {
    this.wanted = 'stopped';
    this.cancelRetry();
    await this.shutdown();
    this.setState({ kind: 'stopped' });
  }

  /** Stops the core gracefully and starts it again at once, backoff reset: how new listener settings apply. */
  restart(): Promise<void> {
    if (this.wanted !== 'running') return Promise.resolve();
    this.restarting ??= (async () => {
      this.cancelRetry();
      this.failures = 0;
      await this.shutdown();
      this.restarting = undefined;
      if (this.wanted === 'running') this.launch();
    })();
    return this.restarting;
  }

  /** A console URL with a fresh single-use launch token: asked for every time the window loads. */
  async launchUrl(): Promise<string> {
    const answer = await this.request('launch-url');
    if (answer.type !== 'launch-url') throw new Error(`unexpected answer ${answer.type}`);
    return answer.url;
  }

  async figures(): Promise<CoreFigures> {
    const answer = await this.request('status');
    if (answer.type !== 'status') throw new Error(`unexpected answer ${answer.type}`);
    return { tokensLastMinute: answer.tokensLastMinute, failuresLastMinute: answer.failuresLastMinute };
  }

  private launch(): void {
    this.retryTimer = undefined;
    this.reason = undefined;
    this.readyAt = undefined;
    let start: StartMessage;
    let child: CoreChild;
    try {
      start = this.deps.startMessage();
      child = this.deps.spawn();
    } catch (err) {
      this.scheduleRetry(messageOf(err));
      return;
    }
    this.child = child;
    child.onMessage((message) => this.received(child, message));
    child.onExit((code) => this.exited(child, code));
    this.setState({ kind: 'starting' });
    this.startTimer = this.deps.timers.setTimeout(() => {
      this.reason = `the core did not start within ${TIMINGS.startTimeoutMs / 1000} s`;
      child.kill();
    }, TIMINGS.startTimeoutMs);
    child.postMessage(start);
  }

  private received(child: CoreChild, message: unknown): void {
    if (child !== this.child || !isCoreToShell(message)) return;
    switch (message.type) {
      case 'ready':
        this.deps.timers.clearTimeout(this.startTimer);
        this.readyAt = this.deps.timers.now();
        if (!this.shuttingDown) this.setState({ kind: 'running', issuer: message.issuer, protocolUrl: message.protocolUrl, adminUrl: message.adminUrl });
        return;
      case 'failed':
        this.reason = message.message;
        child.kill();
        return;
      case 'stopped':
        // The core has closed its database: ending the process loses nothing.
        child.kill();
        return;
      case 'listener-settings-changed':
        void this.restart();
        return;
      default: {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        this.deps.timers.clearTimeout(pending.timer);
        pending.resolve(message);
      }
    }
  }

  private exited(child: CoreChild, code: number): void {
    if (child !== this.child) return;
    const expected = this.childGone;
    this.detach();
    if (expected) expected();
    else this.scheduleRetry(this.reason ?? `the core exited with code ${code}`);
  }

  private scheduleRetry(reason: string): void {
    const ranStably = this.readyAt !== undefined && this.deps.timers.now() - this.readyAt >= TIMINGS.stableAfterMs;
    this.failures = ranStably ? 1 : this.failures + 1;
    const delayMs = retryDelay(this.failures);
    this.setState({ kind: 'restarting', attempt: this.failures, delayMs, reason });
    this.retryTimer = this.deps.timers.setTimeout(() => this.launch(), delayMs);
  }

  private cancelRetry(): void {
    if (this.retryTimer === undefined) return;
    this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private shutdown(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.shuttingDown ??= new Promise<void>((resolve) => {
      this.setState({ kind: 'stopping' });
      const finish = () => {
        this.deps.timers.clearTimeout(timer);
        this.childGone = undefined;
        this.shuttingDown = undefined;
        if (this.child === child) this.detach();
        resolve();
      };
      const timer = this.deps.timers.setTimeout(() => {
        child.kill();
        finish();
      }, TIMINGS.stopTimeoutMs);
      this.childGone = finish;
      child.postMessage({ type: 'stop' });
    });
    return this.shuttingDown;
  }

  /** Forgets the current child: its timers, and the requests it will never answer. */
  private detach(): void {
    this.child = undefined;
    this.deps.timers.clearTimeout(this.startTimer);
    for (const pending of this.pending.values()) {
      this.deps.timers.clearTimeout(pending.timer);
      pending.reject(new Error('the core stopped'));
    }
    this.pending.clear();
  }

  private request(type: 'launch-url' | 'status'): Promise<CoreToShell> {
    const child = this.child;
    if (!child || this.current.kind !== 'running') return Promise.reject(new Error('the IdP is not running'));
    const id = ++this.nextRequestId;
    return new Promise<CoreToShell>((resolve, reject) => {
      const timer = this.deps.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the core did not answer'));
      }, TIMINGS.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.postMessage({ type, id });
    }).then((answer) => {
      if (answer.type === 'request-failed') throw new Error(answer.message);
      return answer;
    });
  }

  private setState(state: CoreState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
