import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate } from '../../src-main/electron/app-menu';
import type { CoreFigures } from '../../src-main/electron/core-messages';
import { StatusMonitor, type ShellStatus, type StatusSource } from '../../src-main/electron/status-monitor';
import { statusPageUrl } from '../../src-main/electron/status-page';
import { describeCoreState, shorten } from '../../src-main/electron/status-text';
import type { CoreState } from '../../src-main/electron/supervisor';
import { trayIconPath, trayMenuTemplate, trayTooltip } from '../../src-main/electron/tray-menu';
import { ManualTimers, settle } from '../helpers/manual-timers';

const RUNNING: CoreState = { kind: 'running', issuer: 'https://idp.site.lan:4800', protocolUrl: 'http://0.0.0.0:4800', adminUrl: 'http://127.0.0.1:50000' };
const RESTARTING: CoreState = { kind: 'restarting', attempt: 3, delayMs: 3_500, reason: 'listen EADDRINUSE: address already in use 0.0.0.0:4800' };

describe('status text', () => {
  it('names every state in one line', () => {
    expect(describeCoreState({ kind: 'starting' })).toBe('Starting…');
    expect(describeCoreState(RUNNING)).toBe('Running');
    expect(describeCoreState(RESTARTING)).toBe('Restarting in 4 s (attempt 3)');
    expect(describeCoreState({ kind: 'stopping' })).toBe('Stopping…');
    expect(describeCoreState({ kind: 'stopped' })).toBe('Stopped');
  });

  it('cuts long messages to one line', () => {
    expect(shorten('a\n  b')).toBe('a b');
    expect(shorten('x'.repeat(150))).toBe(`${'x'.repeat(99)}…`);
    expect(shorten('x'.repeat(100))).toHaveLength(100);
  });
});

