import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'offline-idp';

/**
 * The per-user application-data folder, the same one Electron's `app.getPath('userData')` gives
 * for this app name, so the desktop app and `npm run serve` share one site by default:
 * Linux `$XDG_CONFIG_HOME/offline-idp` (or `~/.config/offline-idp`), macOS
 * `~/Library/Application Support/offline-idp`, Windows `%APPDATA%\offline-idp`.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME);
}
