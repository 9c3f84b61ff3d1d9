export { KeyRing, type KeyInfo } from './key-ring';
export { KeyEncryptionKey, loadFileKeyEncryptionKey, KEK_FILE_NAME } from './key-encryption-key';
export { jwkThumbprint } from './jwk-thumbprint';
