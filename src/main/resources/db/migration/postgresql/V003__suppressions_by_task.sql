-- A deletion lifts its holds by task when it ends; without this index that statement reads
-- every suppression of the project, so its cost would grow with the suppression list.
CREATE INDEX suppressions_task ON suppressions (project_id, task_id);
