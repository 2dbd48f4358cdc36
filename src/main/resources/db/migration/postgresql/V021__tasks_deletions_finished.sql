-- The deletions a project finished, by when: a retrieval's last check asks whether one of its person finished since
-- the retrieval began (TaskResults.DELETIONS_FINISHED_SINCE), and reads only those. Through tasks_listing it read every
-- deletion the project ever finished (19 ms a retrieval on PostgreSQL in lethe bench after 2,000 deletions), a cost
-- that grew with the project's history instead of with what happened during the retrieval.
CREATE INDEX tasks_deletions_finished ON tasks (project_id, finished_at) WHERE kind = 'DELETION' AND status = 'SUCCESS';
