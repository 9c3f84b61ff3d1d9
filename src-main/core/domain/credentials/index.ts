/**
 * The Node-only part of the domain: hashing and checking passwords and secrets with
 * node:crypto. Kept out of `domain/index.ts` so that the console, which imports the schemas
 * and templates in a browser, never pulls in a Node module.
 */
export * from './password';
export * from './secret';
