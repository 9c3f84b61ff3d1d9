import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The output file cannot be used: nothing was made or written. */
export class OutputRefused extends Error {}

/** Makes a new or renamed name in `folder` durable. Windows cannot open a folder to fsync it (NTFS journals names itself). */
function fsyncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Where a batch's credentials go: they exist only in this process until written, so they
 * are on disk before the clients are committed, and never only in memory after.
 * 1. `open` checks the path before anything is made: its folder exists, the file does not
 *    (an existing bundle file is never replaced: it may hold the only copy of other
 *    credentials), and a pending file `FILE.pending` can be created there (mode 0600), which
 *    proves the folder writable.
 * 2. `save` writes the credentials to the pending file and fsyncs it and its folder, before
 *    the commit. A failed commit `discard`s it.
 * 3. `publish`, after the commit, links it to FILE (which fails rather than replace a file
 *    made meanwhile), removes the pending name and fsyncs the folder again.
 * A kill between the commit and `publish` leaves the pending file, whose name was printed
 * before the commit: the credentials are still there.
 */
export class CredentialFile {
  private constructor(
    readonly path: string,
    readonly pendingPath: string,
    private fd: number | undefined,
  ) {}

  static open(out: string): CredentialFile {
    const path = resolve(out);
    const folder = dirname(path);
    let isFolder = false;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      /* reported below */
    }
    if (!isFolder) throw new OutputRefused(`${out}: the folder ${folder} does not exist`);
    try {
      statSync(path);
      throw new OutputRefused(`${out} already exists; it may hold the only copy of other credentials, so it is never replaced: choose another name`);
    } catch (err) {
      if (err instanceof OutputRefused) throw err;
    }
    const pendingPath = join(folder, `${basename(path)}.pending`);
    try {
      return new CredentialFile(path, pendingPath, openSync(pendingPath, 'wx', 0o600));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        throw new OutputRefused(`${pendingPath} exists: it may hold the credentials of an earlier run that was interrupted; keep what it holds, move it away, then try again`);
      }
      throw new OutputRefused(`${out}: cannot write in ${folder} (${code ?? (err as Error).message})`);
    }
  }

  /** Writes and fsyncs the pending file and its folder: the credentials survive a crash from now on. */
  save(content: string | Uint8Array): void {
    const fd = this.fd as number;
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    this.fd = undefined;
    fsyncFolder(dirname(this.pendingPath));
  }

  publish(): void {
    try {
      linkSync(this.pendingPath, this.path);
      unlinkSync(this.pendingPath);
    } catch (err) {
      // A file system without hard links (FAT on a USB stick): rename, which could replace a
      // file made since `open`, so look once more first.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
      if (existsSync(this.path)) throw new OutputRefused(`${this.path} appeared meanwhile and is not replaced: the credentials are in ${this.pendingPath}`);
      renameSync(this.pendingPath, this.path);
    }
    fsyncFolder(dirname(this.path));
  }

  /** Nothing was committed: the pending file goes. */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.pendingPath, { force: true });
  }
}
