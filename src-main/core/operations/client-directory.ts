import type { Store, ClientFilter, ClientSummary } from '../store';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface ClientPage {
  items: ClientSummary[];
  /** How many clients match in all (not only on this page). */
  total: number;
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor: string | undefined;
}

/**
 * The fleet's client list: filtered by search text, group, tag, enabled and staleness, in
 * client id order, paged by cursor. Paging never truncates (Hydra's list stopped at 100), and
 * a page costs the same at any depth because the cursor is a key, not an offset.
 */
export function listClients(store: Store, filter: ClientFilter, page: { after?: string | undefined; limit?: number | undefined } = {}): ClientPage {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  // One row more than asked tells whether another page exists.
  const { items, total } = store.clients.list(filter, page.after ?? '', limit + 1);
  const more = items.length > limit;
  const shown = more ? items.slice(0, limit) : items;
  return { items: shown, total, nextCursor: more ? shown[shown.length - 1]?.clientId : undefined };
}
