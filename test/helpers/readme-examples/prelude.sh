# The functions a README shell block runs with (test/integration/readme-examples.test.ts puts
# this in front of each block after rewriting it). The runner sets README_PORT,
# README_ADMIN_PORT and README_TMP, and HOME and XDG_CONFIG_HOME to the block's temp folder, so
# `serve` and the CLI use the block's own data folder (`$XDG_CONFIG_HOME/offline-idp`).
set -eo pipefail

__SERVER=

# `serve` as a reader runs it in another terminal: started here in the background, and the block
# goes on once the server has logged "ready" (which it does once discovery answers).
__serve() {
  exec {__serve_fd}< <(exec node out/main/cli.js serve --port "$README_PORT" --admin-port "$README_ADMIN_PORT" "$@" 2>&1)
  __SERVER=$!
  local line
  while IFS= read -r -u "$__serve_fd" line; do
    printf '%s\n' "$line" >> "$README_TMP/serve.log"
    case $line in *'"msg":"ready"'*) cat <&"$__serve_fd" >> "$README_TMP/serve.log" 2>/dev/null & return 0 ;; esac
  done
  echo "serve ended before it was ready:" >&2
  cat "$README_TMP/serve.log" >&2
  return 1
}

# The README says SIGTERM stops the server cleanly with exit code 0: hold it to that.
__stop_server() {
  [ -n "$__SERVER" ] || return 0
  kill -TERM "$__SERVER" 2>/dev/null || true
  local rc=0
  wait "$__SERVER" || rc=$?
  __SERVER=
  [ "$rc" -eq 0 ] || { echo "serve exited with $rc after SIGTERM" >&2; return 1; }
}
trap '__rc=$?; if ! __stop_server && [ "$__rc" -eq 0 ]; then __rc=91; fi; exit "$__rc"' EXIT

# An HTTP error fails the block, unless the README shows that error as the answer.
curl() {
  if [ -n "${__MAY_FAIL-}" ]; then command curl "$@"; else command curl --fail-with-body --show-error "$@"; fi
}

# A URL on a line of its own is opened in the form-following test browser, signing in when asked;
# an authorization request must end at the client's redirect URI with a code. Sets REDIRECT_URL
# and CODE for the lines after it.
__browse() {
  local out
  out=$(node --import tsx test/helpers/readme-examples/browse.ts "$@") || return 1
  { IFS= read -r REDIRECT_URL; IFS= read -r CODE || true; } <<< "$out"
  printf '%s\n' "$REDIRECT_URL"
}
