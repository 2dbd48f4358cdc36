-- What a deletion did to the store after its rows were gone (deletion/ErasureSteps): the scrub of the
-- store's files or indexes and the rebuild it asked for, one row per step, for the erasure certificate.
-- Names of mechanisms and outcomes only, never an id of the person.
CREATE TABLE erasure_steps (
    task_id  INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    step     TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (task_id, step)
);
