import { contextBridge } from 'electron';

/** Named, read-only facts only: no generic IPC channel reaches the page. */
contextBridge.exposeInMainWorld('offlineIdp', {
  platform: process.platform,
  versions: { electron: process.versions.electron, node: process.versions.node },
});
