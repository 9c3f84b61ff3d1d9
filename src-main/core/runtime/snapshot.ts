import type { ChangeStamp } from '../store/change-stamp';

/** A value derived from the database, rebuilt only when the change stamp moves. */
export class Snapshot<T> {
  private stamp: string | undefined;
  private value: T | undefined;

  constructor(
    private readonly changes: ChangeStamp,
    private readonly load: () => T,
  ) {}

  get(): T {
    const stamp = this.changes.current();
    if (stamp !== this.stamp || this.value === undefined) {
      this.value = this.load();
      this.stamp = stamp;
    }
    return this.value;
  }
}
