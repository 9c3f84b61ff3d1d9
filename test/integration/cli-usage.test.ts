import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli-process';
import { tempDir } from '../helpers/temp-dir';
import { siteSeed } from '../helpers/seed';
import { startTestIdp, type TestIdp } from '../helpers/idp';
import { openDataDir, importConfiguration, silentLogger } from '../../src-main/core';
import { verifyPassword } from '../../src-main/core/domain/credentials';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: ReturnType<typeof tempDir>;
let dataDir: string;
let t: TestIdp | undefined;
beforeEach(async () => {
  dir = tempDir();
  dataDir = join(dir.path, 'data');
  const { store } = openDataDir(dataDir, { site: 'existing-or-new', logger: silentLogger });
  try {
    await importConfiguration(store, siteSeed(), Date.now(), 'test');
  } finally {
    store.close();
  }
});
afterEach(async () => {
  await t?.stop();
  t = undefined;
  dir.remove();
});

const cli = async (args: string[], input?: string) => await runCli([...args, '--data-dir', dataDir], input);
const clientIds = () => {
  const { store } = openDataDir(dataDir, { logger: silentLogger });
  try {
    return store.clients.list({}, '', 500).items.map((c) => c.clientId);
  } finally {
    store.close();
  }
};

describe('the CLI explains itself', () => {
  it('a mistyped option gets one line naming it and the command usage, which lists every clients subcommand', async () => {
    const r = await cli(['clients', 'create', 'x', '--template', 'device-secret', '--scope', 'inventory.read']);
    expect(r.status).toBe(2);
    const [first, blank, ...usage] = r.stderr.split('\n');
    expect(first).toBe('unknown option --scope (did you mean --scopes?)');
    expect(blank).toBe('');
    for (const sub of ['list', 'show', 'create', 'enrol', 'import-csv', 'disable', 'enable', 'delete', 'add-key', 'generate-key', 'remove-key']) {
      expect(usage.some((l) => l.startsWith(`  clients ${sub}`) || l.startsWith(`  clients disable|enable`))).toBe(true);
      expect(usage.join('\n')).toContain(`clients ${sub}`);
    }
    expect(r.stderr).not.toContain('serve'); // the command's usage, not all 60 lines
    expect(r.stderr).not.toContain('To specify a positional argument');
    expect(await runCli(['clients', 'list', '--data-dir', dataDir, '--limit'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^--limit needs a value\n\nUsage of clients/) });
    expect(await cli(['keys', 'rotate', '--now=yes'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^--now takes no value\n\nUsage of keys/) });
    const bare = await cli(['clients']);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('clients import-csv CSV_FILE');
    expect(bare.stderr).toContain('clients generate-key CLIENT_ID');
  });

  it('a missing CSV, key file, import file or seed and a bad export path are named with what to do, never as ENOENT', async () => {
    const csv = await cli(['clients', 'import-csv', 'no-such.csv', '--template', 'device-secret', '--scopes', 'inventory.read', '--out', join(dir.path, 'out.json')]);
    expect(csv.status).toBe(1);
    expect(csv.stderr).toBe(`no-such.csv: no such file (looked for ${join(ROOT, 'no-such.csv')}); give the path of the CSV of devices (columns id, name, group, tags, public_key)\n`);
    const key = await cli(['clients', 'add-key', 'scanner-0001', '--key-file', join(dir.path, 'gone.pem')]);
    expect(key).toMatchObject({ status: 1, stderr: `${join(dir.path, 'gone.pem')}: no such file; give the path of a public key file (PEM, or a JWK as JSON)\n` });
    const exported = await cli(['export', join(dir.path, 'no-folder', 'site.json')]);
    expect(exported).toMatchObject({ status: 1, stderr: `${join(dir.path, 'no-folder', 'site.json')}: the folder ${join(dir.path, 'no-folder')} does not exist; create it or choose another path\n` });
    const imported = await cli(['import', join(dir.path, 'gone.json')]);
    expect(imported).toMatchObject({ status: 1, stderr: `${join(dir.path, 'gone.json')}: no such file; give the path of a configuration file (JSON) to import\n` });
    const seed = await runCli(['serve', '--data-dir', join(dir.path, 'new'), '--port', '0', '--admin-port', '0', '--seed', join(dir.path, 'gone.json')]);
    expect(seed).toMatchObject({ status: 1, stderr: `${join(dir.path, 'gone.json')}: no such file; give the path of a configuration file (JSON) to import\n` });
    for (const r of [csv, key, exported, imported, seed]) expect(r.stderr).not.toMatch(/ENOENT|at .*\.ts:\d+/);
  });

  it('serve --seed with a bad file prints the header import prints: the file, "nothing was imported", each field', async () => {
    const file = join(dir.path, 'bad-seed.json');
    writeFileSync(file, JSON.stringify({ clients: [{ clientId: 'x', allowedScopes: ['ghost'], colour: 'red' }] }));
    const imported = await cli(['import', file]);
    const served = await runCli(['serve', '--data-dir', join(dir.path, 'new'), '--port', '0', '--admin-port', '0', '--seed', file]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toMatch(new RegExp(`^${file}: nothing was imported; fix these fields:\\n  clients\\[0\\]: Unrecognized key: "colour"\\n`));
    expect(served.status).toBe(1);
    expect(served.stderr).toBe(`cannot start: ${imported.stderr}`);
  });

  it('a closed standard output (export | head) ends the command quietly with 141, no EPIPE stack', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'export', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the command writes
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });

  it('users add on a terminal asks twice for the password without echoing it; mismatched entries change nothing', async () => {
    // A real pseudo-terminal: `script` (util-linux) runs the CLI with its stdin a TTY.
    const onTerminal = (username: string, answers: string[]) =>
      new Promise<{ code: number | null; screen: string }>((resolve) => {
        const command = `${process.execPath} --import tsx src-main/cli/main.ts users add ${username} --data-dir ${dataDir}`;
        const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
        let screen = '';
        let prompts = 0;
        child.stdout.on('data', (d: Buffer) => {
          screen += d.toString();
          // Answer each prompt once it is shown: raw mode is on by then, so nothing typed echoes.
          const shown = (screen.match(/password (for \S+|again): /g) ?? []).length;
          while (prompts < shown && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\r`);
        });
        child.once('close', (code) => resolve({ code, screen }));
      });
    const ok = await onTerminal('tess', ['terminal-secret-42', 'terminal-secret-42']);
    expect(ok.screen).toContain('password for tess: ');
    expect(ok.screen).toContain('the same password again: ');
    expect(ok.screen).not.toContain('terminal-secret-42');
    expect(ok.screen).toContain('added tess');
    expect(ok.code).toBe(0);
    const differ = await onTerminal('tom', ['one-password-123', 'another-password-456']);
    expect(differ.code).toBe(1);
    expect(differ.screen).toContain('the two passwords differ: nothing was changed');
    const { store } = openDataDir(dataDir, { logger: silentLogger });
    try {
      expect(await verifyPassword('terminal-secret-42', store.users.credentials('tess')!.passwordHash!)).toBe(true);
      expect(store.users.credentials('tom')).toBeUndefined();
    } finally {
      store.close();
    }
    // From a pipe it reads the first line as before.
    expect((await cli(['users', 'add', 'pia'], 'piped-password-789\n')).status).toBe(0);
  }, 60_000);
});

describe('the CLI refuses mistakes instead of accepting them', () => {
  it('a mistyped --data-dir is refused by every command but serve, and nothing is made there', async () => {
    const typo = join(dir.path, 'dat');
    for (const args of [['clients', 'list'], ['keys', 'list'], ['export'], ['users', 'add', 'zoe'], ['clients', 'disable', 'scanner-0001']]) {
      const r = await runCli([...args, '--data-dir', typo], 'zoe-password-1234\n');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(typo);
      expect(existsSync(typo)).toBe(false);
    }
  });

  it('a client from a template needs --scopes: refused, naming --scopes and the scopes the site defines; nothing is created', async () => {
    const r = await cli(['clients', 'create', 'dev-9', '--template', 'device-secret']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'nothing was created; fix these fields:\n  allowedScopes (--scopes): a device with a secret needs at least one scope: without one it can never get a token\n' +
        'the scopes this site defines: hidden inventory.read inventory.write labels.print openid\n',
    );
    expect((await cli(['enrolment-tokens', 'create', '--template', 'device-secret', '--max-uses', '5', '--expires', '2999-01-01T00:00:00Z'])).stderr).toContain('scopes: a device with a secret needs at least one scope');
    const batch = await cli(['clients', 'enrol', '--pattern', 'dev-{1..50}', '--template', 'device-key', '--out', join(dir.path, 'b.json')]);
    expect(batch.status).toBe(1);
    expect(batch.stderr.split('\n').filter((l) => l.includes('needs at least one scope'))).toHaveLength(1); // once, not per device
    expect(clientIds().filter((id) => id.startsWith('dev-'))).toEqual([]);
    expect(readdirSync(dir.path)).not.toContain('b.json.pending');
  });

  it('numeric options out of their documented range are usage errors (exit 2), never clamped', async () => {
    for (const [args, message] of [
      [['clients', 'list', '--limit', '0'], '--limit must be a whole number from 1 to 500, not "0"'],
      [['clients', 'list', '--limit', '600'], '--limit must be a whole number from 1 to 500, not "600"'],
      [['clients', 'list', '--limit', '2.5'], '--limit must be a whole number from 1 to 500'],
      [['clients', 'list', '--stale-days', 'x'], '--stale-days must be a whole number from 0 to 36500'],
      [['enrolment-tokens', 'create', '--template', 'device-secret', '--scopes', 'inventory.read', '--max-uses', '0', '--expires', '2999-01-01T00:00:00Z'], '--max-uses must be a whole number from 1 to 100000'],
      [['serve', '--port', '70000'], '--port must be a whole number from 0 to 65535'],
    ] as const) {
      const r = await cli([...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const page = await cli(['clients', 'list', '--limit', '2']);
    expect(page.status).toBe(0);
    expect(page.stdout.split('\n').filter(Boolean)).toHaveLength(4); // header, 2 rows, "2 shown of"
  });

  it('an unknown client, user or group is an error (exit 1) whether the folder is written directly or through the running server', async () => {
    const checks = async (user: string, run: (args: string[]) => Promise<{ status: number | null; stderr: string }>) => {
      expect(await run(['users', 'add', user])).toMatchObject({ status: 0 });
      expect(await run(['users', 'revoke-consent', user, 'no-such-client'])).toMatchObject({ status: 1, stderr: 'no client "no-such-client"\n' });
      expect(await run(['users', 'revoke-consent', 'nobody', 'scanner-0001'])).toMatchObject({ status: 1, stderr: 'no user "nobody"\n' });
      expect(await run(['clients', 'disable', '--group', 'nosuchgroup'])).toMatchObject({ status: 1, stderr: 'no client is in a group "nosuchgroup" (group names are exact: `clients list` shows them)\n' });
    };
    await checks('ann', async (args) => await cli(args, 'ann-password-1234\n'));
    t = await startTestIdp(undefined, { dataDir });
    await checks('abe', (args) => runCli([...args, '--data-dir', dataDir], 'abe-password-1234\n'));
  }, 60_000);

  it('an import names every bad field in one pass: schema errors, unknown scopes and username conflicts together', async () => {
    expect((await cli(['users', 'add', 'bob'], 'bob-password-1234\n')).status).toBe(0);
    const file = join(dir.path, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiScopes: [{ name: 'reports.read', colour: 'red' }],
        clients: [
          { clientId: 'bad id', allowedScopes: ['inventory.read'] },
          { clientId: 'c1', allowedScopes: ['ghost', 'reports.read'] },
        ],
        users: [{ subjectId: 'u-bob-2', username: 'bob' }],
      }),
    );
    const r = await cli(['import', file]);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe(`${file}: nothing was imported; fix these fields:`);
    expect(lines).toContain('  clients[0].clientId: must be printable ASCII without spaces');
    expect(lines).toContain('  apiScopes[0]: Unrecognized key: "colour"');
    // The client at [1] passed the schema: its references are checked in the same pass, named by its own index.
    expect(lines).toContain('  clients[1].allowedScopes[0]: unknown scope "ghost": define it in apiScopes or identityResources');
    expect(lines.some((l) => l.includes('"reports.read"'))).toBe(false); // defined by the refused scope: said once, there
    expect(lines.some((l) => /^ {2}users\[0\]\.username: already used by the user with subjectId/.test(l))).toBe(true);
    expect(clientIds()).not.toContain('c1');
  });

  it('bulk enrolment names every problem before it says "writing", and saves no credentials file', async () => {
    const out = join(dir.path, 'batch.json');
    const r = await cli(['clients', 'enrol', '--pattern', 'dev-{1..2}', '--template', 'device-secret', '--scopes', 'inventory.read ghost', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('writing');
    expect(r.stderr).not.toContain('.pending');
    expect(r.stderr).toContain('nothing was enrolled; fix these:\n  dev-1.allowedScopes[1] (--scopes): unknown scope "ghost"');
    expect(r.stderr).toContain('  dev-2.allowedScopes[1] (--scopes): unknown scope "ghost"');
    expect(r.stderr).toContain('the scopes this site defines: ');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir.path)).not.toContain('batch.json.pending');
    const taken = await cli(['clients', 'import-csv', writeCsv('id\nscanner-0001\nnew-1\n'), '--template', 'device-secret', '--scopes', 'inventory.read', '--out', out]);
    expect(taken.status).toBe(1);
    expect(taken.stderr).not.toContain('writing');
    expect(taken.stderr).toContain('row 2, column id: a client "scanner-0001" already exists');
    const fine = await cli(['clients', 'enrol', '--pattern', 'dev-{1..2}', '--template', 'device-secret', '--scopes', 'inventory.read', '--out', out]);
    expect(fine.status).toBe(0);
    expect(fine.stderr).toContain('writing 2 clients in one transaction');
  });

  it('group enable and disable print one summary line; secrets list has a header row', async () => {
    const out = join(dir.path, 'batch.json');
    expect((await cli(['clients', 'enrol', '--pattern', 'cam-{01..25}', '--template', 'device-secret', '--scopes', 'inventory.read', '--group', 'gate', '--out', out])).status).toBe(0);
    const off = await cli(['clients', 'disable', '--group', 'gate']);
    expect(off).toMatchObject({ status: 0, stdout: 'disabled 25 clients of group "gate": revoked 0 refresh and 0 reference tokens\n' });
    expect((await cli(['clients', 'enable', '--group', 'gate'])).stdout).toBe('enabled 25 clients of group "gate"\n');
    const secrets = await cli(['secrets', 'list', 'scanner-0001']);
    expect(secrets.status).toBe(0);
    const [header, row] = secrets.stdout.split('\n');
    expect(header).toMatch(/^ID +HINT +CREATED +EXPIRES +DESCRIPTION$/);
    expect(row).toMatch(/^1 +\S+… +\d{4}-/);
  });
});

function writeCsv(text: string): string {
  const file = join(dir.path, `devices-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  return file;
}
