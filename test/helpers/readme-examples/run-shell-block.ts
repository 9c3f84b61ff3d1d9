import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../temp-dir';
import { shapeMismatches } from './answer-shape';
import { shellScript } from './shell-script';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PRELUDE = readFileSync(fileURLToPath(new URL('prelude.sh', import.meta.url)), 'utf8');
/** A block that has not finished by then is stopped and fails: a README command that waits for ever. */
const BLOCK_LIMIT_MS = 45_000;

export interface ShellBlockRun {
  status: number | null;
  stdout: string;
  stderr: string;
  serveLog: string;
  /** The rewritten script, for the failure message. */
  script: string;
  /** Where an answer differs from the one the README shows. */
  mismatches: string[];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free port below the kernel's ephemeral range, so no server of another test (they all listen
 * on port 0) can take it between this check and `serve` listening on it.
 */
async function freePort(taken: number[] = []): Promise<number> {
  const range = existsSync('/proc/sys/net/ipv4/ip_local_port_range') ? readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8') : '32768';
  const low = Number(range.trim().split(/\s+/)[0]);
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    if (!taken.includes(port) && (await canListen(port))) return port;
  }
}

/**
 * Runs one README shell block (rewritten by shell-script.ts) with bash, in its own process group,
 * over a fresh temp data folder and free ports; never blocks this process.
 */
export async function runShellBlock(text: string): Promise<ShellBlockRun> {
  const tmp = tempDir('readme-block-');
  try {
    const home = join(tmp.path, 'home');
    const config = join(tmp.path, 'config');
    mkdirSync(home);
    mkdirSync(config);
    const port = await freePort();
    const adminPort = await freePort([port]);
    const { script, answers } = shellScript(text, { port, adminPort, dataDir: join(config, 'offline-idp'), tmp: tmp.path });
    const file = join(tmp.path, 'block.sh');
    writeFileSync(file, `${PRELUDE}\n${script}`);
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: config, README_PORT: String(port), README_ADMIN_PORT: String(adminPort), README_TMP: tmp.path };
    const child = spawn('bash', [file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* the group is gone */
      }
    };
    const limit = setTimeout(() => {
      stderr += `\n(the block did not finish within ${BLOCK_LIMIT_MS / 1000} s and was stopped)`;
      killGroup('SIGKILL');
    }, BLOCK_LIMIT_MS);
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(limit);
    killGroup('SIGKILL'); // whatever the block left running
    await new Promise((resolve) => (child.stdout.closed && child.stderr.closed ? resolve(undefined) : child.once('close', resolve)));
    const mismatches = answers.flatMap(({ file: answerFile, expected, command }) => {
      if (!existsSync(answerFile)) return [`\`${command}\` did not run`];
      const text = readFileSync(answerFile, 'utf8');
      let actual: unknown;
      try {
        actual = JSON.parse(text);
      } catch {
        return [`\`${command}\` answered something that is not JSON: ${text}`];
      }
      return shapeMismatches(expected, actual).map((m) => `\`${command}\`: ${m}`);
    });
    const serveLogFile = join(tmp.path, 'serve.log');
    return { status, stdout, stderr, serveLog: existsSync(serveLogFile) ? readFileSync(serveLogFile, 'utf8') : '', script, mismatches };
  } finally {
    tmp.remove();
  }
}
