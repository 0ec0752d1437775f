-- Connections to ad platforms' APIs (credentials sealed with THROUGHLINE_ATTRIBUTION_SECRET_KEYS), the audiences
-- pushed through them, and the outbox of paid deals sent back as offline conversions.
CREATE TABLE ad_connections (
    id               uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    platform         text        NOT NULL CHECK (platform IN ('google', 'meta', 'yandex', 'vk')),
    name             text        NOT NULL,
    base_url         text,
    credentials      bytea       NOT NULL,
    options          jsonb       NOT NULL,
    conversions      boolean     NOT NULL DEFAULT false,
    -- paid deals are queued for conversions from this point of the deals' change order
    conversions_from timestamptz NOT NULL,
    enqueued_until   timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    CONSTRAINT ad_connections_name_unique UNIQUE (tenant_id, name)
);

CREATE TABLE audience_syncs (
    audience_id     uuid        NOT NULL REFERENCES audiences (id) ON DELETE CASCADE,
    connection_id   uuid        NOT NULL REFERENCES ad_connections (id) ON DELETE CASCADE,
    -- the platform's list: Google user list id, Meta custom audience id, Yandex segment id, VK users list id
    remote_list     text        NOT NULL,
    synced_version  integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    last_synced_at  timestamptz,
    sent_added      bigint      NOT NULL DEFAULT 0,
    sent_removed    bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (audience_id, connection_id)
);

-- One row per paid deal and connection: each is sent once (the platform also deduplicates by the deal id).
CREATE TABLE conversion_outbox (
    connection_id   uuid        NOT NULL REFERENCES ad_connections (id) ON DELETE CASCADE,
    deal_id         uuid        NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    tenant_id       text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'no_click', 'refunded', 'refused')),
    click_param     text,
    click_id        text,
    value_minor     bigint,
    currency        text,
    converted_at    timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    sent_at         timestamptz,
    PRIMARY KEY (connection_id, deal_id)
);
CREATE INDEX conversion_outbox_due ON conversion_outbox (next_attempt_at) WHERE status = 'pending';
