import type { BrowserWindowConstructorOptions } from 'electron';
import { CONSOLE_PARTITION } from './session-policy';

/**
 * The console window as Electron's security checklist wants it: isolated, sandboxed, no Node in
 * the page or its workers and frames, web security on, no `<webview>`, its own session.
 */
export function consoleWindowOptions(preload: string, icon: string): BrowserWindowConstructorOptions {
  return {
    title: 'Offline IdP',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    icon,
    webPreferences: {
      preload,
      partition: CONSOLE_PARTITION,
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
    },
  };
}
