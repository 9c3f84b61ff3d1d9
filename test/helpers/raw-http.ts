import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target exactly as sent: `fetch` and `node:http` refuse CTLs, raw bytes and broken escapes. */
  target: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  /** The status line and the header lines, as sent. */
  head: string;
  /** The first bytes of the body. */
  body: string;
}

/**
 * Sends one HTTP/1.1 request over a fresh socket, byte for byte (the head as latin1, so any
 * byte can be sent), with `Connection: close`, and resolves with the status once the server
 * has closed. Rejects when the server sends nothing, or has not finished within `timeoutMs`.
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs: number): Promise<RawResponse> {
  const head = [`${req.method} ${req.target} HTTP/1.1`, ...req.headers.map(([n, v]) => `${n}: ${v}`), 'Connection: close', '', ''].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    // The server may close as soon as it has answered, before it read all we sent: that is fine.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const end = text.indexOf('\r\n\r\n');
      if (m) resolve({ status: Number(m[1]), head: end < 0 ? text : text.slice(0, end), body: end < 0 ? '' : text.slice(end + 4, end + 504) });
      else reject(new Error(`the server closed without an answer (${JSON.stringify(text.slice(0, 100))})`));
    });
    // No half-close: Node's server aborts a request whose client has ended its side.
    socket.write(req.body ? Buffer.concat([Buffer.from(head, 'latin1'), req.body]) : Buffer.from(head, 'latin1'));
  });
}
