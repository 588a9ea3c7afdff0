-- The service catalog, one schema for SQLite and PostgreSQL (decision 0030).
-- The differences are placeholders, set per database by CatalogDatabase:
--   ${serial}     an auto-increment primary key column type
--   ${name_order} the collation of names, so both databases list in UTF-8 byte order
-- Times are epoch milliseconds (BIGINT), flags SMALLINT 0/1, JSON documents TEXT.

-- An owner appears on its first save; quotas and usage live in their own tables.
CREATE TABLE owners (
    id          TEXT PRIMARY KEY,
    created_at  BIGINT NOT NULL
);

-- Per-owner limits; a missing row or a NULL column means the global default.
CREATE TABLE quotas (
    owner_id         TEXT PRIMARY KEY REFERENCES owners (id),
    max_bytes        BIGINT,
    max_files        BIGINT,
    max_upload_size  BIGINT
);

-- What an owner stores (committed versions, trash included) and what uploads in flight have reserved.
CREATE TABLE usage_counters (
    owner_id        TEXT PRIMARY KEY REFERENCES owners (id),
    bytes           BIGINT NOT NULL DEFAULT 0,
    files           BIGINT NOT NULL DEFAULT 0,
    reserved_bytes  BIGINT NOT NULL DEFAULT 0,
    reserved_files  BIGINT NOT NULL DEFAULT 0
);

-- A file is what an owner names; its bytes are versions. state: pending (first version not yet
-- stored), active, trashed, purging.
CREATE TABLE files (
    id                  TEXT PRIMARY KEY,
    owner_id            TEXT NOT NULL REFERENCES owners (id),
    name                TEXT ${name_order} NOT NULL,
    state               TEXT NOT NULL,
    current_version_id  TEXT,
    versions_created    INTEGER NOT NULL DEFAULT 0,
    tier                TEXT,
    segment             TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    deleted_at          BIGINT
);
CREATE INDEX files_by_owner_name ON files (owner_id, state, name, id);

-- Each version is one immutable object under a generated key. state: pending (row written before
-- the object, so a crash leaves a findable row), committed. A pending version holds its quota
-- reservation (reserved_bytes, reserved_files), released when it commits or is removed.
CREATE TABLE versions (
    id              TEXT PRIMARY KEY,
    file_id         TEXT NOT NULL REFERENCES files (id),
    seq             INTEGER NOT NULL,
    state           TEXT NOT NULL,
    blob_key        TEXT NOT NULL,
    size            BIGINT,
    sha256          TEXT,
    content_type    TEXT NOT NULL,
    metadata        TEXT NOT NULL,
    reserved_bytes  BIGINT NOT NULL DEFAULT 0,
    reserved_files  SMALLINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    committed_at    BIGINT,
    UNIQUE (file_id, seq)
);
CREATE INDEX versions_by_state ON versions (state, created_at);

-- Where a version is stored: the backend that took it (BlobInfo.backend()), and its copies.
CREATE TABLE locations (
    version_id  TEXT NOT NULL REFERENCES versions (id),
    backend     TEXT NOT NULL,
    blob_key    TEXT NOT NULL,
    stored_at   BIGINT NOT NULL,
    PRIMARY KEY (version_id, backend)
);

-- HMAC keys of signed links: the newest active key signs, the others verify until retired.
CREATE TABLE signing_keys (
    id          TEXT PRIMARY KEY,
    secret      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    retired_at  BIGINT
);

-- Append-only.
CREATE TABLE audit_log (
    id              ${serial},
    at              BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    target          TEXT,
    outcome         TEXT NOT NULL,
    correlation_id  TEXT,
    client_address  TEXT,
    detail          TEXT
);
CREATE INDEX audit_by_actor ON audit_log (actor, at);
CREATE INDEX audit_by_action ON audit_log (action, at);

-- Written in the same transaction as the change it announces.
CREATE TABLE event_outbox (
    id            ${serial},
    type          TEXT NOT NULL,
    owner_id      TEXT,
    file_id       TEXT,
    payload       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    published_at  BIGINT
);
CREATE INDEX outbox_unpublished ON event_outbox (published_at, id);

CREATE TABLE webhooks (
    id           TEXT PRIMARY KEY,
    owner_id     TEXT,
    url          TEXT NOT NULL,
    secret       TEXT NOT NULL,
    event_types  TEXT NOT NULL,
    active       SMALLINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL
);

-- state: pending, delivered, dead (after the last try; redeliverable).
CREATE TABLE webhook_deliveries (
    id               ${serial},
    webhook_id       TEXT NOT NULL REFERENCES webhooks (id),
    event_id         BIGINT NOT NULL REFERENCES event_outbox (id),
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    last_status      INTEGER,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT
);
CREATE INDEX deliveries_due ON webhook_deliveries (state, next_attempt_at);

-- Every failed write, delete or copy, retryable through the API.
CREATE TABLE failed_operations (
    id              ${serial},
    at              BIGINT NOT NULL,
    operation       TEXT NOT NULL,
    owner_id        TEXT,
    file_id         TEXT,
    version_id      TEXT,
    backend         TEXT,
    blob_key        TEXT,
    kind            TEXT NOT NULL,
    cause           TEXT NOT NULL,
    correlation_id  TEXT,
    retryable       SMALLINT NOT NULL,
    resolved_at     BIGINT
);

-- Keep at most max_versions, or versions younger than max_age_millis; per owner, or global when
-- owner_id is NULL; trash_retention_millis bounds how long a deleted file stays restorable.
CREATE TABLE retention_policies (
    id                      ${serial},
    owner_id                TEXT REFERENCES owners (id),
    max_versions            INTEGER,
    max_age_millis          BIGINT,
    trash_retention_millis  BIGINT,
    created_at              BIGINT NOT NULL
);
