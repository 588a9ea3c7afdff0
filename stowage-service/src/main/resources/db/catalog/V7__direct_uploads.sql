-- Direct-upload sessions (decision 0051): the client sends the bytes to a URL (the backend's, presigned,
-- or this server's, signed by token_sha256) and then asks for completion. The session owns the pending
-- file and version written when it opened (with their quota reservation), so the pending sweep leaves
-- them to the session's expiry. state: open, completed (kept until expires_at so a repeated completion
-- answers the same file).
CREATE TABLE direct_uploads (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL REFERENCES owners (id),
    file_id       TEXT NOT NULL,
    version_id    TEXT NOT NULL,
    blob_key      TEXT NOT NULL,
    backend       TEXT,
    size          BIGINT,
    content_type  TEXT,
    sha256        TEXT,
    token_sha256  TEXT,
    state         TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX direct_uploads_by_expiry ON direct_uploads (state, expires_at);
CREATE INDEX direct_uploads_by_version ON direct_uploads (version_id);
