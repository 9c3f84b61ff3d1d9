import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthError } from './errors';
import { closeIfBodyUnread } from '../http/request-body';
import { parseForm, readForm, type RequestParams } from './request-params';
import { csrfValid } from './browser-session';
import { writeErrorPage } from './views/error-page';

/**
 * The parameters of a browser page request: the POSTed form, or the query string of a GET
 * (`queryToo`). A malformed request gets the error page and `undefined`.
 */
export async function readPageParams(req: IncomingMessage, res: ServerResponse, options: { queryToo?: boolean; repeatable?: ReadonlySet<string> } = {}): Promise<RequestParams | undefined> {
  try {
    if (options.queryToo && req.method !== 'POST') return parseForm(new URL(req.url ?? '/', 'http://x').search.slice(1));
    return await readForm(req, options.repeatable);
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    closeIfBodyUnread(req, res);
    writeErrorPage(res, err.status, err.code, err.description);
    return undefined;
  }
}

/** Answers a form whose CSRF token does not match with the error page; true when it did. */
export function refusedForCsrf(req: IncomingMessage, res: ServerResponse, params: RequestParams): boolean {
  if (csrfValid(req, params)) return false;
  writeErrorPage(res, 403, 'csrf', 'The form could not be verified. Reload the page and try again.');
  return true;
}
