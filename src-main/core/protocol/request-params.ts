import type { IncomingMessage } from 'node:http';
import { InvalidRequest } from './errors';
import { JSON_TYPE, MAX_BODY_BYTES, readBody } from '../http/request-body';

/** Parameters that may legitimately repeat in protocol requests (RFC 8707 §2: `resource`). */
const PROTOCOL_REPEATABLE: ReadonlySet<string> = new Set(['resource']);

/**
 * The parameters of one request, already checked for repetition (RFC 6749 §3.2: parameters
 * MUST NOT be included more than once). Empty values count as absent (RFC 6749 §3.1).
 */
export class RequestParams {
  constructor(
    private readonly values: ReadonlyMap<string, readonly string[]>,
    private readonly visible?: ReadonlySet<string>,
  ) {}

  get(name: string): string | undefined {
    return this.has(name) ? this.values.get(name)?.[0] : undefined;
  }

  all(name: string): readonly string[] {
    return (this.has(name) && this.values.get(name)) || [];
  }

  has(name: string): boolean {
    return (this.visible === undefined || this.visible.has(name)) && this.values.has(name);
  }

  /** A view restricted to the named parameters: what a grant did not declare, it never sees. */
  only(names: ReadonlySet<string>): RequestParams {
    return new RequestParams(this.values, names);
  }
}

/** Decodes one application/x-www-form-urlencoded component; malformed or non-UTF-8 escapes throw. */
export function decodeFormComponent(raw: string): string {
  // Most values (grant types, scopes, ids, base64url secrets and tokens) need no decoding.
  if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequest('the request body is not valid UTF-8 form encoding');
  }
}

export function parseForm(body: string, repeatable: ReadonlySet<string> = PROTOCOL_REPEATABLE): RequestParams {
  const values = new Map<string, string[]>();
  if (body.length === 0) return new RequestParams(values);
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeFormComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeFormComponent(pair.slice(eq + 1));
    if (value === '') continue;
    const list = values.get(name);
    if (list === undefined) values.set(name, [value]);
    else if (repeatable.has(name)) list.push(value);
    else throw new InvalidRequest(`parameter "${name}" is included more than once`);
  }
  return new RequestParams(values);
}

const protocolTooLarge = () => new InvalidRequest(`the request body exceeds ${MAX_BODY_BYTES} bytes`, 413);
const protocolBody = (req: IncomingMessage) => readBody(req, MAX_BODY_BYTES, protocolTooLarge);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a JSON object body (RFC 7591 registration requests): right type, bounded, strict UTF-8. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) throw new InvalidRequest('the request body must be application/json');
  const body = await protocolBody(req);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch {
    throw new InvalidRequest('the request body is not valid UTF-8 JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidRequest('the request body must be a JSON object');
  return value as Record<string, unknown>;
}

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Reads a POSTed form body: right content type, bounded size, strict UTF-8. */
export async function readForm(req: IncomingMessage, repeatable?: ReadonlySet<string>): Promise<RequestParams> {
  const type = req.headers['content-type'];
  if (type === undefined || !FORM_TYPE.test(type)) {
    throw new InvalidRequest('the request body must be application/x-www-form-urlencoded');
  }
  const body = await protocolBody(req);
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new InvalidRequest('the request body is not valid UTF-8');
  }
  return parseForm(text, repeatable);
}
