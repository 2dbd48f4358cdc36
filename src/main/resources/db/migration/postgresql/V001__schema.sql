-- Lethe schema, PostgreSQL dialect. Keep in step with db/migration/sqlite: the Java code is
-- shared, so column names, meanings and the integer types it binds are the same. Flags and
-- counters stay INTEGER (not BOOLEAN) because the code binds ints for them on both stores.

CREATE TABLE projects (
    id               BIGSERIAL PRIMARY KEY,
    name             TEXT    NOT NULL,
    token            TEXT    NOT NULL UNIQUE,
    api_secret_hash  TEXT    NOT NULL UNIQUE,
    api_secret_sealed TEXT   NOT NULL,
    region           TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);

CREATE TABLE users (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE memberships (
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    project_id  BIGINT  NOT NULL REFERENCES projects(id),
    role        TEXT    NOT NULL,
    PRIMARY KEY (user_id, project_id)
);

CREATE TABLE gdpr_tokens (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE service_accounts (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT    NOT NULL,
    username     TEXT    NOT NULL UNIQUE,
    secret_hash  TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    revoked_at   BIGINT
);

CREATE TABLE service_account_roles (
    service_account_id BIGINT NOT NULL REFERENCES service_accounts(id),
    project_id         BIGINT NOT NULL REFERENCES projects(id),
    role               TEXT   NOT NULL,
    PRIMARY KEY (service_account_id, project_id)
);

-- time_ms is epoch milliseconds whatever unit the SDK sent. Partitioned by month of
-- time_ms: partitions events_yYYYYmMM are created on demand (lethe_ensure_events_partition),
-- and events_default takes what has no partition yet. A partitioned table cannot have a
-- primary key without the partition key; id stays unique through its sequence.
CREATE TABLE events (
    id           BIGSERIAL,
    project_id   BIGINT  NOT NULL,
    distinct_id  TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    time_ms      BIGINT  NOT NULL,
    insert_id    TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    properties   JSONB   NOT NULL,
    received_at  BIGINT  NOT NULL
) PARTITION BY RANGE (time_ms);

-- The dedupe key, and the person index: it leads with (project_id, distinct_id), so every
-- per-person read, count and delete is an index range scan on each partition.
CREATE UNIQUE INDEX events_dedupe ON events (project_id, distinct_id, time_ms, event, insert_id);

-- why: ANALYZE would copy sampled ids and property values into pg_statistic (most common
-- values, histogram bounds), where a deletion does not reach them. Columns that identify a
-- person or carry their data collect no statistics; the person index is chosen without them.
ALTER TABLE events ALTER COLUMN distinct_id SET STATISTICS 0,
                   ALTER COLUMN insert_id SET STATISTICS 0,
                   ALTER COLUMN properties SET STATISTICS 0;

CREATE TABLE events_default PARTITION OF events DEFAULT;
ALTER TABLE events_default ALTER COLUMN distinct_id SET STATISTICS 0,
                           ALTER COLUMN insert_id SET STATISTICS 0,
                           ALTER COLUMN properties SET STATISTICS 0;

-- Creates the partition [from_ms, to_ms) named part_name unless it exists; returns true when
-- it already existed. Rows of that range already in events_default are moved into it first,
-- so attaching never fails on them. Safe when instances race: creators are serialised on an
-- advisory lock and re-check after getting it. Runs in the caller's transaction.
CREATE FUNCTION lethe_ensure_events_partition(part_name TEXT, from_ms BIGINT, to_ms BIGINT)
RETURNS BOOLEAN
LANGUAGE plpgsql
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_inherits
               WHERE inhparent = 'events'::regclass AND inhrelid = to_regclass(part_name)) THEN
        RETURN TRUE;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('lethe:events:partitions'));
    IF EXISTS (SELECT 1 FROM pg_inherits
               WHERE inhparent = 'events'::regclass AND inhrelid = to_regclass(part_name)) THEN
        RETURN TRUE;
    END IF;
    -- why: taken before reading the default partition, so no insert lands in the range
    -- between the move and the attach, and the lock is not upgraded half-way (deadlock).
    LOCK TABLE events_default IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
    -- why: LIKE does not copy the statistics targets; see events above.
    EXECUTE format('ALTER TABLE %I ALTER COLUMN distinct_id SET STATISTICS 0, '
                   'ALTER COLUMN insert_id SET STATISTICS 0, ALTER COLUMN properties SET STATISTICS 0', part_name);
    EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE time_ms >= $1 AND time_ms < $2 RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', part_name)
        USING from_ms, to_ms;
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part_name, from_ms, to_ms);
    RETURN FALSE;
END;
$$;

CREATE TABLE profiles (
    project_id   BIGINT  NOT NULL,
    distinct_id  TEXT    NOT NULL,
    properties   JSONB   NOT NULL,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (project_id, distinct_id)
);
ALTER TABLE profiles ALTER COLUMN distinct_id SET STATISTICS 0, ALTER COLUMN properties SET STATISTICS 0;

-- An undirected edge between two ids of one person; stored once per direction
-- so that both ends are found through the primary key.
CREATE TABLE identity_links (
    project_id  BIGINT  NOT NULL,
    id_a        TEXT    NOT NULL,
    id_b        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (project_id, id_a, id_b)
);
ALTER TABLE identity_links ALTER COLUMN id_a SET STATISTICS 0, ALTER COLUMN id_b SET STATISTICS 0;

-- Only a keyed hash of the suppressed id is kept: Lethe must not hold a copy
-- of an id it was asked to forget.
CREATE TABLE suppressions (
    project_id   BIGINT  NOT NULL,
    id_hash      TEXT    NOT NULL,
    task_id      BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    dropped      BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, id_hash)
);

CREATE TABLE tasks (
    id               BIGSERIAL PRIMARY KEY,
    tracking_id      TEXT    NOT NULL UNIQUE,
    project_id       BIGINT  NOT NULL,
    kind             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    compliance_type  TEXT    NOT NULL,
    disclosure_type  TEXT,
    suppress         INTEGER NOT NULL DEFAULT 0,
    requesting_user  TEXT    NOT NULL,
    distinct_ids     TEXT    NOT NULL,
    request_key      TEXT    NOT NULL,
    date_requested   BIGINT  NOT NULL,
    person_ids       TEXT,
    counts           TEXT,
    error            TEXT,
    started_at       BIGINT,
    finished_at      BIGINT,
    result_path      TEXT,
    result_expires_at BIGINT,
    result_purged    INTEGER NOT NULL DEFAULT 0,
    version          BIGINT  NOT NULL DEFAULT 0,
    owner            TEXT,
    lease_until      BIGINT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    updated_at       BIGINT  NOT NULL
);
ALTER TABLE tasks ALTER COLUMN distinct_ids SET STATISTICS 0, ALTER COLUMN person_ids SET STATISTICS 0;
CREATE INDEX tasks_claimable ON tasks (status, lease_until);
CREATE INDEX tasks_listing ON tasks (project_id, kind, id);
CREATE INDEX tasks_request ON tasks (project_id, kind, request_key);
CREATE INDEX tasks_expiring ON tasks (result_expires_at);

-- Which ids an archive holds, so a later deletion finds and removes it.
CREATE TABLE archive_subjects (
    task_id      BIGINT  NOT NULL,
    project_id   BIGINT  NOT NULL,
    distinct_id  TEXT    NOT NULL,
    PRIMARY KEY (project_id, distinct_id, task_id)
);
ALTER TABLE archive_subjects ALTER COLUMN distinct_id SET STATISTICS 0;
