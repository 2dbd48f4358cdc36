-- Crypto-shredding (docs/erasure.md): a person's ids and properties are stored sealed with their data key,
-- which lives in the keystore (keys.db) and which erasure destroys. Rows written before this version keep
-- their clear columns until store/ContentSealing seals them at start-up; a sealed row's clear columns hold
-- empty values.
ALTER TABLE events ADD COLUMN sealed BLOB;
ALTER TABLE profiles ADD COLUMN sealed BLOB;
ALTER TABLE identity_links ADD COLUMN sealed BLOB;

-- What is left to seal, found without scanning the sealed rows; new rows are written sealed, so these stay
-- empty once an existing store is sealed. They hold keyed hashes and row ids, never a value.
CREATE INDEX events_unsealed ON events (project_id, person_key, time_ms, event_key) WHERE sealed IS NULL;
CREATE INDEX profiles_unsealed ON profiles (project_id, person_key) WHERE sealed IS NULL;
CREATE INDEX identity_links_unsealed ON identity_links (project_id, key_a, key_b) WHERE sealed IS NULL;

-- Set while sealing has left clear copies in free pages: the rebuild that removes them is still due.
CREATE TABLE content_sealing (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    rebuild_due INTEGER NOT NULL
);
