-- Exclusion audiences: definitions, their current members, and a version per recompute that changed anything, with
-- the members it added and removed (what an ad platform needs to sync since the version it has).
CREATE TABLE audiences (
    id               uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    name             text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('paid_customers', 'open_deals', 'uploaded', 'combined')),
    definition       jsonb       NOT NULL,
    version          integer     NOT NULL DEFAULT 0,
    size             integer     NOT NULL DEFAULT 0,
    -- a new or changed definition re-evaluates every person of the workspace once
    rebuild          boolean     NOT NULL DEFAULT true,
    feed_user        text        UNIQUE,
    -- SHA-256 of the feed secret (a 256-bit random value: a slow hash adds nothing)
    feed_secret_hash text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT audiences_name_unique UNIQUE (tenant_id, name)
);

-- Members: a person ('p:<person id>') or an uploaded contact ('c:e:<e-mail>', 'c:p:<E.164 phone>'), with the
-- e-mails and phones exported for it.
CREATE TABLE audience_members (
    audience_id   uuid    NOT NULL REFERENCES audiences (id) ON DELETE CASCADE,
    member_key    text    NOT NULL,
    emails        text[]  NOT NULL,
    phones        text[]  NOT NULL,
    -- a "paid within N days" membership ends by itself: the recompute sweeps what expired
    expires_at    timestamptz,
    version       integer NOT NULL,
    PRIMARY KEY (audience_id, member_key)
);
CREATE INDEX audience_members_expiry ON audience_members (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE audience_versions (
    audience_id uuid        NOT NULL REFERENCES audiences (id) ON DELETE CASCADE,
    version     integer     NOT NULL,
    at          timestamptz NOT NULL,
    added       integer     NOT NULL,
    removed     integer     NOT NULL,
    size        integer     NOT NULL,
    reason      text        NOT NULL,
    PRIMARY KEY (audience_id, version)
);

-- What each version changed: '+' a member added or its contacts changed (the new contacts), '-' removed (the
-- contacts it had, so that the platform can be told to drop them).
CREATE TABLE audience_changes (
    audience_id uuid    NOT NULL REFERENCES audiences (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    member_key  text    NOT NULL,
    op          text    NOT NULL CHECK (op IN ('+', '-')),
    emails      text[]  NOT NULL,
    phones      text[]  NOT NULL,
    PRIMARY KEY (audience_id, version, member_key)
);

-- Persons whose membership must be re-evaluated (a deal or payment changed, identity merged, split or erased them).
CREATE TABLE audience_dirty (
    tenant_id text        NOT NULL,
    person_id text        NOT NULL,
    marked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, person_id)
);

-- Where identity-service's person ids now point (deals keep the id their contact was linked to; merges absorb it).
CREATE TABLE person_aliases (
    tenant_id text NOT NULL,
    person_id text NOT NULL,
    canonical text NOT NULL,
    PRIMARY KEY (tenant_id, person_id)
);
CREATE INDEX person_aliases_canonical ON person_aliases (tenant_id, canonical);
CREATE INDEX deals_person ON deals (tenant_id, person_id) WHERE person_id IS NOT NULL;

-- Consent for advertising use, per contact ('e:<e-mail>' / 'p:<E.164>'); a withdrawal wins over a grant.
CREATE TABLE audience_consents (
    tenant_id  text        NOT NULL,
    contact    text        NOT NULL,
    granted    boolean     NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, contact)
);

CREATE TABLE audience_settings (
    tenant_id       text        PRIMARY KEY,
    require_consent boolean     NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- Every pull of an export: who, when, which version, how many rows.
CREATE TABLE audience_pulls (
    id            bigserial   PRIMARY KEY,
    audience_id   uuid        NOT NULL REFERENCES audiences (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL,
    via           text        NOT NULL CHECK (via IN ('token', 'feed')),
    who           text        NOT NULL,
    platform      text        NOT NULL,
    version       integer     NOT NULL,
    since_version integer,
    rows          bigint      NOT NULL,
    refused       text
);
CREATE INDEX audience_pulls_audience ON audience_pulls (audience_id, id DESC);

-- The position in identity-service's person change feed.
CREATE TABLE identity_feed_cursor (
    consumer text   PRIMARY KEY,
    last_id  bigint NOT NULL
);
