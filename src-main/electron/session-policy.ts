import type { Session } from 'electron';
import { isConsoleUrl } from './navigation';

/** The console window's own, persistent session: nothing it stores mixes with any other. */
export const CONSOLE_PARTITION = 'persist:console';

/**
 * The console's Content-Security-Policy, the same as the core sends with the console
 * (src-main/core/admin/console-files.ts, compared by a test). The shell adds it to every
 * response from the console's origin, so no page in the window runs without one.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** Schemes that never reach the network: the status page, console downloads, DevTools. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'devtools:']);

/** The window talks to the core's admin listener and nothing else. */
export function isAllowedRequest(url: string, consoleOrigin: string | undefined): boolean {
  if (isConsoleUrl(url, consoleOrigin)) return true;
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Adds the shell's policy beside any the response carries: a browser enforces every one. */
export function withConsoleCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result = { ...headers };
  const name = Object.keys(result).find((h) => h.toLowerCase() === 'content-security-policy') ?? 'Content-Security-Policy';
  result[name] = [...(result[name] ?? []), CONSOLE_CSP];
  return result;
}

/**
 * The one permission granted: the console writing to the clipboard (its Copy buttons for a
 * secret shown once; Electron would refuse `navigator.clipboard.writeText` otherwise). Reading
 * the clipboard, and everything else, is refused to every page.
 */
export function isPermitted(permission: string, url: string, consoleOrigin: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isConsoleUrl(url, consoleOrigin);
}

/**
 * No other permission is ever granted (camera, notifications, HID, serial, USB …), spelling is
 * not checked (Chromium would download dictionaries), requests leave for nowhere but the
 * console, and every console response carries the CSP.
 */
export function hardenConsoleSession(session: Session, consoleOrigin: () => string | undefined): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermitted(permission, details.requestingUrl, consoleOrigin())));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermitted(permission, requestingOrigin, consoleOrigin()));
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, consoleOrigin()) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isConsoleUrl(details.url, consoleOrigin())) return callback({});
    callback({ responseHeaders: withConsoleCsp(details.responseHeaders) });
  });
}
