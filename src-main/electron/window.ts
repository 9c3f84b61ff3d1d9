import { BrowserWindow } from 'electron';
import type { ConsoleWindow } from './console-view';
import { consoleWindowOptions } from './window-options';

/** A BrowserWindow as the console view drives it; shown once its first page is painted. */
export function createConsoleWindow(preload: string, icon: string): ConsoleWindow {
  const window = new BrowserWindow(consoleWindowOptions(preload, icon));
  window.once('ready-to-show', () => window.show());
  return {
    loadURL: (url) => window.loadURL(url),
    reveal: () => {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    onClosed: (listener) => window.on('closed', listener),
  };
}
