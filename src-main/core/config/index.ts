export { defaultDataDir, APP_DIR_NAME } from './data-dir';
export { readListenerSettings, writeListenerSettings, parseListenerSettings, LISTENER_FILE, type ListenerSettings } from './listener-settings';
export { DataDirError, reasonOf } from './data-dir-error';
export { prepareSiteFolder, DATABASE_FILE, type SiteOpening } from './site-folder';
