import type { WebContents } from 'electron';
import { externalLink, isConsoleUrl } from './navigation';

export interface GuardPolicy {
  /** The running core's console origin; `undefined` while it is not running. */
  consoleOrigin(): string | undefined;
  /** `shell.openExternal`: the system browser. */
  openExternal(url: string): void;
}

/**
 * Applied to every web contents the app creates (`web-contents-created`): no frame navigates
 * away from the console, no server redirect leaves it, no `<webview>` attaches, and no window
 * opens; a link the operator follows to documentation goes to the system browser instead.
 */
export function guardWebContents(contents: WebContents, policy: GuardPolicy): void {
  contents.on('will-frame-navigate', (event) => {
    if (isConsoleUrl(event.url, policy.consoleOrigin())) return;
    event.preventDefault();
    const link = event.isMainFrame ? externalLink(event.url, policy.consoleOrigin()) : undefined;
    if (link) policy.openExternal(link);
  });
  contents.on('will-redirect', (event) => {
    if (!isConsoleUrl(event.url, policy.consoleOrigin())) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLink(url, policy.consoleOrigin());
    if (link) policy.openExternal(link);
    return { action: 'deny' };
  });
}
