/**
 * The static assets of the server-rendered pages, compiled in so that no file path has to be
 * found at run time (CLI, tests, packaged app) and nothing is ever fetched from elsewhere.
 * System fonts only.
 */
export interface Asset {
  type: string;
  body: string;
}

const FILES: Record<string, Asset> = {
  'idp.css': {
    type: 'text/css; charset=utf-8',
    body: `:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
.card { width: min(26rem, 92vw); padding: 2rem; border: 1px solid GrayText; border-radius: 0.5rem; }
h1 { font-size: 1.4rem; margin-top: 0; }
label { display: block; margin: 0.8rem 0 0.2rem; }
input:not([type]), input[type="password"] { width: 100%; box-sizing: border-box; padding: 0.5rem; font-size: 1rem; }
button { margin-top: 1rem; margin-right: 0.5rem; padding: 0.55rem 1.1rem; font-size: 1rem; cursor: pointer; }
button.secondary { background: transparent; }
:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
.error { color: #b00020; font-weight: 600; }
.scopes { padding-left: 1rem; }
.scopes .emphasize { font-weight: 600; }
.detail { color: GrayText; font-size: 0.9rem; }
iframe.logout { display: none; }
`,
  },
  'favicon.svg': {
    type: 'image/svg+xml',
    body: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f5f8b"/><path d="M8 3a3 3 0 0 0-3 3v1H4v6h8V7h-1V6a3 3 0 0 0-3-3zm-1.5 3a1.5 1.5 0 0 1 3 0v1h-3z" fill="#fff"/></svg>\n`,
  },
  // Submits the form_post response (OAuth 2.0 Form Post Response Mode) once the page loads;
  // without scripts the page shows a Continue button instead.
  'form-post.js': {
    type: 'text/javascript; charset=utf-8',
    body: `document.getElementById('form-post')?.submit();\n`,
  },
};

/** A Map, not the object: a name from the URL such as `__proto__` or `constructor` finds nothing. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map(Object.entries(FILES));
