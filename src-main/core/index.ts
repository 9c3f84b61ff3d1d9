export { startIdp, type IdpOptions, type RunningIdp } from './server';
export { openDataDir, type OpenDataDirOptions } from './open-data-dir';
export { DATABASE_FILE, DataDirError, type SiteOpening } from './config';
export { systemClock, type Clock } from './clock';
export { createLogger, silentLogger, type Logger } from './logger';
export { importConfiguration, type ImportSummary } from './operations/configuration-import';
export { exportConfiguration } from './operations/configuration-export';
export { ValidationError } from './domain';
export { defaultDataDir, readListenerSettings, writeListenerSettings, parseListenerSettings, type ListenerSettings } from './config';
export { LaunchTokens } from './admin/launch-tokens';
export { runningAdminUrl } from './admin/admin-address-file';
export { rotateAdminApiKey, revokeAdminApiKey, adminApiKeyInfo } from './operations/admin-api-key';
export { addClientSecret, UnknownClientError } from './operations/client-secrets';
export { addUser, setUserPassword, setUserEnabled, unlockUser, revokeUserConsent, UnknownUserError } from './operations/user-accounts';
export { setClientsEnabled, setGroupEnabled, deleteClient, UnknownGroupError, type KillSwitchResult } from './operations/client-kill-switch';
export { OperationError, NotFoundError, ConflictError, BadRequestError, type OperationErrorCode } from './operations/operation-errors';
export { createClientFromTemplate, createClients, type NewClientRequest, type CreatedClient, type EnrolProgress } from './operations/client-creation';
export { listClients, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ClientPage } from './operations/client-directory';
export { addClientKey, generateClientKey, removeClientKey, listClientSecrets, expireClientSecret, type SecretInfo } from './operations/client-keys';
export { enrolByPattern, enrolFromCsv, type BatchDefaults } from './operations/bulk-enrolment';
export { provisioningBundle, bundleQrPng, bundleQrSvg, labelSheetHtml, batchArchive, type ProvisioningBundle } from './operations/provisioning';
export { clientActivity, type ClientActivity } from './operations/client-activity';
export {
  createInitialAccessToken,
  listInitialAccessTokens,
  revokeInitialAccessToken,
  registerClient,
  RegistrationError,
  type NewInitialAccessToken,
} from './operations/self-enrolment';
