/// <reference types="svelte" />
/// <reference types="vite/client" />

/**
 * src-main/core/domain/client.ts names Node's Buffer in a stored-secret type the console never
 * uses; the console is type-checked without Node's types, so that name is declared opaque here.
 */
declare type Buffer = Uint8Array;
