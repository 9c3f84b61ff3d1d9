/**
 * Turns one README shell block into a script this machine can run against the test's server:
 *
 * - `npm run serve --` and `npm run cli --` (also `-s`) become the built CLI, `node out/main/cli.js`,
 *   and `npm run build` a no-op (the test setup built `out/`);
 * - the README's ports 4800 and 4801 become the test's, any `--data-dir` the block's folder (the
 *   CLI finds it anyway through `XDG_CONFIG_HOME`);
 * - a line that runs `serve` (in the foreground or with `&`) starts it in the background and goes
 *   on once it is ready; `$!` after a `serve … &` is that server's PID. A block that starts no
 *   server gets one seeded with `resources/examples/site.json`;
 * - a URL on a line of its own is opened in the test browser (signing in as the comment before it
 *   says: "sign in as USER / PASSWORD");
 * - a command followed by a comment holding JSON (`# {"access_token":"eyJ…",…}`) has its output
 *   kept, to be held to that shape (see answer-shape.ts).
 *
 * Anything else that cannot run here (npm install, npm start, ssh …) is refused: such a block
 * needs a skip marker with its reason.
 */
import { parseAnswer } from './answer-shape';

export interface ShellScript {
  script: string;
  /** The answers the README shows, by the file the script writes each command's output to. */
  answers: Array<{ file: string; expected: unknown; command: string }>;
}

export interface ScriptTarget {
  port: number;
  adminPort: number;
  dataDir: string;
  tmp: string;
}

const CLI = 'node out/main/cli.js';
const NOT_HERE = /(^|[\s;&|(`])(npm|npx|ssh|sudo|electron|electron-builder|electron-vite)(\s|$)/;

function substitute(text: string, target: ScriptTarget): string {
  return text
    .replace(/\bnpm run(?: -s| --silent)? serve(?: --(?=\s|$))?/g, `${CLI} serve`)
    .replace(/\bnpm run(?: -s| --silent)? cli(?: --(?=\s|$))?/g, CLI)
    .replace(/\bnpx offline-idp\b/g, CLI)
    .replace(/\bnpm run build\b/g, ': built-by-the-test-setup')
    .replace(/\b(127\.0\.0\.1|localhost|\[::1\]):4800\b/g, `$1:${target.port}`)
    .replace(/\b(127\.0\.0\.1|localhost|\[::1\]):4801\b/g, `$1:${target.adminPort}`)
    .replace(/--port(=|\s+)4800\b/g, `--port$1${target.port}`)
    .replace(/--admin-port(=|\s+)4801\b/g, `--admin-port$1${target.adminPort}`)
    .replace(/--data-dir(=|\s+)\S+/g, `--data-dir$1'${target.dataDir}'`);
}

/** Commands with their continuation lines, and comment lines, in order. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    current.push(line);
    if (!/\\$/.test(line) || line.trim().startsWith('#')) {
      out.push(current.join('\n'));
      current = [];
    }
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function shellScript(text: string, target: ScriptTarget): ShellScript {
  // Issue 11: `kill $!` after `npm run serve &` stops npm and leaves the server holding the ports.
  const npmInBackground = /^.*\bnpm run(?: -s| --silent)? serve\b.*&\s*$/m.exec(text);
  if (npmInBackground) throw new Error(`\`${npmInBackground[0].trim()}\`: $! would be npm's PID, not the server's; run \`node out/main/cli.js serve … &\``);
  const lines = logicalLines(substitute(text, target));
  const answers: ShellScript['answers'] = [];
  const out: string[] = [];
  let startsServer = false;
  let serverInBackground = false;
  let signIn: [string, string] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      const who = /sign in as (\S+) \/ (.+?)\s*$/.exec(trimmed);
      if (who) signIn = [who[1]!, who[2]!];
      out.push(line);
      continue;
    }
    if (NOT_HERE.test(line)) throw new Error(`cannot run \`${trimmed}\` here: mark the block <!-- readme-test: skip — reason -->, or teach test/helpers/readme-examples to run it`);
    let command: string;
    const serve = /^(\s*)node out\/main\/cli\.js serve\b(.*?)\s*(&)?\s*$/.exec(line);
    if (/^https?:\/\/\S+$/.test(trimmed)) {
      command = `__browse ${quote(trimmed)}${signIn ? ` ${quote(signIn[0])} ${quote(signIn[1])}` : ''}`;
    } else if (serve && !line.includes('\n')) {
      command = `${serve[1]}__serve${serve[2]}`;
      startsServer = true;
      serverInBackground = serve[3] === '&';
    } else if (line.includes(`${CLI} serve`)) {
      throw new Error(`\`${trimmed}\`: start serve on a line of its own (optionally with a trailing &)`);
    } else {
      if (/&\s*$/.test(line)) serverInBackground = false;
      command = serverInBackground ? line.replace(/\$!/g, '$__SERVER') : line;
    }
    // The answer the README shows: the comment lines right after the command, when they hold JSON.
    const shown: string[] = [];
    let j = i + 1;
    if (j < lines.length && /^\s*#\s*[{[]/.test(lines[j]!)) {
      while (j < lines.length && lines[j]!.trim().startsWith('#')) {
        shown.push(lines[j]!.trim().replace(/^#\s?/, ''));
        j++;
        if (parseAnswer(shown.join('\n')) !== undefined) break;
      }
    }
    if (shown.length === 0) {
      out.push(command);
      continue;
    }
    const expected = parseAnswer(shown.join('\n'));
    if (expected === undefined) throw new Error(`the answer shown after \`${trimmed}\` is not JSON:\n${shown.join('\n')}`);
    const file = `${target.tmp}/answer-${answers.length}`;
    answers.push({ file, expected, command: trimmed });
    const mayFail = typeof expected === 'object' && expected !== null && 'error' in expected;
    out.push(`{ ${mayFail ? '__MAY_FAIL=1; ' : ''}${command}\n} > ${quote(file)}; ${mayFail ? '__MAY_FAIL=; ' : ''}cat ${quote(file)}; echo`);
    out.push(...lines.slice(i + 1, j));
    i = j - 1;
  }
  const server = startsServer ? [] : ['__serve --seed resources/examples/site.json   # the server a reader has running by now'];
  return { script: [...server, ...out, ''].join('\n'), answers };
}
