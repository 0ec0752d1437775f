-- Dynamic number pools: one per site (or per campaign group); numbers and reservations arrive with issue #5.
CREATE TABLE pools (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    site_key        text        NOT NULL,
    name            text        NOT NULL,
    hold_seconds    integer     NOT NULL CHECK (hold_seconds BETWEEN 30 AND 3600),
    overflow_policy text        NOT NULL CHECK (overflow_policy IN ('default_number', 'reuse_least_recent')),
    created_at      timestamptz NOT NULL,
    CONSTRAINT pools_name_unique UNIQUE (tenant_id, name)
);

CREATE INDEX pools_tenant_page ON pools (tenant_id, id);
