import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['out/main/cli.js'];

/**
 * Runs a CLI command to completion in its own process, exactly as an operator would: the built
 * CLI (`out/main/cli.js`, made by the global setup), which starts in a third of the time tsx
 * needs. Never blocking: a test process often hosts a server under test, and a synchronous spawn
 * would freeze that server's event loop (a CLI talking to it would wait forever, and a client's
 * keep-alive socket would outlive the server's 5 s keep-alive timeout and be reset under it).
 */
export function runCli(
  args: string[],
  input = '',
  as: { uid: number; gid: number; env: NodeJS.ProcessEnv } | undefined = undefined,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], ...as });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin!.on('error', () => {}); // a command that exits before reading its input
  child.stdin!.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

/** A CLI process started in the background, for tests that act while it runs (kill it, release a lock). */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface ServeProcess {
  child: ChildProcess;
  issuer: string;
  /** The single-use console URL serve printed. */
  consoleUrl: string;
  lines: string[];
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `serve` (ephemeral ports) in a child process and resolves once it is ready and has printed its console URL. */
export function startServeProcess(args: string[], options: { protocolPortFlag?: boolean } = {}): Promise<ServeProcess> {
  const port = options.protocolPortFlag === false ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [...CLI, 'serve', ...port, '--admin-port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let issuer: string | undefined;
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; issuer?: string; url?: string };
          if (entry.msg === 'ready' && entry.issuer) issuer = entry.issuer;
          if (entry.msg === 'console' && entry.url && issuer) resolve({ child, issuer, consoleUrl: entry.url, lines, exited });
        } catch {
          /* not a log line */
        }
      }
    });
    void exited.then(({ code }) => reject(new Error(`serve exited (${code}) before ready: ${stderr}`)));
  });
}
