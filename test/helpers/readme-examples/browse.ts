/**
 * Opens a URL from the README in the form-following test browser, as a reader would paste it:
 * `node --import tsx test/helpers/readme-examples/browse.ts URL [USERNAME PASSWORD]`.
 * It signs in on the login page and allows on the consent page when they come. An authorization
 * request must end at the client's redirect URI with a `code` (printed on the second line after
 * the redirect URL); any other URL must answer 200 (its body is printed). Exit 1 otherwise.
 */
import { TestBrowser, forms } from '../test-browser';

const [url, username, password] = process.argv.slice(2);
if (!url) throw new Error('usage: browse.ts URL [USERNAME PASSWORD]');

const origin = new URL(url).origin;
const browser = new TestBrowser(origin);
const isAuthorize = new URL(url).pathname.endsWith('/connect/authorize');

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let page = await browser.open(url);
let signedIn = false;
for (let step = 0; step < 4 && page.url.startsWith(origin) && isAuthorize && page.status === 200; step++) {
  const form = forms(page.html)[0];
  if (form?.fields.some(([name]) => name === 'password') && !signedIn) {
    if (username === undefined || password === undefined) fail(`${page.url} asks to sign in, and the README names no user ("sign in as USER / PASSWORD")`);
    page = await browser.submit(page, { username, password }, 'login');
    signedIn = true;
  } else if (form?.buttons.some(([, value]) => value === 'allow')) {
    page = await browser.submit(page, {}, 'allow');
  } else {
    break;
  }
}

if (!isAuthorize) {
  if (page.status !== 200) fail(`${url} answered ${page.status}:\n${page.html}`);
  process.stdout.write(`${page.html}\n`);
} else {
  if (page.url.startsWith(origin)) fail(`the sign-in did not reach the redirect URI; it stopped at ${page.url} (${page.status}):\n${page.html}`);
  const redirect = new URL(page.url);
  const code = redirect.searchParams.get('code');
  if (!code) fail(`the redirect carries no code: ${page.url}`);
  process.stdout.write(`${page.url}\n${code}\n`);
}
