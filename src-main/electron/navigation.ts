function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True for a URL on the console's origin (`http://127.0.0.1:PORT` of the running core), only. */
export function isConsoleUrl(url: string, consoleOrigin: string | undefined): boolean {
  return consoleOrigin !== undefined && parse(url)?.origin === consoleOrigin;
}

/**
 * The link a page may hand to the system browser: http(s) only, so a page can never make the
 * shell open `file:`, `smb:` or a custom-scheme handler; no credentials in the URL; nothing on
 * the console's own origin (it would open without a session). `undefined`: open nothing.
 */
export function externalLink(url: string, consoleOrigin: string | undefined): string | undefined {
  const parsed = parse(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return undefined;
  if (parsed.username || parsed.password || parsed.origin === consoleOrigin) return undefined;
  return parsed.href;
}
