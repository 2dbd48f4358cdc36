-- How far a finished task's ids have been replaced by keyed hashes (task/TaskIdRetention):
-- 0 none, 1 the resolved ids (person_ids), 2 the requested ids and the request key too.
ALTER TABLE tasks ADD COLUMN ids_hashed INTEGER NOT NULL DEFAULT 0;
-- The retention pass looks only at finished tasks not yet fully hashed.
CREATE INDEX tasks_ids_retention ON tasks (ids_hashed, finished_at) WHERE ids_hashed < 2;
