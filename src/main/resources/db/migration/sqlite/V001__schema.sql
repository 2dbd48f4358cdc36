-- Lethe schema, embedded (SQLite) dialect. Keep in step with db/migration/postgresql.

CREATE TABLE projects (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL,
    token            TEXT    NOT NULL UNIQUE,
    api_secret_hash  TEXT    NOT NULL UNIQUE,
    api_secret_sealed TEXT   NOT NULL,
    region           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL
);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    email       TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE memberships (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    role        TEXT    NOT NULL,
    PRIMARY KEY (user_id, project_id)
);

CREATE TABLE gdpr_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);

CREATE TABLE service_accounts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    username     TEXT    NOT NULL UNIQUE,
    secret_hash  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);

CREATE TABLE service_account_roles (
    service_account_id INTEGER NOT NULL REFERENCES service_accounts(id),
    project_id         INTEGER NOT NULL REFERENCES projects(id),
    role               TEXT    NOT NULL,
    PRIMARY KEY (service_account_id, project_id)
);

-- time_ms is epoch milliseconds whatever unit the SDK sent.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL,
    distinct_id  TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    time_ms      INTEGER NOT NULL,
    insert_id    TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    properties   TEXT    NOT NULL,
    received_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_dedupe ON events (project_id, distinct_id, time_ms, event, insert_id);

CREATE TABLE profiles (
    project_id   INTEGER NOT NULL,
    distinct_id  TEXT    NOT NULL,
    properties   TEXT    NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (project_id, distinct_id)
);

-- An undirected edge between two ids of one person; stored once per direction
-- so that both ends are found through the primary key.
CREATE TABLE identity_links (
    project_id  INTEGER NOT NULL,
    id_a        TEXT    NOT NULL,
    id_b        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (project_id, id_a, id_b)
);

-- Only a keyed hash of the suppressed id is kept: Lethe must not hold a copy
-- of an id it was asked to forget.
CREATE TABLE suppressions (
    project_id   INTEGER NOT NULL,
    id_hash      TEXT    NOT NULL,
    task_id      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    dropped      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, id_hash)
);

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_id      TEXT    NOT NULL UNIQUE,
    project_id       INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    compliance_type  TEXT    NOT NULL,
    disclosure_type  TEXT,
    suppress         INTEGER NOT NULL DEFAULT 0,
    requesting_user  TEXT    NOT NULL,
    distinct_ids     TEXT    NOT NULL,
    request_key      TEXT    NOT NULL,
    date_requested   INTEGER NOT NULL,
    person_ids       TEXT,
    counts           TEXT,
    error            TEXT,
    started_at       INTEGER,
    finished_at      INTEGER,
    result_path      TEXT,
    result_expires_at INTEGER,
    result_purged    INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL DEFAULT 0,
    owner            TEXT,
    lease_until      INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX tasks_claimable ON tasks (status, lease_until);
CREATE INDEX tasks_listing ON tasks (project_id, kind, id);
CREATE INDEX tasks_request ON tasks (project_id, kind, request_key);
CREATE INDEX tasks_expiring ON tasks (result_expires_at);

-- Which ids an archive holds, so a later deletion finds and removes it.
CREATE TABLE archive_subjects (
    task_id      INTEGER NOT NULL,
    project_id   INTEGER NOT NULL,
    distinct_id  TEXT    NOT NULL,
    PRIMARY KEY (project_id, distinct_id, task_id)
);
