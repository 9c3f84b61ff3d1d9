/**
 * The one check of the URIs a client registers: where the server sends a browser (redirect and
 * post-logout redirect URIs) and what it loads or calls at logout (front- and back-channel).
 * The configuration schema (import, admin API, CLI, templates), dynamic registration and the
 * authorize endpoint (for clients stored before this check existed) all ask these functions.
 */

/** RFC 3986 §2: unreserved, reserved and percent signs; anything else must be percent-encoded. */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/** Schemes that run or read something locally instead of reaching a web server. */
const DANGEROUS_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file']);

/**
 * RFC 8252 §7.1: a private-use scheme is a domain name the app controls, in reverse order, so
 * it holds at least one period (`com.example.app`). The stricter reading: the period is required.
 */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/** The client's kind as far as its URIs are concerned. */
export interface UriOwner {
  template?: string | undefined;
}

/**
 * A native app (RFC 8252) is a client made from the `native` template (or imported with
 * `template: "native"`): the only kind that may receive a private-use scheme redirect. A public
 * client alone is not enough, since single-page apps are public clients in a browser.
 */
export function isNativeClient(client: UriOwner): boolean {
  return client.template === 'native';
}

/** What every client URI must be, whatever it is for: the problem, or the parsed URI. */
function uriProblem(uri: string): { problem: string } | { url: URL; scheme: string } {
  if (!URL.canParse(uri)) return { problem: 'must be an absolute URI' };
  const url = new URL(uri);
  const scheme = url.protocol.slice(0, -1);
  if (DANGEROUS_SCHEMES.has(scheme)) return { problem: `must not use the ${scheme}: scheme` };
  if (!URI_CHARACTERS.test(uri)) return { problem: 'must be printable ASCII without spaces, quotes, backslashes or angle brackets (percent-encode them, RFC 3986 §2)' };
  // RFC 6749 §3.1.2: the redirection endpoint URI MUST NOT include a fragment.
  if (uri.includes('#')) return { problem: 'must not have a fragment (#…)' };
  // Userinfo would make `https://trusted.example@evil.example/` read as the trusted host (RFC 3986 §3.2.1 deprecates it).
  if (url.username || url.password || /^[^:]+:\/\/[^/?]*@/.test(uri)) return { problem: 'must not hold a user name or password (user:password@host)' };
  return { url, scheme };
}

function isHttp(scheme: string, uri: string): boolean {
  // The raw text, not only the parsed URL: WHATWG also reads `https:host` and `https:///host` as URLs.
  return (scheme === 'http' || scheme === 'https') && /^https?:\/\/[^/?#]/i.test(uri);
}

/**
 * Why `uri` may not be a redirect URI of this client, or undefined if it may: http(s), or for a
 * native app a private-use scheme (RFC 8252 §7.1). Without a client (a schema field checked
 * before the client's kind is known) a private-use scheme passes; the client check follows.
 */
export function redirectUriProblem(uri: string, client?: UriOwner): string | undefined {
  const checked = uriProblem(uri);
  if ('problem' in checked) return checked.problem;
  if (isHttp(checked.scheme, uri)) return undefined;
  if (!PRIVATE_USE_SCHEME.test(checked.scheme)) {
    return 'must be an http(s) URI, or for a native app a private-use scheme named after a reverse domain, such as com.example.app:/callback (RFC 8252 §7.1)';
  }
  if (client && !isNativeClient(client)) return 'may use a private-use scheme only in a native app (template "native", RFC 8252 §7.1); a web client needs http(s)';
  return undefined;
}

/** Why `uri` may not be a logout URI (front-channel, back-channel, post-logout redirect): http(s) only. */
export function logoutUriProblem(uri: string): string | undefined {
  const checked = uriProblem(uri);
  if ('problem' in checked) return checked.problem;
  return isHttp(checked.scheme, uri) ? undefined : 'must be an http or https URI';
}
