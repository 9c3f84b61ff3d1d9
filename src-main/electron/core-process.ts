import { readListenerSettings, startIdp } from '../core';
import { CoreHost } from './core-host';

/**
 * Entry of the core's Electron utility process (`out/main/core-process.js`). Plain Node: no
 * `electron` import; the parent is reached through `process.parentPort`, typed here to the
 * little this file uses.
 */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort | null }).parentPort;
if (!parentPort) throw new Error('core-process.js runs only as an Electron utility process');

const host = new CoreHost({ post: (message) => parentPort.postMessage(message), startIdp, readListenerSettings });
// A stop whose close() throws rejects: the error goes to stderr and the process ends, which is
// what the shell, about to end it anyway, wants.
parentPort.on('message', (event) => void host.receive(event.data));
