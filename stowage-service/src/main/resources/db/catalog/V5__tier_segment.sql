-- Tiers and segments of files (issue 12, decision 0047). V1 made files.tier and files.segment; from here
-- on every save fills tier (HOT unless the store routed the file elsewhere) and, when the application
-- asked for one, segment.

-- Files saved before this migration are on the default tier.
UPDATE files SET tier = 'HOT' WHERE tier IS NULL;

-- Listing one owner's files of one segment in name order (FileCatalog.list with a segment): equality on
-- owner, state and segment, then the index's own order, so a page reads only its rows.
CREATE INDEX files_by_owner_segment_name ON files (owner_id, state, segment, name, id);
