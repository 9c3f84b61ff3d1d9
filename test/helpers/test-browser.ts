/**
 * A small form-following browser for the IdP's own server-rendered pages: a cookie jar,
 * manual redirects, and form submission. It stops at the first URL outside the IdP (the
 * relying party's redirect URI), so no relying-party server is needed.
 */
export interface Page {
  url: string;
  status: number;
  html: string;
  headers: Headers;
}

export interface Form {
  action: string;
  fields: Array<[string, string]>;
  buttons: Array<[string, string]>;
}

export class TestBrowser {
  private readonly jar = new Map<string, string>();

  constructor(private readonly idpOrigin: string) {}

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  async open(url: string): Promise<Page> {
    return this.follow(url, { method: 'GET' });
  }

  /** Submits a form of `page`, with `values` overriding its fields and `button` naming the action. */
  async submit(page: Page, values: Record<string, string | string[]> = {}, button?: string, formIndex = 0): Promise<Page> {
    const form = forms(page.html)[formIndex];
    if (!form) throw new Error(`no form on ${page.url}:\n${page.html}`);
    const body = new URLSearchParams();
    for (const [k, v] of form.fields) if (!(k in values)) body.append(k, v);
    for (const [k, v] of Object.entries(values)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    if (button !== undefined) body.append('action', button);
    return this.follow(new URL(form.action, page.url).toString(), { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  private async follow(url: string, init: RequestInit): Promise<Page> {
    let current = url;
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      if (!current.startsWith(this.idpOrigin)) return { url: current, status: 0, html: '', headers: new Headers() };
      const res = await fetch(current, { ...request, redirect: 'manual', headers: { ...(request.headers as Record<string, string>), cookie: this.cookieHeader() } });
      for (const c of res.headers.getSetCookie()) this.store(c);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).toString();
        request = { method: 'GET' };
        continue;
      }
      return { url: current, status: res.status, html: await res.text(), headers: res.headers };
    }
    throw new Error('too many redirects');
  }

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(setCookie: string): void {
    const [pair, ...attrs] = setCookie.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (attrs.some((a) => a.trim().toLowerCase() === 'max-age=0') || value === '') this.jar.delete(name);
    else this.jar.set(name, value);
  }
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : undefined;
};

/** The forms of one of the IdP's pages (it writes plain, predictable markup). */
export function forms(html: string): Form[] {
  return [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map(([formHtml]) => {
    const open = /<form\b[^>]*>/.exec(formHtml)![0];
    const fields: Array<[string, string]> = [];
    for (const [tag] of formHtml.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(tag, 'name');
      const type = attr(tag, 'type') ?? 'text';
      if (!name || tag.includes(' disabled')) continue;
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
      fields.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]);
    }
    const buttons: Array<[string, string]> = [...formHtml.matchAll(/<button\b[^>]*>/g)].map(([tag]) => [attr(tag, 'name') ?? '', attr(tag, 'value') ?? '']);
    return { action: decode(attr(open, 'action') ?? ''), fields, buttons };
  });
}
