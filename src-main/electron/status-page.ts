import type { CoreState } from './supervisor';
import { describeCoreState } from './status-text';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

function explanation(state: CoreState): string[] {
  switch (state.kind) {
    case 'starting':
      return ['The identity provider is starting; the console opens when it is ready.'];
    case 'running':
      return ['The identity provider is running.'];
    case 'restarting':
      return [`It stopped: ${state.reason}`, 'It is started again by itself; this page follows.'];
    case 'stopping':
      return ['Closing the database…'];
    case 'stopped':
      return ['The identity provider is not running.'];
  }
}

/**
 * The page the window shows while the console cannot be: a `data:` URL, no script, its own CSP
 * (no response headers exist for it), every dynamic text escaped.
 */
export function statusPageUrl(state: CoreState, problem?: string): string {
  const lines = [...explanation(state), ...(problem ? [problem] : [])].map((line) => `<p>${escape(line)}</p>`).join('');
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    '<title>Offline IdP</title><style>body{font-family:system-ui,sans-serif;margin:3rem;color:#1d2a30}h1{font-size:1.4rem}</style>' +
    `</head><body><h1>Offline IdP: ${escape(describeCoreState(state))}</h1>${lines}</body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
