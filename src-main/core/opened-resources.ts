/**
 * What a start has opened, in order; `closeAll()` closes it in reverse. After a failed start
 * that leaves no open port, database handle or timer behind, so the process can exit (a
 * supervisor then sees the failure); on stop it is the graceful shutdown. Every close runs
 * even when one before it threw; the first error is rethrown after the last.
 */
export class OpenedResources {
  private readonly closers: { name: string; close: () => void | Promise<void> }[] = [];

  add(name: string, close: () => void | Promise<void>): void {
    this.closers.push({ name, close });
  }

  async closeAll(): Promise<void> {
    let failure: Error | undefined;
    for (const { name, close } of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        failure ??= new Error(`closing the ${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }
    if (failure) throw failure;
  }
}
