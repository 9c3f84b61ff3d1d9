/**
 * How the README shows an answer in brief, and whether a real answer has that shape.
 *
 * An answer is JSON in which `…` (or `...`) stands for what varies: a string `"…"` is any value,
 * `"eyJ…"` any string of that form, a trailing `…` member of an object or array (`{"a":1,…}`,
 * `[{…},…]`) allows more. Members an object shows must be there with the value shown; other
 * members may be there too (an answer is shown in brief). Arrays without a trailing `…` must have
 * exactly the elements shown.
 */
const ELLIPSIS = /…|\.\.\./;
const MORE = '\u0000more';

/** Parses an answer as the README writes it; undefined when it is not JSON even so. */
export function parseAnswer(text: string): unknown {
  const json = text
    .replace(/\{\s*(?:…|\.\.\.)\s*\}/g, '{}')
    .replace(/,\s*(?:…|\.\.\.)\s*\}/g, '}')
    .replace(/,\s*(?:…|\.\.\.)\s*\]/g, `,"${MORE}"]`);
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/** Every way `actual` differs from the shape `expected`, by JSON path; empty when it matches. */
export function shapeMismatches(expected: unknown, actual: unknown, path = '$'): string[] {
  if (typeof expected === 'string' && ELLIPSIS.test(expected)) {
    if (expected === '…' || expected === '...') return actual === undefined ? [`${path}: missing`] : [];
    const pattern = new RegExp(`^${expected.split(ELLIPSIS).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
    return typeof actual === 'string' && pattern.test(actual) ? [] : [`${path}: expected a string like ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    const more = expected[expected.length - 1] === MORE;
    const shown = more ? expected.slice(0, -1) : expected;
    if (more ? actual.length < shown.length : actual.length !== shown.length) {
      return [`${path}: expected ${more ? 'at least ' : ''}${shown.length} elements, got ${actual.length}`];
    }
    return shown.flatMap((e, i) => shapeMismatches(e, actual[i], `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, e]) => shapeMismatches(e, (actual as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(expected, actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
