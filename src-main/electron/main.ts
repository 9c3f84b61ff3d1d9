import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { startIdp, type RunningIdp } from '../core';
import { createConsoleWindow } from './window';

/**
 * The thin desktop shell: one instance, the core started over the per-user data folder, one
 * hardened window. The core never imports electron; everything here only wires it up.
 */
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let idp: RunningIdp | undefined;
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.whenReady().then(async () => {
    idp = await startIdp({ dataDir: app.getPath('userData') });
    window = createConsoleWindow({
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      rendererFile: join(import.meta.dirname, '../renderer/index.html'),
      rendererDevUrl: process.env.ELECTRON_RENDERER_URL,
      issuer: idp.issuer,
    });
  });

  app.on('window-all-closed', () => app.quit());

  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !idp) return;
    // Flush counters and close the database before the process ends.
    event.preventDefault();
    void idp.close().finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
