-- The password of an encrypted archive made with a password of its own (the default), sealed with
-- the instance key (AES-GCM), until the first verbose check shows it; then the row is deleted.
CREATE TABLE archive_passwords (
    task_id  BIGINT PRIMARY KEY,
    sealed   TEXT   NOT NULL
);
