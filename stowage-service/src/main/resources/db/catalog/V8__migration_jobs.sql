-- Migration jobs between backends (issue 15, decision 0053): the job, and one row per version it moved or
-- failed to move, written in the same transaction as the version's location flip, so a job killed at any
-- point resumes from the catalog alone.

-- state: running, paused (a backend away; retrying), cancelling, cancelled, completed, rolling_back,
-- rolled_back. runner and lease_until say which process runs it; a lease that lapsed is free to take.
-- filter is JSON (owner, prefix, segment, tier, older_than); totals grow when the final pass finds more.
CREATE TABLE migration_jobs (
    id             TEXT PRIMARY KEY,
    source         TEXT NOT NULL,
    target         TEXT NOT NULL,
    filter         TEXT NOT NULL,
    delete_source  SMALLINT NOT NULL,
    batch_size     INTEGER NOT NULL,
    parallel       INTEGER NOT NULL,
    state          TEXT NOT NULL,
    files_total    BIGINT NOT NULL DEFAULT 0,
    bytes_total    BIGINT NOT NULL DEFAULT 0,
    files_done     BIGINT NOT NULL DEFAULT 0,
    bytes_done     BIGINT NOT NULL DEFAULT 0,
    files_failed   BIGINT NOT NULL DEFAULT 0,
    actor          TEXT,
    detail         TEXT,
    runner         TEXT,
    lease_until    BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    finished_at    BIGINT
);
CREATE INDEX migration_jobs_by_state ON migration_jobs (state, created_at);

-- state: moved (location flipped to the target), failed (recorded in failed_operations; a resume retries
-- it), rolled_back. source_deleted: the source copy is gone (a rollback copies back first); target_kept: the
-- target held the version before the job, so a rollback leaves that copy.
CREATE TABLE migration_items (
    job_id          TEXT NOT NULL REFERENCES migration_jobs (id),
    version_id      TEXT NOT NULL,
    blob_key        TEXT NOT NULL,
    size            BIGINT NOT NULL,
    state           TEXT NOT NULL,
    source_deleted  SMALLINT NOT NULL DEFAULT 0,
    target_kept     SMALLINT NOT NULL DEFAULT 0,
    at              BIGINT NOT NULL,
    PRIMARY KEY (job_id, version_id)
);
