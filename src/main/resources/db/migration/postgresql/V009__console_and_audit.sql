-- The privacy console (docs/console.md): operators' password hashes, their sign-in sessions and
-- the audit log of GDPR requests. Keep in step with db/migration/sqlite.

-- An Argon2id hash in PHC string form (salt and parameters inside); never the password.
CREATE TABLE user_passwords (
    user_id     BIGINT  PRIMARY KEY REFERENCES users(id),
    hash        TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

-- A session is known by the SHA-256 of its cookie value only; a copy of this table signs no one in.
CREATE TABLE console_sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES users(id),
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);

-- Who asked for what, from where, and how it ended. Ids of the people concerned are kept only as
-- keyed hashes (HMAC with the instance key), so the log outlives a deletion without holding the
-- person's ids.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    at           BIGINT  NOT NULL,
    project_id   BIGINT,
    action       TEXT    NOT NULL,
    task_kind    TEXT,
    tracking_id  TEXT,
    actor        TEXT    NOT NULL,
    actor_kind   TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    ip           TEXT,
    outcome      TEXT    NOT NULL,
    id_count     INTEGER NOT NULL DEFAULT 0,
    id_hashes    TEXT
);
CREATE INDEX audit_log_project ON audit_log (project_id, id);
