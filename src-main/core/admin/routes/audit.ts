import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from '../admin-deps';
import { parseInput } from '../parse-input';
import type { StoredAuditEvent } from '../../store';
import type { AuditPage } from '../contract';

const auditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  /** ISO dates or datetimes; `to` is exclusive. */
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** RFC 4180 field: quoted when it holds a quote, comma or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(e: StoredAuditEvent): string {
  return [String(e.id), new Date(e.at).toISOString(), e.actor, e.action, e.target ?? '', String(e.count), e.details ? JSON.stringify(e.details) : ''].map(csvField).join(',');
}

/** `/api/audit`: admin actions and security events, newest first, filtered and paged by id. */
export function auditRoutes(deps: AdminDeps): Router {
  const { store } = deps.context;
  const router = express.Router();
  const filterOf = (q: z.output<typeof auditQuery>) => ({
    action: q.action || undefined,
    actor: q.actor || undefined,
    target: q.target || undefined,
    from: q.from ? Date.parse(q.from) : undefined,
    to: q.to ? Date.parse(q.to) : undefined,
  });

  router.get('/audit', (req, res) => {
    const q = parseInput(auditQuery, req.query);
    const items = store.audit.page(filterOf(q), q.before, q.limit + 1);
    const more = items.length > q.limit;
    const page = more ? items.slice(0, q.limit) : items;
    res.json({ items: page, nextBefore: more ? page[page.length - 1]?.id : undefined } satisfies AuditPage);
  });

  router.get('/audit/vocabulary', (_req, res) => {
    res.json(store.audit.vocabulary());
  });

  /** The whole filtered log as CSV, streamed page by page. */
  router.get('/audit.csv', (req, res) => {
    const q = parseInput(auditQuery.omit({ limit: true, before: true }), req.query);
    const filter = filterOf({ ...q, limit: 0 });
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/csv').attachment('audit.csv');
    // count: how many times the event happened (repeats of one source within a minute share a row)
    res.write('id,at,actor,action,target,count,details\r\n');
    let before: number | undefined;
    for (;;) {
      const page = store.audit.page(filter, before, 5_000);
      if (page.length === 0) break;
      res.write(page.map(csvLine).join('\r\n') + '\r\n');
      before = page[page.length - 1]?.id;
    }
    res.end();
  });

  return router;
}
