-- What the site shows and what DNI swaps.
ALTER TABLE pools ADD COLUMN replace_numbers text[] NOT NULL DEFAULT '{}';
ALTER TABLE pools ADD COLUMN selectors text[] NOT NULL DEFAULT '{}';
ALTER TABLE pools ADD COLUMN display_mask text;
ALTER TABLE pools ADD COLUMN default_number text;

-- Tracked numbers: pool numbers (dynamic) and static numbers bound to a source.
CREATE TABLE numbers (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    site_key        text        NOT NULL,
    pool_id         uuid        REFERENCES pools (id),
    kind            text        NOT NULL CHECK (kind IN ('pool', 'static')),
    e164            text        NOT NULL CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
    label           text,
    match_source    text,
    match_medium    text,
    match_campaign  text,
    channel         text,
    active          boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL,
    CHECK ((kind = 'pool') = (pool_id IS NOT NULL))
);
-- A number is tracked in one place at a time, across all workspaces.
CREATE UNIQUE INDEX numbers_e164_active ON numbers (e164) WHERE active;
CREATE INDEX numbers_pool ON numbers (pool_id) WHERE active;
CREATE INDEX numbers_tenant ON numbers (tenant_id, id);
CREATE INDEX numbers_e164 ON numbers (e164);

-- The current holder of each number. The primary key is the constraint that no number is ever held by two
-- sessions: a lease is taken only when there is none or the existing one has expired.
CREATE TABLE number_leases (
    number_id       uuid        PRIMARY KEY REFERENCES numbers (id),
    reservation_id  uuid        NOT NULL,
    expires_at      timestamptz NOT NULL
);

-- Every reservation ever made: calls are matched against this history, not only against the current holder.
CREATE TABLE reservations (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    pool_id         uuid        NOT NULL REFERENCES pools (id),
    number_id       uuid        REFERENCES numbers (id),
    site_key        text        NOT NULL,
    visitor_id      text        NOT NULL,
    session_id      text,
    landing_page    text,
    referrer        text,
    campaign        jsonb       NOT NULL DEFAULT '{}',
    click_ids       jsonb       NOT NULL DEFAULT '{}',
    assigned_at     timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    hold_seconds    integer     NOT NULL,
    overflow        boolean     NOT NULL DEFAULT false,
    ambiguous       boolean     NOT NULL DEFAULT false
);
CREATE INDEX reservations_number_time ON reservations (number_id, assigned_at);
CREATE INDEX reservations_visitor ON reservations (pool_id, visitor_id, last_seen_at DESC);
CREATE INDEX reservations_pool_time ON reservations (pool_id, assigned_at);

-- Telephony integrations: where webhooks come from and the secret that signs them.
CREATE TABLE integrations (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    name            text        NOT NULL,
    format          text        NOT NULL CHECK (format IN ('generic', 'twilio', 'zadarma')),
    secret          text        NOT NULL,
    time_zone       text        NOT NULL DEFAULT 'Europe/Moscow',
    created_at      timestamptz NOT NULL,
    CONSTRAINT integrations_name_unique UNIQUE (tenant_id, name)
);

-- Calls as the PBX reported them, matched to sessions and judged.
CREATE TABLE calls (
    id                uuid        PRIMARY KEY,
    tenant_id         text        NOT NULL,
    integration_id    uuid        NOT NULL REFERENCES integrations (id),
    external_id       text        NOT NULL,
    direction         text        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    caller_e164       text,
    caller_raw        text,
    called_e164       text,
    called_raw        text,
    number_id         uuid        REFERENCES numbers (id),
    site_key          text,
    started_at        timestamptz NOT NULL,
    answered_at       timestamptz,
    ended_at          timestamptz,
    status            text        CHECK (status IN ('answered', 'no_answer', 'busy', 'canceled', 'failed')),
    completed         boolean     NOT NULL DEFAULT false,
    duration_seconds  integer,
    talk_seconds      integer,
    wait_seconds      integer,
    recording_url     text,
    agent             text,
    -- matching
    processed         boolean     NOT NULL DEFAULT false,
    process_attempts  integer     NOT NULL DEFAULT 0,
    match_kind        text        CHECK (match_kind IN ('reservation', 'static', 'unidentified')),
    match_confidence  double precision,
    reservation_id    uuid,
    alternates        jsonb       NOT NULL DEFAULT '[]',
    visitor_id        text,
    session_id        text,
    channel           text,
    campaign          jsonb       NOT NULL DEFAULT '{}',
    click_ids         jsonb       NOT NULL DEFAULT '{}',
    landing_page      text,
    referrer          text,
    -- the caller's phone linked to the visitor in identity-service (the call row is its own outbox)
    identity_linked   boolean     NOT NULL DEFAULT false,
    next_attempt_at   timestamptz NOT NULL,
    last_error        text,
    -- quality
    target            boolean     NOT NULL DEFAULT false,
    first_time        boolean     NOT NULL DEFAULT false,
    missed            boolean     NOT NULL DEFAULT false,
    abandoned         boolean     NOT NULL DEFAULT false,
    called_back       boolean     NOT NULL DEFAULT false,
    excluded          boolean     NOT NULL DEFAULT false,
    exclusion_reasons text[]      NOT NULL DEFAULT '{}',
    received_at       timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT calls_external_unique UNIQUE (integration_id, external_id)
);
CREATE INDEX calls_tenant_time ON calls (tenant_id, started_at DESC, id);
CREATE INDEX calls_caller ON calls (tenant_id, caller_e164, started_at);
CREATE INDEX calls_visitor ON calls (tenant_id, visitor_id, started_at);
CREATE INDEX calls_pending ON calls (next_attempt_at) WHERE NOT processed;
CREATE INDEX calls_number_time ON calls (called_e164, started_at);

-- Per-site call rules; a site without a row uses the defaults.
CREATE TABLE call_settings (
    tenant_id                 text    NOT NULL,
    site_key                  text    NOT NULL,
    target_min_talk_seconds   integer NOT NULL,
    unique_window_days        integer NOT NULL,
    abandoned_max_seconds     integer NOT NULL,
    callback_window_minutes   integer NOT NULL,
    max_calls_per_hour        integer NOT NULL,
    zero_talk_burst           integer NOT NULL,
    match_skew_seconds        integer NOT NULL,
    blocklist                 text[]  NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, site_key)
);
