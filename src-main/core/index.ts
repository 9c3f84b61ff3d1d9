export { startIdp, openDataDir, DATABASE_FILE, type IdpOptions, type RunningIdp } from './server';
export { systemClock, type Clock } from './clock';
export { createLogger, silentLogger, type Logger } from './logger';
export { importConfiguration, type ImportSummary } from './services/configuration-import';
export { exportConfiguration } from './services/configuration-export';
export { ValidationError } from './domain';
export { defaultDataDir } from './config';
export { addClientSecret, UnknownClientError } from './services/client-secrets';
export { addUser, setUserPassword, setUserEnabled, unlockUser, revokeUserConsent, UnknownUserError } from './services/user-accounts';
