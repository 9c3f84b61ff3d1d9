import { ApiError } from './http';
import { errorMessage } from './error-message';
import { messagesFor, valueAt, type FieldErrors } from './field-errors';

/** What the parts around a form's fields read of it: the errors to sum up, and whether it is being sent. */
export interface FormOutcome {
  readonly allErrors: FieldErrors;
  readonly formError: string | undefined;
  readonly refusals: number;
  readonly busy: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One form's state: the values as typed, their validation as you type (the same zod schema
 * the server uses), and the server's field errors after a refusal.
 *
 * - A local error shows once its field differs from the loaded value, or after a submit.
 * - The server's error for a field shows until that field is edited; the typed values are
 *   never reset by a refusal, so nothing the operator wrote is lost.
 */
export class FormState<T extends object> implements FormOutcome {
  values: T = $state() as T;
  busy = $state(false);
  /** A message for the whole form: a conflict, an unreachable server. */
  formError: string | undefined = $state();
  /** Incremented at every refused submit: the error summary takes focus when it changes. */
  refusals = $state(0);
  private initial: T = $state() as T;
  private attempted = $state(false);
  private server: FieldErrors = $state({});
  private refusedWith: T | undefined = $state();
  private readonly validate: (values: T) => FieldErrors;

  readonly local: FieldErrors = $derived(this.runValidation());

  constructor(initial: T, validate: (values: T) => FieldErrors) {
    this.validate = validate;
    this.reset(initial);
  }

  private runValidation(): FieldErrors {
    return this.validate(this.values);
  }

  /** Starts over from `values` (after loading or saving). */
  reset(values: T): void {
    this.values = $state.snapshot(values) as T;
    this.initial = $state.snapshot(values) as T;
    this.attempted = false;
    this.server = {};
    this.refusedWith = undefined;
    this.formError = undefined;
  }

  get dirty(): boolean {
    return !same(this.values, this.initial);
  }

  private serverStillApplies(path: string): boolean {
    return this.refusedWith !== undefined && same(valueAt(this.values, path), valueAt(this.refusedWith, path));
  }

  /** The message to show under the field at `path`, if any. */
  error(path: string, itemWord?: string): string | undefined {
    if (this.serverStillApplies(path)) {
      const server = messagesFor(this.server, path, itemWord);
      if (server) return server;
    }
    if (this.attempted || !same(valueAt(this.values, path), valueAt(this.initial, path))) return messagesFor(this.local, path, itemWord);
    return undefined;
  }

  /** Every error that currently applies, for the summary above the form. */
  get allErrors(): FieldErrors {
    const out: FieldErrors = this.attempted ? { ...this.local } : {};
    for (const [path, message] of Object.entries(this.server)) if (this.serverStillApplies(path)) out[path] = message;
    return out;
  }

  /**
   * Validates, then runs `action` with a plain copy of the values. A refusal with field errors
   * puts them in place; any other failure becomes the form's message. True when it succeeded.
   */
  async submit(action: (values: T) => Promise<void>): Promise<boolean> {
    this.attempted = true;
    this.formError = undefined;
    if (Object.keys(this.local).length > 0) {
      this.refusals++;
      return false;
    }
    this.busy = true;
    const sent = $state.snapshot(this.values) as T;
    try {
      await action(sent);
      this.server = {};
      this.refusedWith = undefined;
      this.attempted = false;
      return true;
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) {
        this.server = err.fields;
        this.refusedWith = sent;
        this.formError = 'The IdP refused these values. Fix the fields marked below; everything you typed is kept.';
      } else {
        this.formError = errorMessage(err);
      }
      this.refusals++;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
