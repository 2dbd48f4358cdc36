-- A project's own choice of archive encryption (none, aes-256, zipcrypto) and password (per-archive,
-- api-secret); NULL follows the instance's settings.
ALTER TABLE projects ADD COLUMN archive_encryption TEXT;
ALTER TABLE projects ADD COLUMN archive_password TEXT;
