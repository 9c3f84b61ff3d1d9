/** The browser-safe domain: schemas, templates and rules shared by the core and the console. Node-only parts are in `credentials/`. */
export * from './client';
export * from './client-uris';
export * from './configuration-file';
export * from './fields';
export * from './grant-types';
export * from './public-jwks';
export * from './resources';
export * from './server-settings';
export * from './user';
export * from './validation-error';
export * from './client-templates';
export * from './device-clients';
export * from './id-pattern';
export * from './csv';
export * from './import-summary';
export * from './client-auth-failure';
