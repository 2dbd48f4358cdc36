-- Webhooks on task state changes (docs/operations.md, "Webhooks"). Keep in step with db/migration/sqlite.

-- A receiver of a project's task events. The signing secret is sealed with the instance key
-- (it must be recovered to sign), never kept in clear.
CREATE TABLE webhooks (
    id             BIGSERIAL PRIMARY KEY,
    project_id     BIGINT  NOT NULL REFERENCES projects(id),
    url            TEXT    NOT NULL,
    events         TEXT    NOT NULL,
    secret_sealed  TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX webhooks_project ON webhooks (project_id);

-- The outbox: one row per event and webhook, written in the transaction that moves the task.
-- It names the task by its row id only; the body (with whatever ids the task still holds) is
-- rendered when it is sent, so no id outlives the task's own retention here. webhook_id has no
-- foreign key on purpose: a webhook deleted while a task moves must not fail the task's
-- transaction; the sender drops a delivery whose webhook is gone.
CREATE TABLE webhook_deliveries (
    id               BIGSERIAL PRIMARY KEY,
    webhook_id       BIGINT  NOT NULL,
    task_id          BIGINT  NOT NULL REFERENCES tasks(id),
    message_id       TEXT    NOT NULL UNIQUE,
    event            TEXT    NOT NULL,
    task_status      TEXT    NOT NULL,
    occurred_at      BIGINT  NOT NULL,
    outcome          TEXT    NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT  NOT NULL,
    owner            TEXT,
    lease_until      BIGINT,
    version          BIGINT  NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       TEXT,
    finished_at      BIGINT
);
-- The sender's poll: pending deliveries by due time, and whether an earlier one of the same task to
-- the same webhook is still pending (DeliveryPlanContract pins both). Pending rows only, so a long
-- outage of one receiver costs its own rows, not the whole log.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE outcome = 'pending';
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (webhook_id, task_id, id) WHERE outcome = 'pending';
-- The delivery log of a webhook, newest first, and deleting a webhook's deliveries.
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
-- What the log's retention prunes: settled deliveries by the time they were settled.
CREATE INDEX webhook_deliveries_settled ON webhook_deliveries (finished_at) WHERE outcome <> 'pending';

-- The delivery log: every attempt, its time, the receiver's status code or the error.
CREATE TABLE webhook_attempts (
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   BIGINT  NOT NULL REFERENCES webhook_deliveries(id),
    attempted_at  BIGINT  NOT NULL,
    status_code   INTEGER,
    error         TEXT,
    duration_ms   BIGINT  NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
