-- A suppression ("suppress": true) is lifted by the project's owner, through the API or the CLI.
-- The deletion's task row keeps when and by whom, the trace of that decision; the suppressions
-- themselves are deleted, as they hold nothing worth keeping.
ALTER TABLE tasks ADD COLUMN suppression_lifted_at INTEGER;
ALTER TABLE tasks ADD COLUMN suppression_lifted_by TEXT;
