import { errorMessage } from './error-message';

/** Data a page loads from the API: the latest value, and why the last load failed. */
export class Remote<T> {
  value: T | undefined = $state();
  error: string | undefined = $state();
  private readonly fetcher: () => Promise<T>;

  constructor(fetcher: () => Promise<T>) {
    this.fetcher = fetcher;
  }

  /** Loads again; an arrow function, so that it can be handed around as a callback. */
  load = async (): Promise<void> => {
    try {
      this.value = await this.fetcher();
      this.error = undefined;
    } catch (err) {
      this.error = errorMessage(err);
    }
  };
}
