-- Lookups of tasks that each have one index only they can use, so no statistics can steer them onto another. The
-- statistics of tasks are taken between bursts of requests, when almost every task is finished; during a burst they
-- are wrong, and PostgreSQL read a lookup naming the project and kind through tasks_listing (project, kind, id),
-- filtering every task of the project, whenever that index tied on cost with the right one.

-- A creation's duplicate check names the request key alone (TaskStore.SAME_REQUEST_SQL), which is a keyed hash of
-- the project and the request: through tasks_request (project, kind, request key) with the project and kind named too,
-- it filtered ~1,700 tasks a creation in lethe bench (1.5-2.2 ms a call).
CREATE INDEX tasks_request_key ON tasks (request_key);
DROP INDEX tasks_request;

-- The deletions a project finished, by when: a retrieval's last check asks whether one of its person finished since
-- the retrieval began (TaskResults.DELETIONS_FINISHED_SINCE), and reads only those. Through tasks_listing it read every
-- deletion the project ever finished (19 ms a retrieval on PostgreSQL in lethe bench after 2,000 deletions), a cost
-- that grew with the project's history instead of with what happened during the retrieval.
CREATE INDEX tasks_deletions_finished ON tasks (project_id, finished_at) WHERE kind = 'DELETION' AND status = 'SUCCESS';

-- A worker's claim walks tasks_unfinished in id order (TaskClaims.candidatesSql, with PostgresDialect.orderedScans);
-- tasks_claimable (status, lease until) only gave the planner a way to read every waiting task and sort them, and
-- cost every move of a task an index entry.
DROP INDEX tasks_claimable;
