import { describe, expect, it } from 'vitest';
import type { ShellToCore, StartMessage } from '../../src-main/electron/core-messages';
import { CoreSupervisor, TIMINGS, type CoreChild, type CoreState } from '../../src-main/electron/supervisor';
import { ManualTimers, settle } from '../helpers/manual-timers';

class FakeChild implements CoreChild {
  readonly sent: ShellToCore[] = [];
  kills = 0;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly exitListeners: ((code: number) => void)[] = [];

  postMessage(message: ShellToCore): void {
    this.sent.push(message);
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number) => void): void {
    this.exitListeners.push(listener);
  }
  kill(): void {
    this.kills++;
  }
  emit(message: unknown): void {
    for (const listener of this.messageListeners) listener(message);
  }
  exit(code = 0): void {
    for (const listener of this.exitListeners) listener(code);
  }
  ready(port = 4800, adminPort = 50000): void {
    this.emit({ type: 'ready', issuer: `http://127.0.0.1:${port}`, protocolUrl: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${adminPort}` });
  }
  lastRequest(): { type: string; id: number } {
    return this.sent.at(-1) as { type: string; id: number };
  }
}

const START: StartMessage = { type: 'start', dataDir: '/data', keyEncryptionKey: 'a2V5' };

function setup(startMessage: () => StartMessage = () => START) {
  const timers = new ManualTimers();
  const children: FakeChild[] = [];
  const supervisor = new CoreSupervisor({
    spawn: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    startMessage,
    timers,
  });
  const states: CoreState[] = [];
  supervisor.onState((state) => states.push(state));
  const child = (i: number) => children[i] as FakeChild;
  return { supervisor, timers, children, child, states };
}

describe('supervisor: start', () => {
  it('spawns the core, sends it the start message, and runs once it is ready', () => {
    const { supervisor, children, child, states } = setup();
    expect(supervisor.state.kind).toBe('stopped');
    supervisor.start();
    supervisor.start();
    expect(children).toHaveLength(1);
    expect(child(0).sent).toEqual([START]);
    expect(supervisor.state).toEqual({ kind: 'starting' });
    child(0).ready();
    expect(supervisor.state).toEqual({ kind: 'running', issuer: 'http://127.0.0.1:4800', protocolUrl: 'http://127.0.0.1:4800', adminUrl: 'http://127.0.0.1:50000' });
    expect(states.map((s) => s.kind)).toEqual(['starting', 'running']);
  });

  it('ignores messages of the wrong shape', () => {
    const { supervisor, child } = setup();
    supervisor.start();
    child(0).emit({ type: 'ready', issuer: 1 });
    child(0).emit('ready');
    child(0).emit(null);
    expect(supervisor.state.kind).toBe('starting');
  });
});

describe('supervisor: restarts with backoff', () => {
  it('restarts a core that died after 1 s, then 2, 4, 8, 16 s, capped at 30 s', () => {
    const { supervisor, timers, children, child } = setup();
    supervisor.start();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      child(i).exit(1);
      const state = supervisor.state;
      if (state.kind !== 'restarting') throw new Error(`expected restarting, got ${state.kind}`);
      expect(state.attempt).toBe(i + 1);
      expect(state.reason).toBe('the core exited with code 1');
      delays.push(state.delayMs);
      timers.advance(state.delayMs - 1);
      expect(children).toHaveLength(i + 1);
      timers.advance(1);
      expect(children).toHaveLength(i + 2);
      expect(supervisor.state.kind).toBe('starting');
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('starts the backoff afresh after a core ran stably for a minute', () => {
    const { supervisor, timers, child } = setup();
    supervisor.start();
    for (let i = 0; i < 3; i++) {
      child(i).exit(1);
      timers.advance(TIMINGS.maxRetryMs);
    }
    child(3).ready();
    timers.advance(59_000);
    child(3).exit(1);
    expect(supervisor.state).toMatchObject({ kind: 'restarting', attempt: 4, delayMs: 8_000 });
    timers.advance(8_000);
    child(4).ready();
    timers.advance(60_000);
    child(4).exit(1);
    expect(supervisor.state).toMatchObject({ kind: 'restarting', attempt: 1, delayMs: 1_000 });
  });

  it('shows why a start failed, ends that process, and retries', () => {
    const { supervisor, timers, children, child } = setup();
    supervisor.start();
    child(0).emit({ type: 'failed', message: 'listen EADDRINUSE: address already in use 127.0.0.1:4800' });
    expect(child(0).kills).toBe(1);
    child(0).exit(1);
    expect(supervisor.state).toEqual({ kind: 'restarting', attempt: 1, delayMs: 1_000, reason: 'listen EADDRINUSE: address already in use 127.0.0.1:4800' });
    timers.advance(1_000);
    expect(children).toHaveLength(2);
  });

  it('kills a core that does not become ready within the start timeout, and retries', () => {
    const { supervisor, timers, child } = setup();
    supervisor.start();
    timers.advance(TIMINGS.startTimeoutMs - 1);
    expect(child(0).kills).toBe(0);
    timers.advance(1);
    expect(child(0).kills).toBe(1);
    child(0).exit(15);
    expect(supervisor.state).toMatchObject({ kind: 'restarting', reason: 'the core did not start within 60 s' });
  });

  it('does not kill a core that became ready in time', () => {
    const { supervisor, timers, child } = setup();
    supervisor.start();
    child(0).ready();
    timers.advance(TIMINGS.startTimeoutMs * 2);
    expect(child(0).kills).toBe(0);
    expect(supervisor.state.kind).toBe('running');
  });

  it('counts a start message that cannot be built (keychain locked) as a failed start', () => {
    let locked = true;
    const { supervisor, timers, children } = setup(() => {
      if (locked) throw new Error('the OS keychain is not available');
      return START;
    });
    supervisor.start();
    expect(children).toHaveLength(0);
    expect(supervisor.state).toEqual({ kind: 'restarting', attempt: 1, delayMs: 1_000, reason: 'the OS keychain is not available' });
    timers.advance(1_000);
    expect(supervisor.state).toMatchObject({ kind: 'restarting', attempt: 2 });
    locked = false;
    timers.advance(2_000);
    expect(children).toHaveLength(1);
    expect(supervisor.state.kind).toBe('starting');
  });

  it('shows a non-Error throw as text', () => {
    const { supervisor } = setup(() => {
      throw 'no key';
    });
    supervisor.start();
    expect(supervisor.state).toMatchObject({ kind: 'restarting', reason: 'no key' });
  });

  it('ignores what a replaced process still says', () => {
    const { supervisor, timers, child } = setup();
    supervisor.start();
    child(0).exit(1);
    timers.advance(1_000);
    child(0).ready();
    child(0).exit(1);
    expect(supervisor.state.kind).toBe('starting');
  });
});

describe('supervisor: stop', () => {
  it('asks the core to stop, ends the process once it closed its database, and starts nothing after', async () => {
    const { supervisor, timers, children, child, states } = setup();
    supervisor.start();
    child(0).ready();
    let done = false;
    const stopping = supervisor.stop().then(() => (done = true));
    expect(supervisor.state.kind).toBe('stopping');
    expect(child(0).sent.at(-1)).toEqual({ type: 'stop' });
    expect(child(0).kills).toBe(0);
    child(0).emit({ type: 'stopped' });
    expect(child(0).kills).toBe(1);
    await settle();
    expect(done).toBe(false);
    child(0).exit(0);
    await stopping;
    expect(supervisor.state.kind).toBe('stopped');
    expect(states.map((s) => s.kind)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    timers.advance(10 * 60_000);
    expect(children).toHaveLength(1);
    expect(timers.pending).toBe(0);
  });

  it('kills a core that does not stop within the stop timeout, and ignores its later exit', async () => {
    const { supervisor, timers, children, child } = setup();
    supervisor.start();
    child(0).ready();
    const stopping = supervisor.stop();
    timers.advance(TIMINGS.stopTimeoutMs - 1);
    expect(child(0).kills).toBe(0);
    timers.advance(1);
    expect(child(0).kills).toBe(1);
    await stopping;
    expect(supervisor.state.kind).toBe('stopped');
    child(0).exit(1);
    timers.advance(60_000);
    expect(children).toHaveLength(1);
    expect(supervisor.state.kind).toBe('stopped');
  });

  it('cancels a pending restart', async () => {
    const { supervisor, timers, children, child } = setup();
    supervisor.start();
    child(0).exit(1);
    await supervisor.stop();
    timers.advance(60_000);
    expect(children).toHaveLength(1);
    expect(supervisor.state.kind).toBe('stopped');
  });

  it('stays stopping when a core that was starting becomes ready, and stops it', async () => {
    const { supervisor, child } = setup();
    supervisor.start();
    const stopping = supervisor.stop();
    child(0).ready();
    expect(supervisor.state.kind).toBe('stopping');
    child(0).emit({ type: 'stopped' });
    child(0).exit(0);
    await stopping;
    expect(supervisor.state.kind).toBe('stopped');
  });

  it('treats a crash during the stop as the end of the stop', async () => {
    const { supervisor, timers, children, child } = setup();
    supervisor.start();
    child(0).ready();
    const stopping = supervisor.stop();
    child(0).exit(134);
    await stopping;
    expect(supervisor.state.kind).toBe('stopped');
    timers.advance(60_000);
    expect(children).toHaveLength(1);
  });
});

describe('supervisor: restart for new listener settings', () => {
  it('stops the core gracefully and starts a new one at once when the operator saved listener settings', async () => {
    const { supervisor, timers, children, child } = setup();
    supervisor.start();
    child(0).exit(1);
    timers.advance(1_000);
    child(1).ready();
    child(1).emit({ type: 'listener-settings-changed' });
    expect(supervisor.state.kind).toBe('stopping');
    expect(child(1).sent.at(-1)).toEqual({ type: 'stop' });
    child(1).emit({ type: 'stopped' });
    child(1).exit(0);
    await settle();
    expect(children).toHaveLength(3);
    expect(child(2).sent).toEqual([START]);
    expect(supervisor.state.kind).toBe('starting');
    child(2).ready(8443);
    expect(supervisor.state).toMatchObject({ kind: 'running', protocolUrl: 'http://127.0.0.1:8443' });
    // The failure count started afresh: the next crash waits 1 s.
    child(2).exit(1);
    expect(supervisor.state).toMatchObject({ kind: 'restarting', attempt: 1, delayMs: 1_000 });
  });

  it('restarts at once from a pending retry, and a restart asked for twice happens once', async () => {
    const { supervisor, children, child } = setup();
    supervisor.start();
    child(0).exit(1);
    await Promise.all([supervisor.restart(), supervisor.restart()]);
    expect(children).toHaveLength(2);
    expect(supervisor.state.kind).toBe('starting');
  });

  it('does nothing once stopped, and a stop during a restart wins', async () => {
    const { supervisor, children, child } = setup();
    await supervisor.restart();
    expect(children).toHaveLength(0);
    supervisor.start();
    child(0).ready();
    const restarting = supervisor.restart();
    const stopping = supervisor.stop();
    child(0).emit({ type: 'stopped' });
    child(0).exit(0);
    await Promise.all([restarting, stopping]);
    expect(children).toHaveLength(1);
    expect(supervisor.state.kind).toBe('stopped');
  });
});

describe('supervisor: requests to the core', () => {
  it('asks for a new launch URL each time and matches answers to requests by id', async () => {
    const { supervisor, child } = setup();
    supervisor.start();
    child(0).ready();
    const first = supervisor.launchUrl();
    const firstId = child(0).lastRequest();
    const second = supervisor.launchUrl();
    const secondId = child(0).lastRequest();
    expect(firstId.type).toBe('launch-url');
    expect(secondId.id).not.toBe(firstId.id);
    child(0).emit({ type: 'launch-url', id: secondId.id, url: 'http://127.0.0.1:50000/#launch=two' });
    child(0).emit({ type: 'launch-url', id: firstId.id, url: 'http://127.0.0.1:50000/#launch=one' });
    expect(await first).toBe('http://127.0.0.1:50000/#launch=one');
    expect(await second).toBe('http://127.0.0.1:50000/#launch=two');
  });

  it('returns the core\'s figures', async () => {
    const { supervisor, child } = setup();
    supervisor.start();
    child(0).ready();
    const figures = supervisor.figures();
    child(0).emit({ type: 'status', id: child(0).lastRequest().id, tokensLastMinute: 120, failuresLastMinute: 3 });
    expect(await figures).toEqual({ tokensLastMinute: 120, failuresLastMinute: 3 });
  });

  it('rejects when the core refuses, answers the wrong kind, does not answer, or stops', async () => {
    const { supervisor, timers, child } = setup();
    supervisor.start();
    child(0).ready();
    const refused = supervisor.launchUrl();
    child(0).emit({ type: 'request-failed', id: child(0).lastRequest().id, message: 'the IdP is not running' });
    await expect(refused).rejects.toThrow('the IdP is not running');
    const mismatched = supervisor.figures();
    child(0).emit({ type: 'launch-url', id: child(0).lastRequest().id, url: 'http://x' });
    await expect(mismatched).rejects.toThrow('unexpected answer launch-url');
    const mismatchedUrl = supervisor.launchUrl();
    child(0).emit({ type: 'status', id: child(0).lastRequest().id, tokensLastMinute: 0, failuresLastMinute: 0 });
    await expect(mismatchedUrl).rejects.toThrow('unexpected answer status');
    const silent = supervisor.launchUrl();
    timers.advance(TIMINGS.requestTimeoutMs);
    await expect(silent).rejects.toThrow('the core did not answer');
    child(0).emit({ type: 'launch-url', id: child(0).lastRequest().id, url: 'late' });
    const orphan = supervisor.launchUrl();
    child(0).exit(1);
    await expect(orphan).rejects.toThrow('the core stopped');
    expect(timers.pending).toBe(1); // only the restart is left: request timers are cleared
  });

  it('refuses at once while the core is not running', async () => {
    const { supervisor, child } = setup();
    await expect(supervisor.launchUrl()).rejects.toThrow('the IdP is not running');
    supervisor.start();
    await expect(supervisor.figures()).rejects.toThrow('the IdP is not running');
    expect(child(0).sent).toEqual([START]);
  });
});
