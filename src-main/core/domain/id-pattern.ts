/** Most clients one pattern may name: a batch is one transaction and one download. */
export const MAX_BATCH = 100_000;

/**
 * Expands an id pattern with one numeric range, e.g. `scanner-{0001..0500}` → scanner-0001 …
 * scanner-0500. The start's width sets the zero padding. Returns an error message instead of
 * ids when the pattern is not of that form.
 */
export function expandIdPattern(pattern: string): { ids: string[] } | { error: string } {
  const m = /^([^{}]*)\{(\d+)\.\.(\d+)\}([^{}]*)$/.exec(pattern);
  if (!m) return { error: 'must contain one range such as {0001..0500}, e.g. scanner-{0001..0500}' };
  const [, prefix, from, to, suffix] = m as unknown as [string, string, string, string, string];
  const start = Number(from);
  const end = Number(to);
  if (end < start) return { error: 'the range must count up' };
  if (end - start + 1 > MAX_BATCH) return { error: `a batch holds at most ${MAX_BATCH} clients` };
  const width = from.length;
  return { ids: Array.from({ length: end - start + 1 }, (_, i) => `${prefix}${String(start + i).padStart(width, '0')}${suffix}`) };
}
