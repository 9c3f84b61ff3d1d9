import { UsageError } from './cli-errors';

/**
 * A whole-number option within its documented range, or undefined when it was not given.
 * Out of range is a usage error rather than a silent clamp: `--limit 0` showing one row or
 * `--limit 600` quietly meaning 500 hides the mistake.
 */
export function wholeNumberOption(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}
