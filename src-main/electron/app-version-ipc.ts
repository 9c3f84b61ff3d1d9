import type { IpcMainInvokeEvent } from 'electron';
import { isConsoleUrl } from './navigation';

/** Answers `offlineIdp.appVersion()`, for the console's own frames only (Electron checklist: validate the sender). */
export function appVersionHandler(version: string, consoleOrigin: () => string | undefined) {
  return (event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string => {
    if (!isConsoleUrl(event.senderFrame?.url ?? '', consoleOrigin())) throw new Error('only the console may ask');
    return version;
  };
}
