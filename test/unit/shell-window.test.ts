import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { CONSOLE_CSP as CORE_CONSOLE_CSP } from '../../src-main/core/admin/console-files';
import { ConsoleView, type ConsoleWindow } from '../../src-main/electron/console-view';
import { CONSOLE_CSP, CONSOLE_PARTITION, hardenConsoleSession, isAllowedRequest, withConsoleCsp } from '../../src-main/electron/session-policy';
import type { CoreState } from '../../src-main/electron/supervisor';
import { consoleWindowOptions } from '../../src-main/electron/window-options';
import { settle } from '../helpers/manual-timers';

const CONSOLE = 'http://127.0.0.1:50000';

describe('console window options', () => {
  it('are hardened: isolated, sandboxed, no Node anywhere, web security on, no webview, own session', () => {
    const options = consoleWindowOptions('/app/out/preload/index.cjs', '/app/resources/icon.png');
    expect(options.show).toBe(false);
    expect(options.icon).toBe('/app/resources/icon.png');
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      partition: 'persist:console',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    });
    expect(CONSOLE_PARTITION).toBe('persist:console');
  });
});

function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources.sort()]),
  );
}

describe('console session', () => {
  function fakeSession() {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
      setSpellCheckerEnabled: vi.fn(),
      webRequest: {
        onBeforeRequest: (h: never) => (handlers.beforeRequest = h),
        onHeadersReceived: (h: never) => (handlers.headers = h),
      },
    };
    return { session, handlers };
  }

  function hardened(origin: string | undefined) {
    const { session, handlers } = fakeSession();
    hardenConsoleSession(session as unknown as Session, () => origin);
    const call = <T>(name: string, ...args: unknown[]): T => (handlers[name] as (...a: unknown[]) => T)(...args);
    const answer = (name: string, details: unknown) => {
      let result: unknown;
      call(name, details, (r: unknown) => (result = r));
      return result;
    };
    return { session, call, answer };
  }

  it('denies every permission request and check, and every device, to every page', () => {
    const { call } = hardened(CONSOLE);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'hid', 'serial', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      call('request', {}, permission, callback, { requestingUrl: `${CONSOLE}/` });
      expect(callback).toHaveBeenCalledWith(false);
      expect(call('check', {}, permission, CONSOLE, {})).toBe(false);
    }
    expect(call('device', { deviceType: 'usb' })).toBe(false);
  });

  it('lets the console alone write to the clipboard (its Copy buttons)', () => {
    const { call } = hardened(CONSOLE);
    const request = (url: string) => {
      const callback = vi.fn();
      call('request', {}, 'clipboard-sanitized-write', callback, { requestingUrl: url });
      return callback.mock.calls[0]?.[0];
    };
    expect(request(`${CONSOLE}/clients/scanner-0001`)).toBe(true);
    expect(request('https://evil.example/')).toBe(false);
    expect(request('data:text/html,x')).toBe(false);
    expect(call('check', {}, 'clipboard-sanitized-write', CONSOLE, {})).toBe(true);
    expect(call('check', {}, 'clipboard-sanitized-write', 'http://127.0.0.1:4800', {})).toBe(false);
    const stopped = hardened(undefined);
    expect(stopped.call('check', {}, 'clipboard-sanitized-write', CONSOLE, {})).toBe(false);
  });

  it('turns off the spelling checker, which would download dictionaries', () => {
    const { session } = hardened(CONSOLE);
    expect(session.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
  });

  it('lets requests reach the console and local schemes only', () => {
    const { answer } = hardened(CONSOLE);
    expect(answer('beforeRequest', { url: `${CONSOLE}/api/clients` })).toEqual({ cancel: false });
    expect(answer('beforeRequest', { url: 'data:text/html,status' })).toEqual({ cancel: false });
    expect(answer('beforeRequest', { url: 'https://fonts.example/font.woff2' })).toEqual({ cancel: true });
    expect(answer('beforeRequest', { url: 'http://127.0.0.1:4800/.well-known/openid-configuration' })).toEqual({ cancel: true });
    expect(isAllowedRequest('blob:http://127.0.0.1:50000/1234', CONSOLE)).toBe(true);
    expect(isAllowedRequest('::::', CONSOLE)).toBe(false);
  });

  it('adds the console CSP to every response from the console, beside the core\'s own', () => {
    const { answer } = hardened(CONSOLE);
    expect(answer('headers', { url: `${CONSOLE}/`, responseHeaders: { 'Content-Security-Policy': ["default-src 'self'"], 'X-Frame-Options': ['DENY'] } })).toEqual({
      responseHeaders: { 'Content-Security-Policy': ["default-src 'self'", CONSOLE_CSP], 'X-Frame-Options': ['DENY'] },
    });
    expect(answer('headers', { url: `${CONSOLE}/assets/app.js` })).toEqual({ responseHeaders: { 'Content-Security-Policy': [CONSOLE_CSP] } });
    expect(answer('headers', { url: 'http://127.0.0.1:4800/', responseHeaders: {} })).toEqual({});
    expect(withConsoleCsp({ 'content-security-policy': ['a'] })).toEqual({ 'content-security-policy': ['a', CONSOLE_CSP] });
  });

  it('adds nothing and lets nothing through while the core is not running', () => {
    const { answer } = hardened(undefined);
    expect(answer('beforeRequest', { url: `${CONSOLE}/` })).toEqual({ cancel: true });
    expect(answer('headers', { url: `${CONSOLE}/`, responseHeaders: {} })).toEqual({});
  });

  it('uses the same policy as the core serves the console with, so the console tested in Chromium behaves the same here', () => {
    expect(directives(CONSOLE_CSP)).toEqual(directives(CORE_CONSOLE_CSP));
    expect(directives(CONSOLE_CSP)).toMatchObject({ 'default-src': ["'none'"], 'script-src': ["'self'"], 'object-src': ["'none'"], 'frame-ancestors': ["'none'"] });
  });
});

