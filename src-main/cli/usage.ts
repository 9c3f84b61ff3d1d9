export const USAGE = `offline-idp: an OpenID Connect / OAuth 2.0 provider for sites with no internet

Usage: offline-idp <command> [options]      (from a checkout: npm run cli -- <command> ...)

Commands:
  serve                      run the IdP until SIGINT/SIGTERM
      --host ADDR            address to listen on (default 127.0.0.1)
      --port N               port (default 4800; 0 picks a free one)
      --issuer URL           issuer (default http://HOST:PORT); required with --host 0.0.0.0
      --seed FILE            import this configuration file before listening
      --admin-port N         console and admin API port, always on 127.0.0.1 (default 4801)
                             serve prints a single-use console URL when it is ready
      --new-site             make a new, empty site in a folder whose database is missing
                             beside its key-encryption key (never over an existing database)
  console-url                a fresh single-use console URL for the running server
  admin-key show|rotate|revoke   the admin API key for scripts; rotate prints a new one once
  import FILE                import a configuration file (all or nothing)
  export [FILE]              write the configuration (never secrets or private keys) to FILE or stdout
  keys list                  list signing keys and their lifecycle
  keys rotate [--now]        announce a new key per algorithm; --now makes it sign immediately
  keys revoke KID            withdraw a key from JWKS at once (tokens it signed stop verifying)
  secrets add CLIENT_ID      generate a client secret and print it once
      [--expires ISO-DATE] [--description TEXT]
  secrets list CLIENT_ID     a client's secrets by id, hint and expiry (never the secret)
  secrets expire CLIENT_ID SECRET_ID [--at ISO-DATE]
                             end an old secret now or later (rotation with overlap)
  clients list               list clients, 50 a page: --search TEXT --group G --tag T
      --enabled|--disabled --stale-days N (not seen for N days) --limit N (1-500) --after CLIENT_ID
  clients show CLIENT_ID     settings, last contact, tokens and failures per day (14 days)
  clients create CLIENT_ID --template T   create a client from a template and print its provisioning
      [--name N] [--scopes "a b"]       bundle (secret or private key) once; templates: device-secret, device-key,
      [--group G] [--tags "a b"]        device-input, service, spa, web, native; --scopes is required
      [--redirect-uri U]...             (a client with no scope can never get a token)
  clients enrol --pattern 'scanner-{0001..0500}' --template T --out FILE
      [--scopes "a b"] [--group G] [--tags "a b"]   a batch in one transaction; provisioning
      [--issuer URL]         bundles to FILE (.zip: with QR codes and a printable label sheet)
  clients import-csv CSV_FILE --template T --out FILE [--scopes ...] [--group G] [--tags ...]
                             columns: id (required), name, group, tags, public_key
  clients disable CLIENT_ID... the kill switch: token requests fail at once; refresh and
                             reference tokens are revoked; its JWTs introspect inactive
  clients enable CLIENT_ID...  issue tokens again (revoked tokens stay revoked)
  clients disable|enable --group G   the same for every client of a group
  clients delete CLIENT_ID   remove a client with its secrets, grants and usage
  clients add-key CLIENT_ID --key-file FILE   register a public key (PEM or JWK) for private_key_jwt
  clients generate-key CLIENT_ID              make a key pair; print the private JWK once
  clients remove-key CLIENT_ID KID
  enrolment-tokens create --template T --scopes "a b" --max-uses N (1-100000) --expires ISO-DATE
      [--group G] [--tags "a b"] [--description D]   a token devices register themselves with
  enrolment-tokens list | enrolment-tokens revoke ID
  users add USERNAME         add a local account; asks for the password twice on a terminal
      [--subject-id ID] [--claims JSON]   (not echoed), else reads its first line from standard input
  users passwd USERNAME      set a new password (asked for, or read, the same way)
  users disable USERNAME     refuse sign-in (and refresh) for the account; users enable undoes it
  users unlock USERNAME      lift a sign-in lock after too many failed attempts
  users revoke-consent USERNAME CLIENT_ID
                             forget a remembered consent: the next sign-in asks again

Every command takes --data-dir DIR (default: the per-user application-data folder).
While a server runs over that folder, the commands that change it send the change to the
server's admin API (nothing to configure); otherwise they write the folder themselves.
Exit codes: 0 done; 1 refused (nothing was changed; the message says why); 2 the command
was used wrongly (an unknown option, a value out of range); 141 standard output was closed
(\`... | head\`: what was left unprinted is lost, which matters for a secret shown once).
`;

/** A command's own lines of USAGE (a line naming it and the indented lines under it), or undefined. */
export function commandUsage(command: string): string | undefined {
  const picked: string[] = [];
  let inside = false;
  for (const line of USAGE.split('\n')) {
    // A command line is indented by two spaces; its continuation lines by more.
    if (/^  \S/.test(line)) inside = line.slice(2).split(/[\s|]/)[0] === command;
    else if (!line.startsWith('   ')) inside = false;
    if (inside) picked.push(line);
  }
  return picked.length === 0 ? undefined : `Usage of ${command} (all commands: --help):\n${picked.join('\n')}\n`;
}
