import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest body a protocol endpoint reads; a client assertion or a token fits many times over. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Collects a body of at most `limit` bytes, with plain events: cheaper than an async iterator
 * per request. A larger body (declared or sent) rejects with `tooLarge()` at once; the rest of it
 * is never read, so the answer must close the connection (`closeIfBodyUnread`).
 */
export function readBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}

/**
 * For an answer given before the whole body was read (a refusal, a body over the limit). A small
 * declared body is left to Node, which discards it and keeps the connection: closing on unread
 * bytes would reset the connection, and the client could lose the answer. A larger or chunked
 * one makes the connection close after the answer, so that it is neither drained nor reused
 * mid-body.
 */
export function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  if (req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) <= MAX_BODY_BYTES) return;
  res.setHeader('Connection', 'close');
}

/** `application/json`, in UTF-8 (RFC 8259 §8.1) if a charset is named at all. */
export const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
