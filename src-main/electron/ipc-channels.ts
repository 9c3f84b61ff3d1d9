/** The one IPC channel the preload may use; the console reaches the core over HTTP. */
export const APP_VERSION_CHANNEL = 'offline-idp:app-version';
