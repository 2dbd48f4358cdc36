-- What one end of a link is to the other (docs/identity.md):
--   MEMBER  id_a is an anonymous id that joined the person named by id_b;
--   OWNER   id_a names a person that id_b joined (the reverse row of MEMBER);
--   SAME    id_a and id_b name the same person (an alias, a merge with the api_secret).
-- A request for an id covers what its OWNER and SAME rows reach, never what its MEMBER
-- row points at. Rows written before this migration keep their old, undirected meaning
-- (SAME) until `lethe admin identity rebuild` derives them again from the stored events.
ALTER TABLE identity_links ADD COLUMN role TEXT NOT NULL DEFAULT 'SAME';
