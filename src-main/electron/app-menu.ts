import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** DevTools only from a checkout, not in an installed app. */
  devTools: boolean;
  reloadConsole(): void;
}

/**
 * The application menu: Electron's default one links to electronjs.org and reloads the page in
 * place, which would replay a spent launch token; here Reload asks for a fresh one. The Edit
 * menu is kept because macOS routes copy and paste through it.
 */
export function applicationMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { label: 'Reload console', accelerator: 'CmdOrCtrl+R', click: () => options.reloadConsole() },
    ...(options.devTools ? [{ role: 'toggleDevTools' } satisfies MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    options.platform === 'darwin' ? { role: 'appMenu' } : { label: 'File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
