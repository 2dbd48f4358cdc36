-- At most one unfinished task per identical request of a project: a repeated create
-- returns the task already queued instead of racing a second one in.
CREATE UNIQUE INDEX tasks_one_active_request ON tasks (project_id, kind, request_key)
    WHERE status IN ('PENDING', 'STAGING', 'STARTED');
