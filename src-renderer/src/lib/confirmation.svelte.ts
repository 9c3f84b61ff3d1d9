/**
 * An action on one item that a `ConfirmDialog` asks about first: `ask(item)` opens the dialog
 * about that item (bind the dialog's `open` to `open`, write its title from `item`), and the
 * dialog's `onconfirm={confirmation.confirm}` runs the action on it.
 */
export class Confirmation<T> {
  open = $state(false);
  item: T | undefined = $state();
  private readonly action: (item: T) => Promise<void>;

  constructor(action: (item: T) => Promise<void>) {
    this.action = action;
  }

  ask = (item: T): void => {
    this.item = item;
    this.open = true;
  };

  confirm = async (): Promise<void> => {
    if (this.item !== undefined) await this.action(this.item);
  };
}