class FakeWindow implements ConsoleWindow {
  readonly loaded: string[] = [];
  reveals = 0;
  private closed: (() => void) | undefined;
  failLoads = false;
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return this.failLoads ? Promise.reject(new Error('ERR_ABORTED (-3)')) : Promise.resolve();
  }
  reveal(): void {
    this.reveals++;
  }
  onClosed(listener: () => void): void {
    this.closed = listener;
  }
  close(): void {
    this.closed?.();
  }
}

const RUNNING: CoreState = { kind: 'running', issuer: 'http://127.0.0.1:4800', protocolUrl: 'http://127.0.0.1:4800', adminUrl: CONSOLE };

function view(initial: CoreState = RUNNING, launchUrl?: () => Promise<string>) {
  const windows: FakeWindow[] = [];
  let token = 0;
  const deps = {
    createWindow: () => {
      const w = new FakeWindow();
      windows.push(w);
      return w;
    },
    launchUrl: vi.fn(launchUrl ?? (async () => `${CONSOLE}/#launch=token-${++token}`)),
    statusPage: (state: CoreState, problem?: string) => `status:${state.kind}${problem ? `:${problem}` : ''}`,
  };
  const consoleView = new ConsoleView(deps, initial);
  return { consoleView, windows, deps, window: (i = 0) => windows[i] as FakeWindow };
}

describe('console view', () => {
  it('loads the console with a fresh launch token on every load: open, reload, restart, reopen', async () => {
    const { consoleView, windows, window } = view();
    consoleView.open();
    await settle();
    consoleView.reload();
    await settle();
    consoleView.update({ kind: 'stopping' });
    await settle();
    consoleView.update({ kind: 'starting' });
    await settle();
    consoleView.update({ ...RUNNING, adminUrl: 'http://127.0.0.1:50001' });
    await settle();
    window(0).close();
    consoleView.open();
    await settle();
    expect(windows).toHaveLength(2);
    expect(window(0).loaded).toEqual([`${CONSOLE}/#launch=token-1`, `${CONSOLE}/#launch=token-2`, 'status:stopping', 'status:starting', `${CONSOLE}/#launch=token-3`]);
    expect(window(1).loaded).toEqual([`${CONSOLE}/#launch=token-4`]);
    const launches = [...window(0).loaded, ...window(1).loaded].filter((u) => u.includes('#launch='));
    expect(new Set(launches).size).toBe(launches.length);
  });

  it('brings an open window forward without loading it again', async () => {
    const { consoleView, windows, window, deps } = view();
    consoleView.open();
    await settle();
    consoleView.open();
    expect(windows).toHaveLength(1);
    expect(window(0).reveals).toBe(1);
    expect(deps.launchUrl).toHaveBeenCalledTimes(1);
  });

  it('shows the status page while the core is not running, and loads nothing without a window', async () => {
    const { consoleView, window, deps } = view({ kind: 'restarting', attempt: 2, delayMs: 2_000, reason: 'port in use' });
    consoleView.update({ kind: 'starting' });
    consoleView.open();
    await settle();
    expect(window(0).loaded).toEqual(['status:starting']);
    window(0).close();
    consoleView.update(RUNNING);
    await settle();
    expect(deps.launchUrl).not.toHaveBeenCalled();
  });

  it('drops a load that a newer state overtook', async () => {
    let answer: (url: string) => void = () => undefined;
    const { consoleView, window } = view(RUNNING, () => new Promise((resolve) => (answer = resolve)));
    consoleView.open();
    consoleView.update({ kind: 'stopping' });
    await settle();
    answer(`${CONSOLE}/#launch=stale`);
    await settle();
    expect(window(0).loaded).toEqual(['status:stopping']);
  });

  it('drops a load for a window closed meanwhile', async () => {
    let answer: (url: string) => void = () => undefined;
    const { consoleView, window } = view(RUNNING, () => new Promise((resolve) => (answer = resolve)));
    consoleView.open();
    window(0).close();
    answer(`${CONSOLE}/#launch=late`);
    await settle();
    expect(window(0).loaded).toEqual([]);
  });

  it('shows the status page with the reason when no launch URL can be had, and survives a failed load', async () => {
    const { consoleView, window } = view(RUNNING, async () => Promise.reject(new Error('the core did not answer')));
    consoleView.open();
    await settle();
    expect(window(0).loaded).toEqual(['status:running:The console could not be opened: the core did not answer']);
    window(0).failLoads = true;
    consoleView.reload();
    await settle();
    expect(window(0).loaded).toHaveLength(2);
  });

  it('ignores the closing of a window it already replaced', async () => {
    const { consoleView, windows, window } = view();
    consoleView.open();
    window(0).close();
    consoleView.open();
    window(0).close();
    consoleView.open();
    expect(windows).toHaveLength(2);
    expect(window(1).reveals).toBe(1);
  });
});
