-- Per-workspace merge-guard settings; the identity graph itself arrives with issue #4.
CREATE TABLE identity_settings (
    tenant_id      text        PRIMARY KEY,
    hub_threshold  integer     NOT NULL CHECK (hub_threshold BETWEEN 1 AND 100),
    role_mailboxes text[]      NOT NULL,
    updated_at     timestamptz NOT NULL
);
