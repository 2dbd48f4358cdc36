-- Group profiles (/groups): one property map per (project, group key, group id). A group
-- describes a company or a team, not a person, so nothing here is keyed by a distinct_id.
CREATE TABLE group_profiles (
    project_id  INTEGER NOT NULL,
    group_key   TEXT    NOT NULL,
    group_id    TEXT    NOT NULL,
    properties  TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (project_id, group_key, group_id)
);
