import type { Store } from '../store';
import { ValidationError, expandIdPattern, parseCsv, MAX_BATCH, type ClientTemplate, type FieldError } from '../domain';
import { commitClients, prepareClients, type CreatedClient, type EnrolProgress, type NewClientRequest, type PreparedClients } from './client-creation';

/** What every client of a batch shares; a CSV row may override group and tags. */
export interface BatchDefaults {
  template: ClientTemplate;
  allowedScopes: string[];
  group?: string | undefined;
  tags?: string[] | undefined;
}

/**
 * A batch before anything is made: its requests, and how an error at `[i].field` is named for
 * the operator (`label(i, field)`: a device id, or a CSV row and column; `name(i)` for a `[i]`
 * inside a message).
 */
export interface BatchPlan {
  requests: NewClientRequest[];
  label: (index: number, field: string) => string;
  name: (index: number) => string;
}

/**
 * Makes the batch's credentials, then hands it to `write`, which commits it in one transaction
 * (in this process, or through a running server's admin API) and may first save the
 * credentials somewhere safe (the CLI's output file): a `write` that throws leaves nothing
 * written. Errors of either step are named by the plan.
 */
export async function runBatch(plan: BatchPlan, write: (batch: PreparedClients) => Promise<void>, onProgress?: EnrolProgress): Promise<CreatedClient[]> {
  try {
    const batch = await prepareClients(plan.requests, onProgress);
    onProgress?.('writing', 0, plan.requests.length);
    await write(batch);
    onProgress?.('done', plan.requests.length, plan.requests.length);
    return batch.created;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      err.errors.map((e) => {
        const m = /^\[(\d+)\]\.?(.*)$/.exec(e.path);
        const message = e.message.replace(/\[(\d+)\]/g, (_, n: string) => plan.name(Number(n)));
        return m ? { path: plan.label(Number(m[1]), m[2] as string), message } : { ...e, message };
      }),
    );
  }
}

/** One client, its errors named by field alone (as `createClientFromTemplate` names them). */
export function singleClientPlan(request: NewClientRequest): BatchPlan {
  return { requests: [request], label: (_i, field) => field, name: () => request.clientId };
}

/** `scanner-{0001..0500}` from one template. */
export function patternPlan(pattern: string, defaults: BatchDefaults): BatchPlan {
  const expanded = expandIdPattern(pattern);
  if ('error' in expanded) throw new ValidationError([{ path: 'pattern', message: expanded.error }]);
  return {
    requests: expanded.ids.map((clientId) => ({ ...defaults, clientId })),
    label: (i, field) => `${expanded.ids[i]}${field ? `.${field}` : ''}`,
    name: (i) => expanded.ids[i] as string,
  };
}

/** `scanner-{0001..0500}` from one template: one transaction for the whole batch. */
export async function enrolByPattern(store: Store, pattern: string, defaults: BatchDefaults, now: number, actor: string, onProgress?: EnrolProgress): Promise<CreatedClient[]> {
  return runBatch(patternPlan(pattern, defaults), (batch) => commitClients(store, batch.clients, now, actor), onProgress);
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
export function csvPlan(csv: string, defaults: BatchDefaults): BatchPlan {
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
  return {
    requests,
    label: (i, field) => {
      const column = COLUMN_OF[field.split(/[.[]/)[0] as string];
      return `row ${i + 2}${column ? `, column ${column}` : field ? ` (${field})` : ''}`;
    },
    name: (i) => `row ${i + 2}`,
  };
}

/** A batch from a CSV file (see `csvPlan`): one transaction for the whole batch. */
export async function enrolFromCsv(store: Store, csv: string, defaults: BatchDefaults, now: number, actor: string, onProgress?: EnrolProgress): Promise<CreatedClient[]> {
  return runBatch(csvPlan(csv, defaults), (batch) => commitClients(store, batch.clients, now, actor), onProgress);
}
