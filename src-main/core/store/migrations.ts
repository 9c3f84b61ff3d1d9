import { NOT_DEVICE_SQL } from './device-clients-sql';

/**
 * Versioned schema migrations. Each runs once, in order, inside a transaction together with the
 * `user_version` bump, so a crash mid-migration leaves the previous version intact.
 * Never edit a released migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: initial schema */ `
  CREATE TABLE clients (
    client_id   TEXT PRIMARY KEY,
    client_name TEXT,
    enabled     INTEGER NOT NULL,
    template    TEXT,
    client_group TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    settings    TEXT NOT NULL,            -- JSON: the other Client properties that differ from their defaults
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX clients_by_group ON clients(client_group, client_id);

  CREATE TABLE client_secrets (
    id          INTEGER PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
    sha256      BLOB NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER
  ) STRICT;
  CREATE INDEX client_secrets_by_client ON client_secrets(client_id);

  CREATE TABLE api_scopes (name TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT;
  CREATE TABLE api_resources (name TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT;
  CREATE TABLE api_resource_secrets (
    id            INTEGER PRIMARY KEY,
    resource_name TEXT NOT NULL REFERENCES api_resources(name) ON DELETE CASCADE,
    sha256        BLOB NOT NULL,
    description   TEXT,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER
  ) STRICT;
  CREATE INDEX api_resource_secrets_by_resource ON api_resource_secrets(resource_name);
  CREATE TABLE identity_resources (name TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT;

  CREATE TABLE users (
    subject_id    TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT,
    claims        TEXT NOT NULL,
    enabled       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_login_at INTEGER
  ) STRICT;

  CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    alg         TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('next', 'active', 'retired', 'revoked')),
    public_jwk  TEXT NOT NULL,
    private_jwk BLOB NOT NULL,            -- AES-256-GCM under the key-encryption key
    created_at  INTEGER NOT NULL,
    activate_at INTEGER NOT NULL,
    retired_at  INTEGER
  ) STRICT;

  -- Every server-side artefact with a lifetime: reference tokens, revoked JWT ids, used client
  -- assertion ids; later codes, refresh tokens, device codes, consents. Handles are stored hashed.
  CREATE TABLE grants (
    handle_hash BLOB PRIMARY KEY,
    type        TEXT NOT NULL,
    client_id   TEXT NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
    subject     TEXT,
    session_id  TEXT,
    family      TEXT,
    data        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    consumed_at INTEGER
  ) STRICT;
  CREATE INDEX grants_by_client ON grants(client_id, type);
  CREATE INDEX grants_by_expiry ON grants(expires_at);

  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT,
    details TEXT
  ) STRICT;
  CREATE INDEX audit_by_time ON audit(at);

  -- Token counts, failures and last contact per client per UTC day, never one row per token.
  -- (Per day, not per minute: a 100k-device fleet would otherwise write 100k rows a minute.)
  CREATE TABLE usage (
    client_id    TEXT NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
    day          INTEGER NOT NULL,          -- days since 1970-01-01 UTC
    issued       INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    last_seen    INTEGER,                   -- last token issued, ms since the epoch
    last_address TEXT,
    PRIMARY KEY (client_id, day)
  ) STRICT, WITHOUT ROWID;
  `,
  /* 2: interactive sign-in */ `
  -- SSO sessions. The cookie carries a random handle; only its SHA-256 is stored. \`sid\` is the
  -- public session id put in ID tokens and logout tokens.
  CREATE TABLE sessions (
    handle_hash  BLOB PRIMARY KEY,
    sid          TEXT NOT NULL UNIQUE,
    subject      TEXT NOT NULL REFERENCES users(subject_id) ON DELETE CASCADE,
    auth_time    INTEGER NOT NULL,
    amr          TEXT NOT NULL,
    clients      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_by_subject ON sessions(subject);

  -- Failed sign-in counters per account and per address, for throttling and temporary locks.
  CREATE TABLE login_attempts (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until    INTEGER
  ) STRICT;

  -- Operator-made tokens that let devices register themselves (RFC 7591), each with a template,
  -- a use limit and an expiry. Only the SHA-256 of the token is kept.
  CREATE TABLE initial_access_tokens (
    token_hash   BLOB PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    description  TEXT,
    template     TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    client_group TEXT,
    tags         TEXT NOT NULL,
    max_uses     INTEGER NOT NULL,
    uses         INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
  ) STRICT;

  CREATE INDEX grants_by_family ON grants(family);
  CREATE INDEX grants_by_session ON grants(session_id);
  `,
  /* 3: operator console */ `
  -- Site-wide token counts per minute for the dashboard chart; kept for a week.
  CREATE TABLE usage_minutes (
    minute INTEGER PRIMARY KEY,              -- minutes since the epoch
    issued INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  -- The admin API key for scripts: only its SHA-256 and a hint are kept.
  CREATE TABLE admin_api_keys (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    sha256     BLOB NOT NULL,
    hint       TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  -- Single-use console launch tokens (SHA-256), minted by the server, the desktop shell or the CLI.
  CREATE TABLE launch_tokens (
    sha256     BLOB PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE INDEX grants_by_subject ON grants(subject, type);
  CREATE INDEX audit_by_action ON audit(action, id);
  CREATE INDEX usage_by_day ON usage(day);
  `,
  /* 4: defects found by review */ `
  -- Tokens a client was issued before this time (ms) are dead even after it is enabled again:
  -- set when a client is disabled, so re-enabling never revives its old JWTs.
  ALTER TABLE clients ADD COLUMN tokens_not_before INTEGER;

  -- Repeated security events (a rejected admin key, a throttled sign-in, a failed client
  -- authentication) share one row per source, reason and minute, with a count, so an attacker
  -- cannot grow the database one row per request. aggregate_key is NULL for ordinary rows.
  ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE audit ADD COLUMN aggregate_key TEXT;
  CREATE UNIQUE INDEX audit_by_aggregate_key ON audit(aggregate_key) WHERE aggregate_key IS NOT NULL;
  -- A client's failed authentications for its activity view, without scanning every client's.
  CREATE INDEX audit_by_target ON audit(target, action, id);
  -- The clients that are not devices (sign-in apps: a handful), so the dashboard's device counts
  -- subtract them instead of reading every active client's settings (device-clients-sql.ts).
  CREATE INDEX clients_not_devices ON clients(client_id) WHERE ${NOT_DEVICE_SQL};
  `,
];
