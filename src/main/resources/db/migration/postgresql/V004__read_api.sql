-- Read APIs (docs/query-api.md). Keep in step with db/migration/sqlite.

-- The raw export reads a project's events in (time_ms, id) order, a range at a time; each
-- partition's index returns them in that order. It holds no personal data.
CREATE INDEX events_time ON events (project_id, time_ms, id);

-- The schema endpoints read these instead of scanning events. Kept up to date in the ingestion
-- transaction. They hold names and JSON types only, never a value. Counts of events are of events
-- received (a deletion does not lower them); counts of profiles are of profiles holding the
-- property now (a deletion lowers them, and a name no profile holds is removed).
CREATE TABLE event_names (
    project_id    BIGINT  NOT NULL,
    event         TEXT    NOT NULL,
    events        BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    PRIMARY KEY (project_id, event)
);

CREATE TABLE event_properties (
    project_id    BIGINT  NOT NULL,
    event         TEXT    NOT NULL,
    property      TEXT    NOT NULL,
    events        BIGINT  NOT NULL,
    type          TEXT    NOT NULL,
    PRIMARY KEY (project_id, event, property)
);

CREATE TABLE profile_properties (
    project_id    BIGINT  NOT NULL,
    property      TEXT    NOT NULL,
    profiles      BIGINT  NOT NULL,
    type          TEXT    NOT NULL,
    PRIMARY KEY (project_id, property)
);

-- A store that already holds data starts with its schema counted once.
INSERT INTO event_names (project_id, event, events, last_seen_at)
SELECT project_id, event, COUNT(*), MAX(received_at) FROM events GROUP BY project_id, event;

INSERT INTO event_properties (project_id, event, property, events, type)
SELECT e.project_id, e.event, j.key, COUNT(*), MAX(jsonb_typeof(j.value))
FROM events e, jsonb_each(e.properties) j
WHERE j.key NOT IN ('time', 'distinct_id', '$insert_id', 'mp_processing_time_ms', 'token')
GROUP BY e.project_id, e.event, j.key;

INSERT INTO profile_properties (project_id, property, profiles, type)
SELECT p.project_id, j.key, COUNT(*), MAX(jsonb_typeof(j.value))
FROM profiles p, jsonb_each(p.properties) j
GROUP BY p.project_id, j.key;
