import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--import', 'tsx', 'src-main/cli/main.ts'];

/** Runs a CLI command to completion in its own process, exactly as an operator would. */
export function runCliProcess(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same without blocking this process: for a CLI that talks to a server running in this
 * test process (spawnSync would freeze the server's event loop and the two would wait forever).
 */
export function runCliAsync(args: string[], input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin!.end(input);
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
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
