-- API keys (decision 0038). A key is stw_<id>_<secret>; only the SHA-256 of the secret is kept, as hex.
-- scopes: labels separated by a space (read write admin). Times are epoch milliseconds; expires_at NULL
-- never expires, revoked_at NULL is in use. owner_id names no row of owners: a key may be made for an
-- owner before its first save.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    owner_id     TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_by_owner ON api_keys (owner_id, created_at);
