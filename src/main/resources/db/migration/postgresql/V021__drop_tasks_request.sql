-- The one lookup by request_key (TaskStore.activeDuplicate: an identical request still unfinished) reads
-- tasks_one_active_request (V002), a partial index of the same columns over the unfinished tasks only; this one,
-- over every task ever made, served no statement, and cost every creation and every move of a task an index write.
DROP INDEX IF EXISTS tasks_request;
