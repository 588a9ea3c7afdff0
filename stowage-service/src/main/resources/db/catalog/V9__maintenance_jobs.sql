-- Maintenance jobs (decision 0054): a row for every run, and a lease per job, so that one node of a
-- shared catalog runs a job at a time. A lease is taken by a conditional UPDATE of its row (expired, or
-- free), renewed while the run lasts and freed when it ends; a node that dies loses it at expires_at.
-- outcome: running, ok, failed, abandoned (the node running it stopped). counts: a JSON object of
-- numbers; errors: a JSON array of messages.
CREATE TABLE maintenance_runs (
    id           ${serial},
    job          TEXT NOT NULL,
    node         TEXT NOT NULL,
    dry_run      SMALLINT NOT NULL,
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    outcome      TEXT NOT NULL,
    counts       TEXT NOT NULL,
    errors       TEXT NOT NULL
);
CREATE INDEX maintenance_runs_by_job ON maintenance_runs (job, id);

CREATE TABLE maintenance_leases (
    job          TEXT PRIMARY KEY,
    holder       TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);

-- reconcile asks whether a version row names an object key.
CREATE INDEX versions_by_key ON versions (blob_key);

-- The lifecycle job finds a file's last read among its file.read events.
CREATE INDEX outbox_by_file_type ON event_outbox (file_id, type, created_at);
