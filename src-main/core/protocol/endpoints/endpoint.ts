import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdpContext } from '../../context';

/** A protocol endpoint on plain node:http: parse, authenticate, delegate, write. */
export type Endpoint = (ctx: IdpContext, req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** The peer address, for usage records (never for authorization decisions). */
export function peerAddress(req: IncomingMessage): string | undefined {
  return req.socket.remoteAddress;
}