describe('status page', () => {
  const html = (url: string) => {
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    return decodeURIComponent(url.slice('data:text/html;charset=utf-8,'.length));
  };

  it('shows the state and why, with every dynamic text escaped and a CSP that allows no script', () => {
    const page = html(statusPageUrl({ ...RESTARTING, reason: 'bad <script>alert("x")</script> & more' }));
    expect(page).toContain('<h1>Offline IdP: Restarting in 4 s (attempt 3)</h1>');
    expect(page).toContain('It stopped: bad &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(page).not.toContain('<script>');
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('has a line for every state and adds the problem given', () => {
    for (const state of [{ kind: 'starting' }, { kind: 'stopping' }, { kind: 'stopped' }, RUNNING] as CoreState[]) {
      expect(html(statusPageUrl(state))).toMatch(/<p>[^<]+<\/p>/);
    }
    expect(html(statusPageUrl(RUNNING, "The console could not be opened: it's late"))).toContain('<p>The console could not be opened: it&#39;s late</p>');
  });
});

class FakeSource implements StatusSource {
  state: CoreState = { kind: 'starting' };
  private listener: (state: CoreState) => void = () => undefined;
  answers: (() => Promise<CoreFigures>)[] = [];
  figures = vi.fn(() => (this.answers.shift() ?? (async () => ({ tokensLastMinute: 0, failuresLastMinute: 0 })))());
  onState(listener: (state: CoreState) => void): void {
    this.listener = listener;
  }
  set(state: CoreState): void {
    this.state = state;
    this.listener(state);
  }
}

describe('status monitor', () => {
  it('asks the running core for its figures at once and then every 10 s, and stops asking when it stops', async () => {
    const source = new FakeSource();
    const timers = new ManualTimers();
    const monitor = new StatusMonitor(source, timers);
    const seen: ShellStatus[] = [];
    monitor.onStatus((s) => seen.push(s));
    expect(monitor.current).toEqual({ core: { kind: 'starting' }, figures: undefined });
    source.answers.push(async () => ({ tokensLastMinute: 5, failuresLastMinute: 1 }));
    source.set(RUNNING);
    await settle();
    expect(monitor.current).toEqual({ core: RUNNING, figures: { tokensLastMinute: 5, failuresLastMinute: 1 } });
    source.answers.push(async () => ({ tokensLastMinute: 9, failuresLastMinute: 0 }));
    timers.advance(9_999);
    expect(source.figures).toHaveBeenCalledTimes(1);
    timers.advance(1);
    await settle();
    expect(monitor.current.figures).toEqual({ tokensLastMinute: 9, failuresLastMinute: 0 });
    source.set(RESTARTING);
    expect(monitor.current).toEqual({ core: RESTARTING, figures: undefined });
    timers.advance(60_000);
    expect(source.figures).toHaveBeenCalledTimes(2);
    expect(seen.map((s) => [s.core.kind, s.figures?.tokensLastMinute])).toEqual([
      ['running', undefined],
      ['running', 5],
      ['running', 9],
      ['restarting', undefined],
    ]);
  });

  it('drops an answer that arrives after the state changed, and keeps polling after a failed ask', async () => {
    const source = new FakeSource();
    source.state = RUNNING;
    const timers = new ManualTimers();
    let late: (figures: CoreFigures) => void = () => undefined;
    source.answers.push(() => new Promise((resolve) => (late = resolve)));
    const monitor = new StatusMonitor(source, timers);
    expect(source.figures).toHaveBeenCalledTimes(1);
    source.set({ kind: 'stopping' });
    late({ tokensLastMinute: 99, failuresLastMinute: 0 });
    await settle();
    expect(monitor.current).toEqual({ core: { kind: 'stopping' }, figures: undefined });
    expect(timers.pending).toBe(0);

    source.answers.push(async () => Promise.reject(new Error('the core did not answer')));
    source.set(RUNNING);
    await settle();
    expect(monitor.current.figures).toBeUndefined();
    timers.advance(10_000);
    await settle();
    expect(source.figures).toHaveBeenCalledTimes(3);
    expect(monitor.current.figures).toEqual({ tokensLastMinute: 0, failuresLastMinute: 0 });
  });
});

describe('tray', () => {
  const actions = () => ({ openConsole: vi.fn(), copyText: vi.fn(), quit: vi.fn() });
  const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => (i.type === 'separator' ? '---' : `${i.label}${i.enabled === false ? ' (disabled)' : ''}`));
  const click = (items: MenuItemConstructorOptions[], label: string) =>
    (items.find((i) => i.label === label)?.click as () => void)();

  it('shows status, listening address and tokens/min while running, and copies the issuer', () => {
    const a = actions();
    const items = trayMenuTemplate({ core: RUNNING, figures: { tokensLastMinute: 1250, failuresLastMinute: 3 } }, a);
    expect(labels(items)).toEqual([
      'Running (disabled)',
      'Listening on http://0.0.0.0:4800 (disabled)',
      '1250 tokens/min, 3 failed (disabled)',
      '---',
      'Open console',
      'Copy issuer URL',
      '---',
      'Quit Offline IdP',
    ]);
    click(items, 'Copy issuer URL');
    expect(a.copyText).toHaveBeenCalledWith('https://idp.site.lan:4800');
    click(items, 'Open console');
    expect(a.openConsole).toHaveBeenCalledTimes(1);
    click(items, 'Quit Offline IdP');
    expect(a.quit).toHaveBeenCalledTimes(1);
    expect(labels(trayMenuTemplate({ core: RUNNING, figures: undefined }, a))[2]).toBe('Tokens/min: counting… (disabled)');
  });

  it('shows the restart countdown and its reason, and has no issuer to copy while not running', () => {
    const a = actions();
    const items = trayMenuTemplate({ core: RESTARTING, figures: undefined }, a);
    expect(labels(items).slice(0, 2)).toEqual(['Restarting in 4 s (attempt 3) (disabled)', 'listen EADDRINUSE: address already in use 0.0.0.0:4800 (disabled)']);
    expect(labels(items)).toContain('Copy issuer URL (disabled)');
    click(items, 'Copy issuer URL');
    expect(a.copyText).not.toHaveBeenCalled();
    expect(labels(trayMenuTemplate({ core: { kind: 'stopped' }, figures: undefined }, a))[0]).toBe('Stopped (disabled)');
  });

  it('says the state in its tooltip and icon', () => {
    expect(trayTooltip({ core: RUNNING, figures: undefined })).toBe('Offline IdP: running on http://0.0.0.0:4800');
    expect(trayTooltip({ core: RESTARTING, figures: undefined })).toBe('Offline IdP: Restarting in 4 s (attempt 3)');
    const up = { core: RUNNING, figures: undefined };
    const down = { core: { kind: 'starting' } as CoreState, figures: undefined };
    expect(trayIconPath('/r/tray', 'win32', up)).toBe(join('/r/tray', 'tray.png'));
    expect(trayIconPath('/r/tray', 'linux', down)).toBe(join('/r/tray', 'tray-down.png'));
    expect(trayIconPath('/r/tray', 'darwin', up)).toBe(join('/r/tray', 'trayTemplate.png'));
    expect(trayIconPath('/r/tray', 'darwin', down)).toBe(join('/r/tray', 'tray-downTemplate.png'));
  });
});

describe('application menu', () => {
  it('reloads the console through a fresh launch URL, keeps Edit for copy and paste, and offers DevTools only from a checkout', () => {
    const reloadConsole = vi.fn();
    const linux = applicationMenuTemplate({ platform: 'linux', devTools: false, reloadConsole });
    expect(linux[0]).toEqual({ label: 'File', submenu: [{ role: 'quit' }] });
    expect(linux.slice(1).map((m) => m.role ?? m.label)).toEqual(['editMenu', 'View', 'windowMenu']);
    const view = linux[2]?.submenu as MenuItemConstructorOptions[];
    const reload = view.find((i) => i.label === 'Reload console');
    expect(reload?.accelerator).toBe('CmdOrCtrl+R');
    (reload?.click as () => void)();
    expect(reloadConsole).toHaveBeenCalledTimes(1);
    expect(view.some((i) => i.role === 'toggleDevTools' || i.role === 'reload' || i.role === 'forceReload')).toBe(false);

    const mac = applicationMenuTemplate({ platform: 'darwin', devTools: true, reloadConsole });
    expect(mac[0]).toEqual({ role: 'appMenu' });
    expect((mac[2]?.submenu as MenuItemConstructorOptions[]).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
