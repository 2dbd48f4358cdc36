-- One unfinished task per request, enforced through a generated key instead of a partial index.
-- why: tasks_one_active_request's predicate (status IN the unfinished states) is implied by every statement that
-- moves a task by id (status IN the states it may move from) and by the claim's read of candidates. With statistics
-- taken while few tasks were unfinished, the planner took a whole walk of that small-looking index for them and filtered
-- by id: during a burst of requests each move of a task read every waiting task (~870 buffers a move in lethe bench,
-- 2,000 deletions queued). A key that is NULL once the task has finished is unique among unfinished tasks only, as the
-- partial index was, and no predicate makes the index look small.
ALTER TABLE tasks ADD COLUMN active_request_key TEXT
    GENERATED ALWAYS AS (CASE WHEN status IN ('PENDING', 'STAGING', 'STARTED') THEN request_key END) STORED;
ALTER TABLE tasks ALTER COLUMN active_request_key SET STATISTICS 0;
CREATE UNIQUE INDEX tasks_one_active_request_key ON tasks (project_id, kind, active_request_key);
DROP INDEX tasks_one_active_request;
