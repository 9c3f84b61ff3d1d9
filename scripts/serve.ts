import { runCli } from '../src-main/cli/run-cli';

/**
 * `npm run serve`: the CLI's `serve` in this process, which also stops when it is orphaned.
 *
 * npm runs a script under `sh -c` and forwards SIGINT/SIGTERM to that shell only; the shell dies
 * of the signal without passing it on (dash and bash do not exec the last command of an `&&`
 * list, and `exec` does not exist in Windows' cmd.exe, where npm runs scripts too). So
 * `kill <npm's pid>` used to leave the server holding its ports. Here the server checks its
 * parent process: once the shell is gone it stops exactly as on SIGTERM (requests in flight
 * finish, counters are written, exit 0). Only while serve still listens for SIGTERM, i.e. is not
 * already stopping: a second stop would cut the first short. npm itself exits at once; the server
 * follows within a poll interval plus its graceful stop.
 */
const ORPHAN_POLL_MS = 200;

const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent || process.listenerCount('SIGTERM') === 0) return;
  clearInterval(watch);
  process.emit('SIGTERM', 'SIGTERM');
}, ORPHAN_POLL_MS);
watch.unref();

runCli(['serve', ...process.argv.slice(2)]).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
