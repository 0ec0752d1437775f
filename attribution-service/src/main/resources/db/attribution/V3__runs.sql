-- Attribution settings per workspace, immutable attribution runs with their per-touch credits, and each run's
-- journeys per deal (the lead-creation touch feeds the funnel report).
CREATE TABLE attribution_settings (
    tenant_id              text        PRIMARY KEY,
    conversion_event       text        NOT NULL CHECK (conversion_event IN ('payment', 'deal_won', 'lead_created')),
    lookback_days          integer     NOT NULL CHECK (lookback_days BETWEEN 1 AND 730),
    reset_after_conversion boolean     NOT NULL,
    -- [{"model": "linear", "params": {...}}, ...]: what the scheduled job keeps attributed
    models                 jsonb       NOT NULL,
    default_model          text        NOT NULL,
    -- product line -> gross margin percent, for deals without a cost of goods
    margins                jsonb       NOT NULL DEFAULT '{}',
    updated_at             timestamptz NOT NULL
);

CREATE TABLE attribution_runs (
    id                     uuid        PRIMARY KEY,
    tenant_id              text        NOT NULL,
    -- the model and its parameters as one name ("linear", "position_based(0.3,0.4,0.3)"): versions of one series
    series                 text        NOT NULL,
    version                integer     NOT NULL,
    base_run_id            uuid        REFERENCES attribution_runs (id) ON DELETE SET NULL,
    trigger                text        NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
    model                  text        NOT NULL,
    params                 jsonb       NOT NULL,
    conversion_event       text        NOT NULL,
    lookback_days          integer     NOT NULL,
    reset_after_conversion boolean     NOT NULL,
    cutoff                 timestamptz NOT NULL,
    status                 text        NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    persons_total          integer     NOT NULL DEFAULT 0,
    persons_done           integer     NOT NULL DEFAULT 0,
    deals_recomputed       integer     NOT NULL DEFAULT 0,
    deals_copied           integer     NOT NULL DEFAULT 0,
    conversions            double precision,
    explanation            jsonb,
    error                  text,
    created_at             timestamptz NOT NULL,
    finished_at            timestamptz,
    CONSTRAINT runs_version_unique UNIQUE (tenant_id, series, version)
);
CREATE INDEX runs_tenant_created ON attribution_runs (tenant_id, created_at DESC);

CREATE TABLE run_credits (
    run_id             uuid             NOT NULL REFERENCES attribution_runs (id) ON DELETE CASCADE,
    deal_id            uuid             NOT NULL,
    event              text             NOT NULL CHECK (event IN ('conversion', 'payment', 'refund')),
    event_id           text             NOT NULL,
    event_at           timestamptz      NOT NULL,
    touch_index        integer          NOT NULL,
    touchpoint_id      text             NOT NULL,
    touch_kind         text             NOT NULL,
    touch_at           timestamptz      NOT NULL,
    channel            text             NOT NULL,
    source             text             NOT NULL,
    medium             text             NOT NULL,
    campaign           text             NOT NULL,
    keyword            text             NOT NULL,
    has_click_id       boolean          NOT NULL,
    weight             double precision NOT NULL,
    conversions        double precision NOT NULL,
    currency           text             NOT NULL,
    revenue_minor      numeric(24, 6)   NOT NULL,
    gross_profit_minor numeric(24, 6)   NOT NULL
);
CREATE INDEX run_credits_run_event ON run_credits (run_id, event_at);
CREATE INDEX run_credits_run_deal ON run_credits (run_id, deal_id);

CREATE TABLE run_deals (
    run_id             uuid        NOT NULL REFERENCES attribution_runs (id) ON DELETE CASCADE,
    deal_id            uuid        NOT NULL,
    person_key         text        NOT NULL,
    -- the deal's state when the run saw it: a changed deal is recomputed by the next incremental version
    deal_changed_at   timestamptz NOT NULL,
    conversion_at      timestamptz,
    touches            integer     NOT NULL,
    lead_channel       text        NOT NULL,
    lead_source        text        NOT NULL,
    lead_medium        text        NOT NULL,
    lead_campaign      text        NOT NULL,
    lead_keyword       text        NOT NULL,
    lead_has_click_id  boolean     NOT NULL,
    PRIMARY KEY (run_id, deal_id)
);

-- Any delivery touching a deal (its fields, a new stage, a new payment) bumps changed_at: the incremental job
-- recomputes the journeys of people whose deals changed since the previous version.
ALTER TABLE deals ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX deals_tenant_changed ON deals (tenant_id, changed_at);
