import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { ShellStatus } from './status-monitor';
import { describeCoreState, shorten } from './status-text';

export interface TrayActions {
  openConsole(): void;
  copyText(text: string): void;
  quit(): void;
}

/** The tray menu as a function of the status: rebuilt on every change. */
export function trayMenuTemplate(status: ShellStatus, actions: TrayActions): MenuItemConstructorOptions[] {
  const { core, figures } = status;
  const items: MenuItemConstructorOptions[] = [{ label: describeCoreState(core), enabled: false }];
  if (core.kind === 'running') {
    items.push({ label: `Listening on ${core.protocolUrl}`, enabled: false });
    items.push({
      label: figures ? `${figures.tokensLastMinute} tokens/min, ${figures.failuresLastMinute} failed` : 'Tokens/min: counting…',
      enabled: false,
    });
  }
  if (core.kind === 'restarting') items.push({ label: shorten(core.reason), enabled: false });
  const issuer = core.kind === 'running' ? core.issuer : undefined;
  items.push(
    { type: 'separator' },
    { label: 'Open console', click: () => actions.openConsole() },
    {
      label: 'Copy issuer URL',
      enabled: issuer !== undefined,
      click: () => {
        if (issuer !== undefined) actions.copyText(issuer);
      },
    },
    { type: 'separator' },
    { label: 'Quit Offline IdP', click: () => actions.quit() },
  );
  return items;
}

export function trayTooltip(status: ShellStatus): string {
  const { core } = status;
  return core.kind === 'running' ? `Offline IdP: running on ${core.protocolUrl}` : `Offline IdP: ${describeCoreState(core)}`;
}

/**
 * The tray image: the plain key while the core runs, the key with a mark otherwise. macOS gets
 * black-and-alpha template images it tints for light and dark menu bars; every platform gets
 * the `@2x` file beside each for high-density screens (Electron picks it by name).
 */
export function trayIconPath(dir: string, platform: NodeJS.Platform, status: ShellStatus): string {
  const name = status.core.kind === 'running' ? 'tray' : 'tray-down';
  return join(dir, platform === 'darwin' ? `${name}Template.png` : `${name}.png`);
}
