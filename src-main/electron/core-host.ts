import { parseListenerSettings, type IdpOptions, type ListenerSettings, type RunningIdp } from '../core';
import { KeyEncryptionKey } from '../core/keys';
import { isShellToCore, type CoreToShell, type StartMessage } from './core-messages';

export type RunningCore = Pick<RunningIdp, 'issuer' | 'protocolUrl' | 'adminUrl' | 'createLaunchUrl' | 'status' | 'close'>;

export interface CoreHostDeps {
  post(message: CoreToShell): void;
  startIdp(options: IdpOptions): Promise<RunningCore>;
  readListenerSettings(dataDir: string): ListenerSettings | undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The core's side of the utility process: starts the IdP when the shell says so, answers its
 * requests, and stops it on request. It never exits by itself: after `failed` or `stopped`
 * the shell ends the process, so no message is lost to an exit racing the pipe.
 */
export class CoreHost {
  private starting: Promise<RunningCore | undefined> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly deps: CoreHostDeps) {}

  async receive(message: unknown): Promise<void> {
    if (!isShellToCore(message)) return;
    switch (message.type) {
      case 'start':
        if (!this.stopping) this.starting ??= this.start(message);
        return;
      case 'launch-url':
        return this.answer(message.id, (idp) => ({ type: 'launch-url', id: message.id, url: idp.createLaunchUrl() }));
      case 'status':
        return this.answer(message.id, (idp) => ({ type: 'status', id: message.id, ...idp.status() }));
      case 'stop':
        this.stopping ??= this.stop();
        return this.stopping;
    }
  }

  private async start(message: StartMessage): Promise<RunningCore | undefined> {
    try {
      // Defaults (127.0.0.1:4800) come from the core's own schema, as for `serve`.
      const listener = this.deps.readListenerSettings(message.dataDir) ?? parseListenerSettings({});
      const idp = await this.deps.startIdp({
        dataDir: message.dataDir,
        newSite: message.newSite,
        host: listener.host,
        port: listener.port,
        issuer: listener.issuer,
        adminPort: 0,
        keyEncryptionKey: message.keyEncryptionKey === undefined ? undefined : new KeyEncryptionKey(Buffer.from(message.keyEncryptionKey, 'base64')),
        onListenerSettingsChanged: () => this.deps.post({ type: 'listener-settings-changed' }),
      });
      this.deps.post({ type: 'ready', issuer: idp.issuer, protocolUrl: idp.protocolUrl, adminUrl: idp.adminUrl });
      return idp;
    } catch (err) {
      this.deps.post({ type: 'failed', message: messageOf(err) });
      return undefined;
    }
  }

  private async answer(id: number, reply: (idp: RunningCore) => CoreToShell): Promise<void> {
    const idp = this.stopping ? undefined : await this.starting;
    if (!idp) return this.deps.post({ type: 'request-failed', id, message: 'the IdP is not running' });
    try {
      this.deps.post(reply(idp));
    } catch (err) {
      this.deps.post({ type: 'request-failed', id, message: messageOf(err) });
    }
  }

  private async stop(): Promise<void> {
    const idp = await this.starting;
    try {
      await idp?.close();
    } finally {
      this.deps.post({ type: 'stopped' });
    }
  }
}
