/**
 * Hash routing (`#/clients`, `#/clients/scanner-0001`, `#/clients?staleDays=7`): the admin
 * listener serves only `/`, and a reload or a bookmark lands on the same page. Path segments
 * are URI-encoded, since client ids may hold `/`, `?` or `#`.
 */

export interface Location {
  /** Decoded path segments: `#/clients/a%2Fb` → ['clients', 'a/b']. */
  segments: string[];
  query: URLSearchParams;
}

function parse(hash: string): Location {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

export const location = $state<Location>(parse(window.location.hash));

window.addEventListener('hashchange', () => Object.assign(location, parse(window.location.hash)));

/** `href` for a route: `link('clients', id)` → `#/clients/<id encoded>`. */
export function link(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

/** The same, with a query string of the defined, non-empty values. */
export function linkWithQuery(segments: string[], params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return link(...segments) + (s ? `?${s}` : '');
}

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

/** Replaces the current history entry (no step back to it): used to drop the launch token. */
export function replace(href: string): void {
  history.replaceState(history.state, '', window.location.pathname + href);
  Object.assign(location, parse(href));
}

/** Changes the current entry's query without adding a history step (filters as you type). */
export function replaceQuery(params: Record<string, string | number | undefined>): void {
  const href = linkWithQuery(location.segments, params);
  if (href !== window.location.hash) replace(href);
}
