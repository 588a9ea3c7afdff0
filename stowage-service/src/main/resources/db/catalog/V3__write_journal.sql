-- The write journal on the catalog (decision 0040): what core's WriteJournal records, in a table every
-- node of a shared catalog reads, so any of them can replay what another wrote during an outage.
-- action: PUT or DELETE; reason: FAILOVER or MIRROR; held_by and sha256 are '' for deletes.
-- completed_at is NULL while the entry is pending.
CREATE TABLE write_journal (
    seq           ${serial},
    action        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    target        TEXT NOT NULL,
    held_by       TEXT NOT NULL,
    blob_key      TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    at            BIGINT NOT NULL,
    completed_at  BIGINT
);
CREATE INDEX write_journal_latest ON write_journal (target, blob_key, completed_at);
CREATE INDEX write_journal_pending ON write_journal (completed_at, seq);

-- A replay moves a version's location by its key.
CREATE INDEX locations_by_key ON locations (blob_key, backend);
