import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeBlocks, type ReadmeBlock } from '../helpers/readme-examples/blocks';
import { parseAnswer } from '../helpers/readme-examples/answer-shape';
import { shellScript } from '../helpers/readme-examples/shell-script';
import { runShellBlock, type ShellBlockRun } from '../helpers/readme-examples/run-shell-block';

/**
 * The README's examples run as written: every shell block against a real server (the built CLI,
 * a temp data folder, free ports), every sign-in URL in the test browser, every answer it shows
 * held to its shape, the complete configuration example equal to the file it names. A block that
 * cannot run here must say why in a marker right before it (see test/helpers/readme-examples/).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');

let blocks: ReadmeBlock[] = [];
let unreadable: Error | undefined;
try {
  blocks = readmeBlocks(README);
} catch (err) {
  unreadable = err as Error;
}

const firstCommand = (text: string) => text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'))?.trim().slice(0, 70) ?? '';
const report = (run: ShellBlockRun) =>
  `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}\n--- serve log\n${run.serveLog}\n--- the script run\n${run.script}\n--- answers\n${run.mismatches.join('\n')}`;
const DUMMY = { port: 1, adminPort: 2, dataDir: '/nonexistent', tmp: '/nonexistent' };

describe('README examples', () => {
  it('every code block has a language, and every block not run here says why', () => {
    expect(unreadable?.message).toBeUndefined();
    // A marker on a block this test could run would hide it: only the unrunnable may be marked.
    const markedButRunnable = blocks.filter((b) => b.lang === 'sh' && b.skip !== undefined && (() => {
      try {
        shellScript(b.text, DUMMY);
        return true;
      } catch {
        return false;
      }
    })());
    expect(markedButRunnable.map((b) => `line ${b.line}: ${firstCommand(b.text)}`)).toEqual([]);
    expect(blocks.filter((b) => b.lang === 'sh' && !b.skip).length).toBeGreaterThan(0);
  });

  for (const block of blocks.filter((b) => b.lang === 'sh' && !b.skip)) {
    it(`runs the shell block at line ${block.line}: ${firstCommand(block.text)}`, async () => {
      const run = await runShellBlock(block.text);
      expect(run.status, report(run)).toBe(0);
      expect(run.mismatches, report(run)).toEqual([]);
    });
  }

  for (const block of blocks.filter((b) => b.lang === 'json')) {
    const claimed = /`((?:resources|test|docs)\/[^`]+\.json)`/.exec(block.before)?.[1];
    it(`the JSON block at line ${block.line} is JSON${claimed ? ` and equals ${claimed}` : ''}`, () => {
      const parsed = parseAnswer(block.text);
      expect(parsed, block.text).toBeDefined();
      if (claimed) expect(parsed).toEqual(JSON.parse(readFileSync(`${ROOT}${claimed}`, 'utf8')));
    });
  }

  it('names no file the repository lacks', () => {
    const links = [...README.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
    const documents = [...README.matchAll(/(?<![\w/.-])((?:[\w.-]+\/)*[\w.-]+\.md)\b/g)].map((m) => m[1]!);
    const paths = [...README.matchAll(/`((?:src-main|src-renderer|test|resources|docs|scripts|bench|\.ci)\/[^`\s*{}]+)`/g)].map((m) => m[1]!);
    const missing = [...new Set([...links, ...documents, ...paths])].filter((p) => !existsSync(`${ROOT}${p.replace(/\/$/, '')}`));
    expect(missing).toEqual([]);
  });
});

describe('the README examples test itself: it fails when an example breaks, and runs what a reader would', () => {
  it('a token request for a client the site does not have', async () => {
    const run = await runShellBlock('curl -s -u scanner-0404:change-me-scanner-0001-secret-0123456789 \\\n     -d grant_type=client_credentials http://127.0.0.1:4800/connect/token');
    expect(run.status, report(run)).not.toBe(0);
    expect(run.stdout).toContain('invalid_client');
  });

  it('an answer other than the one shown', async () => {
    const run = await runShellBlock(
      'curl -s -u scanner-0001:change-me-scanner-0001-secret-0123456789 -d grant_type=client_credentials http://127.0.0.1:4800/connect/token\n# {"access_token":"eyJ…","token_type":"DPoP",…}',
    );
    expect(run.status, report(run)).toBe(0);
    expect(run.mismatches).toEqual([expect.stringContaining('$.token_type: expected "DPoP", got "Bearer"')]);
  });

  it('a sign-in that does not reach the redirect URI with a code', async () => {
    const url = 'http://127.0.0.1:4800/connect/authorize?client_id=stock-web&response_type=code&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
    const run = await runShellBlock(`# sign in as alice / not her password\n${url}`);
    expect(run.status, report(run)).not.toBe(0);
    expect(run.stderr).toContain('did not reach the redirect URI');
  });

  it('a block that runs what this test cannot, without a marker saying why', () => {
    expect(() => shellScript('npm install\nnpm run serve', DUMMY)).toThrow(/cannot run `npm install` here: mark the block/);
    expect(() => shellScript('npm run serve -- --seed resources/examples/site.json &\nkill $!', DUMMY)).toThrow(/\$! would be npm's PID/);
    expect(() => readmeBlocks('<!-- readme-test: skip — needs the network -->\n\nsome text\n```sh\nls\n```\n')).toThrow(/must come right before a code block/);
    expect(() => readmeBlocks('```\nls\n```\n')).toThrow(/needs a language/);
  });

  it('a server started with & is the $! that the block signals, and must stop with exit 0', async () => {
    const run = await runShellBlock(
      'node out/main/cli.js serve --seed resources/examples/site.json &\n' +
        'curl -s -u scanner-0001:change-me-scanner-0001-secret-0123456789 -d grant_type=client_credentials http://127.0.0.1:4800/connect/token\n' +
        '# {"token_type":"Bearer",…}\n' +
        'kill $!\nwait $! || echo "exit $?"\nif curl -s http://127.0.0.1:4800/.well-known/openid-configuration > /dev/null; then echo "still serving"; fi',
    );
    expect(run.status, report(run)).toBe(0);
    expect(run.mismatches, report(run)).toEqual([]);
    expect(run.stdout).not.toMatch(/exit \d|still serving/);
  });

  it('a sign-in that reaches the redirect URI sets CODE for the lines after it', async () => {
    const url = 'http://127.0.0.1:4800/connect/authorize?client_id=stock-web&response_type=code&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256';
    const run = await runShellBlock(
      `# sign in as alice / correct horse battery\n${url}\n` +
        'curl -s -u stock-web:change-me-stock-web-secret-0123456789abcdef -d grant_type=authorization_code -d "code=$CODE" \\\n' +
        '     -d redirect_uri=http://127.0.0.1:3000/callback -d code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk http://127.0.0.1:4800/connect/token\n' +
        '# {"access_token":"eyJ…","id_token":"eyJ…","token_type":"Bearer",…}',
    );
    expect(run.status, report(run)).toBe(0);
    expect(run.mismatches, report(run)).toEqual([]);
  });
});
