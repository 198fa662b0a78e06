-- The token table of the reset service (PostgreSQL).

-- @implements REQ-SEC-001: only the hash of a token is stored
-- @implements REQ-SEC-002
CREATE TABLE reset_tokens (
    token_hash  char(64) PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id),
    issued_at   timestamptz NOT NULL DEFAULT now()
);

-- @implements REQ-SEC-002: expired tokens are deleted, so they cannot be redeemed
CREATE INDEX reset_tokens_issued_at ON reset_tokens (issued_at);
