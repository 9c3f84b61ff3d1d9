import { expandIdPattern } from '../../../src-main/core/domain';
import { parseCsv } from '../../../src-main/core/domain';
import type { ClientTemplate } from '../../../src-main/core/domain';
import type { FieldErrors } from './field-errors';
import { validateNewClient } from './new-client';

export type BatchPreview = { count: number; first?: string | undefined; last?: string | undefined } | { error: string };

/** A chosen CSV file, read once; its text is kept by the page, outside the form's state. */
export interface CsvFile {
  name: string;
  preview: BatchPreview;
}

/** What a batch's clients share, as typed on the bulk enrolment page. */
export interface BatchValues {
  mode: 'pattern' | 'csv';
  template: ClientTemplate;
  pattern: string;
  csv: CsvFile | undefined;
  allowedScopes: string[];
  group: string | undefined;
  tags: string[];
}

/** A CSV file's device count and first/last ids, or why it cannot be read. */
export function previewCsv(text: string): BatchPreview {
  const parsed = parseCsv(text);
  if ('error' in parsed) return parsed;
  const [header, ...rows] = parsed.rows;
  const idColumn = header?.map((h) => h.trim().toLowerCase()).indexOf('id') ?? -1;
  if (idColumn < 0) return { error: 'the first row must name the columns and include "id", e.g. id,name,group,tags,public_key' };
  return { count: rows.length, first: rows[0]?.[idColumn], last: rows[rows.length - 1]?.[idColumn] };
}

/** The batch's size and first/last ids, or why it cannot be read; shown before sending. */
export function previewBatch(v: BatchValues): BatchPreview | undefined {
  if (v.mode === 'csv') return v.csv?.preview;
  if (!v.pattern.trim()) return undefined;
  const expanded = expandIdPattern(v.pattern.trim());
  if ('error' in expanded) return expanded;
  return { count: expanded.ids.length, first: expanded.ids[0], last: expanded.ids[expanded.ids.length - 1] };
}

/**
 * Checks the batch before it is sent: the source reads, and the shared settings pass the
 * server's client schema (tried on the batch's first id). Row-by-row checks are the server's.
 */
export function validateBatch(v: BatchValues): FieldErrors {
  const errors: FieldErrors = {};
  const preview = previewBatch(v);
  const source = v.mode === 'pattern' ? 'pattern' : 'csv';
  if (preview === undefined) errors[source] = v.mode === 'pattern' ? 'required, e.g. scanner-{0001..0500}' : 'choose a CSV file';
  else if ('error' in preview) errors[source] = preview.error;
  else if (preview.count === 0) errors[source] = 'has no device rows';
  const sample = preview && !('error' in preview) && preview.first ? preview.first : 'sample-device';
  const shared = validateNewClient(v.template, { clientId: sample, clientName: undefined, group: v.group, tags: v.tags, allowedScopes: v.allowedScopes, redirectUris: [], postLogoutRedirectUris: [], publicKey: undefined });
  for (const [path, message] of Object.entries(shared)) if (/^(group|tags|allowedScopes)/.test(path)) errors[path] = message;
  return errors;
}
