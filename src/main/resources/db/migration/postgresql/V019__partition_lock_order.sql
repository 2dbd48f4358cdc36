-- The partition-creating function takes the lock on the parent table before the default partition's, in the order
-- a deletion's final step takes them (PostgresDialect.blockEventWrites), so the two cannot deadlock.
CREATE OR REPLACE FUNCTION lethe_ensure_events_partition(part_name TEXT, from_ms BIGINT, to_ms BIGINT)
RETURNS BOOLEAN
LANGUAGE plpgsql
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_inherits
               WHERE inhparent = 'events'::regclass AND inhrelid = to_regclass(part_name)) THEN
        RETURN TRUE;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('lethe:events:partitions'));
    IF EXISTS (SELECT 1 FROM pg_inherits
               WHERE inhparent = 'events'::regclass AND inhrelid = to_regclass(part_name)) THEN
        RETURN TRUE;
    END IF;
    -- why: the parent first, in the order a deletion's final step locks (LOCK TABLE events locks the parent, then
    -- each partition): taking events_default first deadlocked with a deletion that held the parent and waited for
    -- events_default, while this waited for the parent to ATTACH (found by `lethe bench` with ingestion of a new
    -- month beside the deletions).
    LOCK TABLE ONLY events IN SHARE UPDATE EXCLUSIVE MODE;
    -- why: taken before reading the default partition, so no insert lands in the range
    -- between the move and the attach, and the lock is not upgraded half-way (deadlock).
    LOCK TABLE events_default IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
    -- why: LIKE does not copy the statistics targets; see events above.
    EXECUTE format('ALTER TABLE %I ALTER COLUMN distinct_id SET STATISTICS 0, '
                   'ALTER COLUMN insert_id SET STATISTICS 0, ALTER COLUMN properties SET STATISTICS 0, '
                   'ALTER COLUMN sealed SET STATISTICS 0', part_name);
    EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE time_ms >= $1 AND time_ms < $2 RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', part_name)
        USING from_ms, to_ms;
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part_name, from_ms, to_ms);
    RETURN FALSE;
END;
$$;
