export { defaultDataDir, APP_DIR_NAME } from './data-dir';
