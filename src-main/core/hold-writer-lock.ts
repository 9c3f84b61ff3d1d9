import type { Logger } from './logger';
import { WriterLock } from './store/writer-lock';
import { runningAdminUrl } from './admin/admin-address-file';

/**
 * Takes the data folder's writer lock for a server's life (see `store/writer-lock.ts`). A CLI
 * command writing the stopped folder holds it for a moment: the server waits for it, and says
 * so once. Another server running over the folder holds it for good: that is refused.
 */
export function holdWriterLock(dataDir: string, logger: Logger): Promise<WriterLock> {
  let told = false;
  return WriterLock.acquire(dataDir, () => {
    const other = runningAdminUrl(dataDir);
    if (other) throw new Error(`another server already runs over ${dataDir} (its console is at ${other}): stop it first, or give this one another --data-dir`);
    if (!told) logger.warn('waiting for the data folder: a command is writing it', { dataDir });
    told = true;
  });
}
