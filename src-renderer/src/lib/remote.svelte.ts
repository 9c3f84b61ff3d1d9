/** Data a page loads from the API: the latest value, whether it is loading, and why it failed. */
export class Remote<T> {
  value: T | undefined = $state();
  error: string | undefined = $state();
  loading = $state(false);
  private readonly fetcher: () => Promise<T>;

  constructor(fetcher: () => Promise<T>) {
    this.fetcher = fetcher;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.value = await this.fetcher();
      this.error = undefined;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.loading = false;
    }
  }
}
