import { app, clipboard, ipcMain, Menu, powerMonitor, safeStorage, session, shell, utilityProcess, type Tray } from 'electron';
import { join } from 'node:path';
// These two files only: the main process never loads the core itself (that runs in core-process.js).
import { APP_DIR_NAME } from '../core/config/data-dir';
import { createLogger } from '../core/logger';
import { applicationMenuTemplate } from './app-menu';
import { appVersionHandler } from './app-version-ipc';
import { ConsoleView } from './console-view';
import { APP_VERSION_CHANNEL } from './ipc-channels';
import { keychainKeyEncryptionKey } from './keychain';
import { CONSOLE_PARTITION, hardenConsoleSession } from './session-policy';
import { StatusMonitor } from './status-monitor';
import { statusPageUrl } from './status-page';
import { CoreSupervisor, type CoreChild } from './supervisor';
import { systemTimers } from './timers';
import { createTray } from './tray';
import { guardWebContents } from './web-contents-guard';
import { createConsoleWindow } from './window';

/**
 * The desktop shell: wiring only. Every decision lives in a module tested without Electron;
 * the IdP itself runs in a utility process, so load on the token endpoint never freezes the
 * window and a crash of either does not take the other down.
 */

// One data folder for the desktop app and `npm run serve`, whatever the product name says;
// Chromium's own files (cookies, caches) go in a subfolder of it.
app.setPath('userData', join(app.getPath('appData'), APP_DIR_NAME));
app.setPath('sessionData', join(app.getPath('userData'), 'electron'));

function spawnCore(): CoreChild {
  const child = utilityProcess.fork(join(import.meta.dirname, 'core-process.js'), [], { serviceName: 'Offline IdP core', stdio: 'inherit' });
  return {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => child.kill(),
  };
}

function runShell(): void {
  const dataDir = app.getPath('userData');
  const resources = join(app.getAppPath(), 'resources');
  const logger = createLogger();

  const supervisor = new CoreSupervisor({
    spawn: spawnCore,
    startMessage: () => {
      const { key, newSite, note } = keychainKeyEncryptionKey({ dataDir, cipher: safeStorage, platform: process.platform });
      if (note) logger[note.level](note.message, { dataDir });
      return { type: 'start', dataDir, keyEncryptionKey: key?.toString('base64'), newSite };
    },
    timers: systemTimers,
  });
  const consoleOrigin = () => (supervisor.state.kind === 'running' ? supervisor.state.adminUrl : undefined);
  const monitor = new StatusMonitor(supervisor, systemTimers);
  const view = new ConsoleView(
    {
      createWindow: () => createConsoleWindow(join(import.meta.dirname, '../preload/index.cjs'), join(resources, 'icon.png')),
      launchUrl: () => supervisor.launchUrl(),
      statusPage: statusPageUrl,
    },
    supervisor.state,
  );
  supervisor.onState((state) => view.update(state));
  supervisor.onState((state) => logger.info('core state', { state: state.kind, ...(state.kind === 'restarting' ? { reason: state.reason } : {}) }));

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { consoleOrigin, openExternal: (url) => void shell.openExternal(url) }));
  // Closing the window keeps the IdP serving devices; Quit is in the tray and the menu.
  app.on('window-all-closed', () => undefined);

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void supervisor.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });

  let tray: Tray | undefined;
  void app.whenReady().then(() => {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(applicationMenuTemplate({ platform: process.platform, devTools: !app.isPackaged, reloadConsole: () => view.reload() })),
    );
    hardenConsoleSession(session.fromPartition(CONSOLE_PARTITION), consoleOrigin);
    ipcMain.handle(APP_VERSION_CHANNEL, appVersionHandler(app.getVersion(), consoleOrigin));
    // Linux and macOS announce a shutdown: delay it long enough to close the database. (The
    // typings omit the event the documentation has this listener call preventDefault on.)
    const delayShutdown = (event: Electron.Event) => {
      event.preventDefault();
      app.quit();
    };
    powerMonitor.on('shutdown', delayShutdown as () => void);
    tray = createTray(join(resources, 'tray'), monitor, {
      openConsole: () => view.open(),
      copyText: (text) => clipboard.writeText(text),
      quit: () => app.quit(),
    });
    supervisor.start();
    view.open();
    // Registered once ready: a window cannot be made before.
    app.on('second-instance', () => view.open());
    app.on('activate', () => view.open());
  });
  // Held here for the life of the app (a collected Tray vanishes), and removed on quit so no
  // stale icon stays in the notification area.
  app.on('quit', () => tray?.destroy());
}

// A second launch focuses the first instance's window (its 'second-instance' event) and exits.
if (app.requestSingleInstanceLock()) runShell();
else app.quit();
