import { Menu, Tray } from 'electron';
import type { StatusMonitor } from './status-monitor';
import { trayIconPath, trayMenuTemplate, trayTooltip, type TrayActions } from './tray-menu';

/** The tray icon, its tooltip and its menu, redrawn whenever the status changes. */
export function createTray(iconDir: string, monitor: StatusMonitor, actions: TrayActions): Tray {
  const tray = new Tray(trayIconPath(iconDir, process.platform, monitor.current));
  const render = () => {
    const status = monitor.current;
    tray.setImage(trayIconPath(iconDir, process.platform, status));
    tray.setToolTip(trayTooltip(status));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(status, actions)));
  };
  render();
  monitor.onStatus(render);
  // Windows opens the menu on a right click only; a left click opens the console there.
  if (process.platform === 'win32') tray.on('click', () => actions.openConsole());
  return tray;
}
