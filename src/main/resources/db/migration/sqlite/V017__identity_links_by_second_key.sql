-- A deletion erases every link row that names one of the person's ids on either side
-- (IdentityStore.deleteAll: key_a IN (...) OR key_b IN (...)). The primary key serves key_a only;
-- without this index the key_b side scanned every link of the project, so a deletion's cost grew
-- with the project's people instead of following the person's own links.
CREATE INDEX identity_links_by_second_key ON identity_links (project_id, key_b);
