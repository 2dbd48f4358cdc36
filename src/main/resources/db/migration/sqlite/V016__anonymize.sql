-- A deletion's mode: NULL deletes the person's events (every task before V016), 'ANONYMIZE' keeps
-- them under a random pseudonym without the person's ids and personal properties (deletion/Anonymization).
ALTER TABLE tasks ADD COLUMN mode TEXT;
-- The event properties a project marks as personal, beyond the defaults (project/PersonalProperties):
-- a JSON array of property names, NULL for none. Names only, never values.
ALTER TABLE projects ADD COLUMN personal_properties TEXT;
