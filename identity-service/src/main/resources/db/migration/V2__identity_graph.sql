-- The identity graph: identifier nodes (keyed HMAC match keys), edges with their source and event,
-- persons as connected components (identifiers.person_id is always the canonical person).
CREATE TABLE persons (
    id            uuid        PRIMARY KEY,
    tenant_id     text        NOT NULL,
    created_at    timestamptz NOT NULL,
    merged_into   uuid        NULL REFERENCES persons (id),
    erased_at     timestamptz NULL,
    first_paid_at timestamptz NULL,
    last_paid_at  timestamptz NULL,
    payments      integer     NOT NULL DEFAULT 0
);
CREATE INDEX persons_tenant ON persons (tenant_id, id);
-- Absorbed persons point at their survivor; merges re-point chains, so this lookup must not scan.
CREATE INDEX persons_merged_into ON persons (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE identifiers (
    id          bigserial   PRIMARY KEY,
    tenant_id   text        NOT NULL,
    type        text        NOT NULL,
    match_key   text        NOT NULL,
    person_id   uuid        NULL REFERENCES persons (id),
    -- The value itself only for identifiers that are not personal data (visitor, client, CRM and user ids).
    value       text        NULL,
    -- Normalized e-mail / phone, AES-GCM encrypted with the workspace's key, for audience export.
    sealed      bytea       NULL,
    quarantined boolean     NOT NULL DEFAULT false,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    -- match_key leads: it is what lookups are selective on, also in prepared statements' generic plans.
    CONSTRAINT identifiers_key UNIQUE (tenant_id, match_key, type),
    CONSTRAINT identifiers_owned CHECK (quarantined OR person_id IS NOT NULL)
);
CREATE INDEX identifiers_person ON identifiers (person_id);

CREATE TABLE edges (
    id         bigserial   PRIMARY KEY,
    tenant_id  text        NOT NULL,
    a          bigint      NOT NULL REFERENCES identifiers (id) ON DELETE CASCADE,
    b          bigint      NOT NULL REFERENCES identifiers (id) ON DELETE CASCADE,
    source     text        NOT NULL,
    event_id   text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    CONSTRAINT edges_pair UNIQUE (a, b),
    CONSTRAINT edges_ordered CHECK (a < b)
);
CREATE INDEX edges_b ON edges (b);

-- Which unique ids (CRM contacts, user ids) a shared value was seen with: the hub-quarantine evidence.
CREATE TABLE hub_observations (
    identifier_id bigint NOT NULL REFERENCES identifiers (id) ON DELETE CASCADE,
    unique_key    text   NOT NULL,
    PRIMARY KEY (identifier_id, unique_key)
);

CREATE TABLE guard_decisions (
    id        bigserial   PRIMARY KEY,
    tenant_id text        NOT NULL,
    at        timestamptz NOT NULL,
    type      text        NOT NULL,
    match_key text        NULL,
    reason    text        NOT NULL,
    detail    text        NOT NULL,
    source    text        NOT NULL,
    event_id  text        NOT NULL
);
CREATE INDEX guard_decisions_tenant ON guard_decisions (tenant_id, id);

CREATE TABLE merge_log (
    id        bigserial   PRIMARY KEY,
    tenant_id text        NOT NULL,
    at        timestamptz NOT NULL,
    kind      text        NOT NULL CHECK (kind IN ('merge', 'split', 'unmerge', 'quarantine', 'erase')),
    person_id uuid        NOT NULL,
    others    uuid[]      NOT NULL DEFAULT '{}',
    detail    text        NOT NULL
);
CREATE INDEX merge_log_person ON merge_log (tenant_id, person_id);

CREATE TABLE payments_seen (
    tenant_id  text NOT NULL,
    payment_id text NOT NULL,
    PRIMARY KEY (tenant_id, payment_id)
);

CREATE TABLE suppressions (
    tenant_id  text        NOT NULL,
    type       text        NOT NULL,
    match_key  text        NOT NULL,
    erasure_id uuid        NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, match_key, type)
);

CREATE TABLE erasures (
    id           uuid        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    person_id    uuid        NOT NULL,
    requested_at timestamptz NOT NULL,
    requested_by text        NOT NULL,
    -- What the consumers must delete, sealed; wiped once every consumer confirmed.
    identifiers  bytea       NULL
);
CREATE INDEX erasures_tenant ON erasures (tenant_id, requested_at);

CREATE TABLE erasure_confirmations (
    erasure_id   uuid        NOT NULL REFERENCES erasures (id),
    consumer     text        NOT NULL,
    confirmed_at timestamptz NOT NULL,
    deleted      text        NOT NULL,
    PRIMARY KEY (erasure_id, consumer)
);
