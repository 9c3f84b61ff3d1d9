import type { Store } from '../store';
import { ValidationError, expandIdPattern, parseCsv, MAX_BATCH, type ClientTemplate, type FieldError } from '../domain';
import { createClients, type CreatedClient, type EnrolProgress, type NewClientRequest } from './client-creation';

/** What every client of a batch shares; a CSV row may override group and tags. */
export interface BatchDefaults {
  template: ClientTemplate;
  allowedScopes: string[];
  group?: string | undefined;
  tags?: string[] | undefined;
}

/**
 * Renames a `[i].field` error with `label(i, field)` (a device id, or a CSV row and column) and
 * a `[i]` inside a message with `name(i)`.
 */
async function createNamed(
  store: Store,
  requests: NewClientRequest[],
  now: number,
  actor: string,
  onProgress: EnrolProgress | undefined,
  label: (index: number, field: string) => string,
  name: (index: number) => string,
): Promise<CreatedClient[]> {
  try {
    return await createClients(store, requests, now, actor, onProgress);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      err.errors.map((e) => {
        const m = /^\[(\d+)\]\.?(.*)$/.exec(e.path);
        const message = e.message.replace(/\[(\d+)\]/g, (_, n: string) => name(Number(n)));
        return m ? { path: label(Number(m[1]), m[2] as string), message } : { ...e, message };
      }),
    );
  }
}

/** `scanner-{0001..0500}` from one template: one transaction for the whole batch. */
export async function enrolByPattern(store: Store, pattern: string, defaults: BatchDefaults, now: number, actor: string, onProgress?: EnrolProgress): Promise<CreatedClient[]> {
  const expanded = expandIdPattern(pattern);
  if ('error' in expanded) throw new ValidationError([{ path: 'pattern', message: expanded.error }]);
  const requests = expanded.ids.map((clientId) => ({ ...defaults, clientId }));
  return createNamed(
    store,
    requests,
    now,
    actor,
    onProgress,
    (i, field) => `${expanded.ids[i]}${field ? `.${field}` : ''}`,
    (i) => expanded.ids[i] as string,
  );
}

/** A JWK cell; text that is not JSON goes on as text and fails key validation with a clear message. */
function jsonOrText(cell: string): Record<string, unknown> | string {
  try {
    return JSON.parse(cell) as Record<string, unknown>;
  } catch {
    return cell;
  }
}

const CSV_COLUMNS = ['id', 'name', 'group', 'tags', 'public_key'] as const;
const COLUMN_OF: Record<string, string> = { clientId: 'id', clientName: 'name', group: 'group', tags: 'tags', publicKey: 'public_key' };

/**
 * Devices from a CSV file with a header row: `id` (required), `name`, `group`, `tags` (separated
 * by spaces or semicolons), `public_key` (PEM or JWK, device-key template only). A bad row
 * rejects the whole batch; every problem is named by row (as a spreadsheet numbers it, the
 * header being row 1) and column.
 */
export async function enrolFromCsv(store: Store, csv: string, defaults: BatchDefaults, now: number, actor: string, onProgress?: EnrolProgress): Promise<CreatedClient[]> {
  const parsed = parseCsv(csv);
  if ('error' in parsed) throw new ValidationError([{ path: 'file', message: parsed.error }]);
  const [header, ...rows] = parsed.rows;
  if (!header) throw new ValidationError([{ path: 'file', message: 'is empty: the first row must name the columns, e.g. id,name,group,tags,public_key' }]);
  const columns = header.map((h) => h.trim().toLowerCase());
  const errors: FieldError[] = [];
  columns.forEach((c, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(c)) errors.push({ path: `row 1, column ${i + 1}`, message: `"${c}" is not a known column; use ${CSV_COLUMNS.join(', ')}` });
  });
  if (!columns.includes('id')) errors.push({ path: 'row 1', message: 'needs an "id" column' });
  if (rows.length === 0) errors.push({ path: 'file', message: 'has no device rows' });
  if (rows.length > MAX_BATCH) errors.push({ path: 'file', message: `has ${rows.length} rows; a batch holds at most ${MAX_BATCH}` });
  if (errors.length) throw new ValidationError(errors);

  const requests: NewClientRequest[] = rows.map((cells, r) => {
    const get = (name: (typeof CSV_COLUMNS)[number]) => {
      const i = columns.indexOf(name);
      const v = i < 0 ? undefined : cells[i]?.trim();
      return v === '' ? undefined : v;
    };
    if (cells.length !== columns.length) errors.push({ path: `row ${r + 2}`, message: `has ${cells.length} fields; the header has ${columns.length}` });
    const key = get('public_key');
    const tags = get('tags');
    return {
      ...defaults,
      clientId: get('id') ?? '',
      clientName: get('name'),
      group: get('group') ?? defaults.group,
      tags: tags === undefined ? defaults.tags : tags.split(/[\s;]+/).filter(Boolean),
      publicKey: key === undefined ? undefined : key.startsWith('{') ? jsonOrText(key) : key,
    };
  });
  if (errors.length) throw new ValidationError(errors);
  return createNamed(
    store,
    requests,
    now,
    actor,
    onProgress,
    (i, field) => {
      const column = COLUMN_OF[field.split(/[.[]/)[0] as string];
      return `row ${i + 2}${column ? `, column ${column}` : field ? ` (${field})` : ''}`;
    },
    (i) => `row ${i + 2}`,
  );
}
