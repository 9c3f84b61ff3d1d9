import { contextBridge, ipcRenderer } from 'electron';
import { APP_VERSION_CHANNEL } from './ipc-channels';

/**
 * Bundled as one CommonJS file (sandboxed preloads cannot be ES modules or require anything
 * but `electron`). The page gets named functions only, never a generic IPC channel.
 */
contextBridge.exposeInMainWorld('offlineIdp', {
  appVersion: (): Promise<string> => ipcRenderer.invoke(APP_VERSION_CHANNEL),
});
