import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_VERSION_CHANNEL } from '../../src-main/electron/ipc-channels';
import { KEYCHAIN_KEK_FILE_NAME } from '../../src-main/core/keys/key-encryption-key';
import { systemTimers } from '../../src-main/electron/timers';
import { settle } from '../helpers/manual-timers';
import { tempDir } from '../helpers/temp-dir';

/**
 * The wiring in main.ts, window.ts, tray.ts and core-process.ts, run against a stand-in for the
 * `electron` module (the binary cannot be had here): what a real Electron would be asked to do.
 */
const fake = vi.hoisted(() => {
  // Hoisted above the imports, so node:events is fetched here directly.
  const { EventEmitter } = process.getBuiltinModule('node:events');
  class FakeChild extends EventEmitter {
    readonly sent: unknown[] = [];
    kills = 0;
    constructor(readonly modulePath: string, readonly options: unknown) {
      super();
    }
    postMessage(message: unknown) {
      this.sent.push(message);
    }
    kill() {
      this.kills++;
      return true;
    }
  }
  class FakeWindow extends EventEmitter {
    static all: FakeWindow[] = [];
    readonly loaded: string[] = [];
    focused = 0;
    shown = 0;
    restored = 0;
    minimized = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeWindow.all.push(this);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
    show() {
      this.shown++;
    }
    focus() {
      this.focused++;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.restored++;
    }
  }
  class FakeTray extends EventEmitter {
    static all: FakeTray[] = [];
    images: string[] = [];
    tooltip = '';
    menu: { label?: string; click?: () => void }[] = [];
    destroyed = false;
    constructor(image: string) {
      super();
      this.images.push(image);
      FakeTray.all.push(this);
    }
    setImage(image: string) {
      this.images.push(image);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: { label?: string; click?: () => void }[]) {
      this.menu = menu;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const state = {
    lock: true,
    paths: {} as Record<string, string>,
    ready: undefined as undefined | (() => void),
    children: [] as FakeChild[],
    handlers: new Map<string, (...args: unknown[]) => unknown>(),
    sessions: [] as string[],
    menus: [] as unknown[],
    opened: [] as string[],
    clipboard: [] as string[],
  };
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    quit: vi.fn(),
    setPath: (name: string, path: string) => (state.paths[name] = path),
    getPath: (name: string) => state.paths[name] as string,
    getAppPath: () => '/opt/offline-idp/resources/app.asar',
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => state.lock,
    whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
  });
  const sessionHandlers: Record<string, unknown> = {};
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => state.menus.push(menu) },
    clipboard: { writeText: (text: string) => state.clipboard.push(text) },
    ipcMain: { handle: (channel: string, handler: (...args: unknown[]) => unknown) => state.handlers.set(channel, handler) },
    powerMonitor: new EventEmitter(),
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (text: string) => Buffer.from(`sealed:${text}`),
      decryptString: (blob: Buffer) => blob.toString().slice('sealed:'.length),
    },
    session: {
      fromPartition: (partition: string) => {
        state.sessions.push(partition);
        return {
          setPermissionRequestHandler: (h: unknown) => (sessionHandlers.request = h),
          setPermissionCheckHandler: (h: unknown) => (sessionHandlers.check = h),
          setDevicePermissionHandler: (h: unknown) => (sessionHandlers.device = h),
          setSpellCheckerEnabled: () => undefined,
          webRequest: { onBeforeRequest: (h: unknown) => (sessionHandlers.before = h), onHeadersReceived: (h: unknown) => (sessionHandlers.headers = h) },
        };
      },
    },
    shell: { openExternal: async (url: string) => void state.opened.push(url) },
    utilityProcess: {
      fork: (modulePath: string, _args: string[], options: unknown) => {
        const child = new FakeChild(modulePath, options);
        state.children.push(child);
        return child;
      },
    },
  };
  return { state, electron, FakeWindow, FakeTray, sessionHandlers };
});

vi.mock('electron', () => fake.electron);

const dirs: { remove: () => void }[] = [];
beforeEach(() => {
  vi.resetModules();
  const appData = tempDir('idp-appdata-');
  dirs.push(appData);
  Object.assign(fake.state, { lock: true, paths: { appData: appData.path }, ready: undefined, children: [], menus: [], sessions: [], opened: [], clipboard: [] });
  fake.state.handlers.clear();
  fake.FakeWindow.all = [];
  fake.FakeTray.all = [];
  fake.electron.app.removeAllListeners();
  fake.electron.powerMonitor.removeAllListeners();
  fake.electron.app.quit.mockReset();
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) d.remove();
});

