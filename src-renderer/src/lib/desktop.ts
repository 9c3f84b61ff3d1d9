/** What the desktop shell's preload gives the page (src-main/electron/preload.ts); absent in a browser. */
interface DesktopBridge {
  appVersion(): Promise<string>;
}

export const desktop: DesktopBridge | undefined = (window as { offlineIdp?: DesktopBridge }).offlineIdp;
