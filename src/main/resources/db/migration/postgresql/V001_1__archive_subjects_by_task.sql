-- Purging one archive removes its subject rows by task; without this index that is a table scan.
CREATE INDEX archive_subjects_task ON archive_subjects (task_id);