async function startShell() {
  await import('../../src-main/electron/main');
  fake.state.ready?.();
  await settle();
  const child = fake.state.children[0] as (typeof fake.state.children)[number];
  const window = fake.FakeWindow.all[0] as InstanceType<typeof fake.FakeWindow>;
  const tray = fake.FakeTray.all[0] as InstanceType<typeof fake.FakeTray>;
  return { child, window, tray };
}

describe('main process wiring', () => {
  it('a second instance only quits (the first one focuses its window)', async () => {
    fake.state.lock = false;
    await import('../../src-main/electron/main');
    expect(fake.electron.app.quit).toHaveBeenCalledTimes(1);
    expect(fake.electron.app.listenerCount('second-instance')).toBe(0);
    expect(fake.state.ready).toBeUndefined();
  });

  it('uses the data folder the CLI uses, keeps Chromium\'s files in a subfolder, and starts the core there with the keychain key', async () => {
    const { child } = await startShell();
    const dataDir = join(fake.state.paths.appData as string, 'offline-idp');
    expect(fake.state.paths.userData).toBe(dataDir);
    expect(fake.state.paths.sessionData).toBe(join(dataDir, 'electron'));
    expect(child.modulePath).toMatch(/core-process\.js$/);
    expect(child.sent[0]).toEqual({ type: 'start', dataDir, keyEncryptionKey: expect.any(String), newSite: true });
    expect(Buffer.from((child.sent[0] as { keyEncryptionKey: string }).keyEncryptionKey, 'base64')).toHaveLength(32);
    expect(existsSync(join(dataDir, KEYCHAIN_KEK_FILE_NAME))).toBe(true);
  });

  it('opens a hardened window on the status page, then the console with a fresh launch URL once the core is ready', async () => {
    const { child, window, tray } = await startShell();
    expect(window.options).toMatchObject({ webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'persist:console' } });
    expect((window.options.webPreferences as { preload: string }).preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(window.loaded[0]).toMatch(/^data:text\/html/);
    window.emit('ready-to-show');
    expect(window.shown).toBe(1);
    expect(tray.images.at(-1)).toMatch(/tray-down\.png$/);
    expect(fake.state.sessions).toEqual(['persist:console']);
    expect(fake.sessionHandlers.request).toBeTypeOf('function');

    child.emit('message', { type: 'ready', issuer: 'http://127.0.0.1:4800', protocolUrl: 'http://127.0.0.1:4800', adminUrl: 'http://127.0.0.1:50000' });
    const ask = child.sent.at(-1) as { type: string; id: number };
    expect(ask.type).toBe('launch-url');
    child.emit('message', { type: 'launch-url', id: ask.id, url: 'http://127.0.0.1:50000/#launch=t1' });
    await settle();
    expect(window.loaded.at(-1)).toBe('http://127.0.0.1:50000/#launch=t1');
    expect(tray.images.at(-1)).toMatch(/tray\.png$/);
    expect(tray.tooltip).toBe('Offline IdP: running on http://127.0.0.1:4800');

    // The preload's one channel answers the console only.
    const version = fake.state.handlers.get(APP_VERSION_CHANNEL) as (event: unknown) => string;
    expect(version({ senderFrame: { url: 'http://127.0.0.1:50000/' } })).toBe('0.1.0');
    expect(() => version({ senderFrame: { url: 'https://evil.example/' } })).toThrow();

    // Tray: copy the issuer, open the console (focus, not a second window).
    const item = (label: string) => tray.menu.find((i) => i.label === label)?.click?.();
    item('Copy issuer URL');
    expect(fake.state.clipboard).toEqual(['http://127.0.0.1:4800']);
    window.minimized = true;
    item('Open console');
    fake.electron.app.emit('second-instance');
    expect(window.restored).toBe(2);
    expect(window.focused).toBe(2);
    expect(fake.FakeWindow.all).toHaveLength(1);

    // Closing the window keeps the IdP running; the next open is a new window with a new token.
    window.emit('closed');
    fake.electron.app.emit('window-all-closed');
    expect(fake.electron.app.quit).not.toHaveBeenCalled();
    fake.electron.app.emit('activate');
    expect(fake.FakeWindow.all).toHaveLength(2);
    expect((child.sent.at(-1) as { type: string }).type).toBe('launch-url');
  });

  it('guards every web contents the app creates', async () => {
    await startShell();
    const contents = Object.assign(new EventEmitter(), { openHandler: undefined as unknown, setWindowOpenHandler: (h: unknown) => (contents.openHandler = h) });
    fake.electron.app.emit('web-contents-created', {}, contents);
    const open = contents.openHandler as (d: { url: string }) => { action: string };
    expect(open({ url: 'https://www.rfc-editor.org/rfc/rfc9068' })).toEqual({ action: 'deny' });
    expect(fake.state.opened).toEqual(['https://www.rfc-editor.org/rfc/rfc9068']);
    const reload = (fake.state.menus[0] as { label?: string; submenu?: { label?: string; click?: () => void }[] }[])
      .find((m) => m.label === 'View')
      ?.submenu?.find((i) => i.label === 'Reload console');
    expect(reload).toBeDefined();
    reload?.click?.();
  });

  it('on quit stops the core gracefully (stop, stopped, end of process) before letting the app quit', async () => {
    const { child, tray } = await startShell();
    child.emit('message', { type: 'ready', issuer: 'http://127.0.0.1:4800', protocolUrl: 'http://127.0.0.1:4800', adminUrl: 'http://127.0.0.1:50000' });
    tray.menu.find((i) => i.label === 'Quit Offline IdP')?.click?.();
    expect(fake.electron.app.quit).toHaveBeenCalledTimes(1);
    const first = { preventDefault: vi.fn() };
    fake.electron.app.emit('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(child.sent.at(-1)).toEqual({ type: 'stop' });
    child.emit('message', { type: 'stopped' });
    expect(child.kills).toBe(1);
    child.emit('exit', 0);
    await settle();
    expect(fake.electron.app.quit).toHaveBeenCalledTimes(2);
    const second = { preventDefault: vi.fn() };
    fake.electron.app.emit('before-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    fake.electron.app.emit('quit');
    expect(tray.destroyed).toBe(true);
  });

  it('opens the console on a left click of the tray on Windows, where the menu is on the right button', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform') as PropertyDescriptor;
    Object.defineProperty(process, 'platform', { value: 'win32', configurable: true });
    try {
      const { tray } = await startShell();
      tray.emit('click');
      expect(fake.FakeWindow.all[0]?.focused).toBe(1);
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });

  it('delays a system shutdown to quit cleanly', async () => {
    await startShell();
    const event = { preventDefault: vi.fn() };
    fake.electron.powerMonitor.emit('shutdown', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(fake.electron.app.quit).toHaveBeenCalled();
  });
});

describe('core process entry', () => {
  afterEach(() => {
    delete (process as { parentPort?: unknown }).parentPort;
  });

  it('refuses to run outside a utility process', async () => {
    await expect(import('../../src-main/electron/core-process')).rejects.toThrow('runs only as an Electron utility process');
  });

  it('hands the parent port\'s messages to the core host and posts its answers back', async () => {
    const port = Object.assign(new EventEmitter(), { posted: [] as unknown[], postMessage: (m: unknown) => port.posted.push(m) });
    (process as { parentPort?: unknown }).parentPort = port;
    await import('../../src-main/electron/core-process');
    port.emit('message', { data: { type: 'launch-url', id: 1 } });
    await settle();
    expect(port.posted).toEqual([{ type: 'request-failed', id: 1, message: 'the IdP is not running' }]);
  });
});

describe('system timers', () => {
  it('are the real ones', () => {
    vi.useFakeTimers();
    try {
      const fired = vi.fn();
      const cancelled = vi.fn();
      systemTimers.setTimeout(fired, 10);
      systemTimers.clearTimeout(systemTimers.setTimeout(cancelled, 10));
      vi.advanceTimersByTime(10);
      expect(fired).toHaveBeenCalledTimes(1);
      expect(cancelled).not.toHaveBeenCalled();
      expect(systemTimers.now()).toBe(Date.now());
    } finally {
      vi.useRealTimers();
    }
  });
});
