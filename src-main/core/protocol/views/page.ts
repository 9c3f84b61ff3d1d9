import type { ServerResponse } from 'node:http';
import { html, type SafeHtml } from '../../http/html';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  status?: number;
  /** Extra CSP sources: where forms may post (form_post) and which origins may be framed (front-channel logout). */
  formAction?: readonly string[];
  frameSources?: readonly string[];
  /** Static scripts from /assets (never inline). */
  scripts?: readonly string[];
  /** `<meta http-equiv=refresh>` target: a redirect that needs no script. */
  refreshTo?: string;
  headers?: Record<string, string>;
}

/**
 * Writes a server-rendered page with the strict headers every page carries: a CSP with no
 * inline script or style and no external source, no framing (X-Frame-Options and
 * frame-ancestors), no caching, no referrer, no MIME sniffing.
 */
export function writePage(res: ServerResponse, options: PageOptions): void {
  const csp = [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `script-src ${options.scripts?.length ? "'self'" : "'none'"}`,
    `form-action 'self'${options.formAction?.length ? ' ' + options.formAction.join(' ') : ''}`,
    options.frameSources?.length ? `frame-src ${options.frameSources.join(' ')}` : "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshTo ? html`<meta http-equiv="refresh" content="3;url=${options.refreshTo}">` : ''}
<title>${options.title}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/idp.css">
${(options.scripts ?? []).map((s) => html`<script src="/assets/${s}" defer></script>`)}
</head>
<body>
<main class="card">
${options.body}
</main>
</body>
</html>
`.value;
  res.writeHead(options.status ?? 200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(document),
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...options.headers,
  });
  res.end(document);
}
