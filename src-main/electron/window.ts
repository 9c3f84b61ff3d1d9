import { BrowserWindow, session } from 'electron';

export interface ConsoleWindowOptions {
  preload: string;
  rendererFile: string;
  rendererDevUrl: string | undefined;
  issuer: string;
}

/**
 * A window that can only show the console: isolated, sandboxed, no Node, its own session,
 * no permission granted, no navigation away, no new windows.
 */
export function createConsoleWindow(options: ConsoleWindowOptions): BrowserWindow {
  const partition = 'persist:console';
  session.fromPartition(partition).setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      partition,
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  const query = { issuer: options.issuer };
  if (options.rendererDevUrl) void window.loadURL(`${options.rendererDevUrl}?${new URLSearchParams(query).toString()}`);
  else void window.loadFile(options.rendererFile, { query });
  return window;
}
