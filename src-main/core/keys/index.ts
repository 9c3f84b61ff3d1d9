export { KeyRing, type KeyInfo } from './key-ring';
export { KeyEncryptionKey, loadFileKeyEncryptionKey, checkKeyEncryptionKey, KEK_FILE_NAME, KEYCHAIN_KEK_FILE_NAME, KeychainKeyError } from './key-encryption-key';
export { jwkThumbprint } from './jwk-thumbprint';
