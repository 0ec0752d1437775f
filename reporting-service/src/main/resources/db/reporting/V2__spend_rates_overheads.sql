-- Workspace settings of the money reports: the currency and zone reports are in, how overheads are allocated, what
-- the "naive" view believes a lead is worth, which series is the last click, LTV horizon and expected lifetime.
CREATE TABLE reporting_settings (
    tenant_id            text          PRIMARY KEY,
    currency             char(3)       NOT NULL,
    time_zone            text          NOT NULL,
    overhead_rule        text          NOT NULL CHECK (overhead_rule IN ('spend_share', 'lead_share', 'paid_deal_share', 'fixed_shares')),
    fixed_shares         jsonb         NOT NULL DEFAULT '{}',
    naive_valuation      text          NOT NULL CHECK (naive_valuation IN ('expected_check', 'deal_amount')),
    naive_conversion_pct numeric(7, 4) NOT NULL,
    naive_check_minor    bigint        NOT NULL,
    last_click_model     text          NOT NULL,
    ltv_horizon_months   integer       NOT NULL CHECK (ltv_horizon_months BETWEEN 1 AND 60),
    lifetime_years       numeric(5, 2) NOT NULL,
    rate_max_age_days    integer       NOT NULL CHECK (rate_max_age_days BETWEEN 0 AND 31),
    updated_at           timestamptz   NOT NULL
);

-- Which campaign keys an ad platform's spend meets visits and credits under.
CREATE TABLE platform_mappings (
    tenant_id      text    NOT NULL,
    platform       text    NOT NULL,
    source         text    NOT NULL,
    medium         text    NOT NULL,
    channel        text    NOT NULL,
    campaign_by_id boolean NOT NULL,
    PRIMARY KEY (tenant_id, platform)
);

-- Ad spend per day x platform x account x campaign x ad group x keyword (empty where the platform has none), in minor
-- units of the account's currency; campaign is what utm_campaign holds for it, source / medium / channel the keys it is
-- reported under. A re-import of a day of an account replaces that day.
CREATE TABLE ad_spend (
    tenant_id     text        NOT NULL,
    day           date        NOT NULL,
    platform      text        NOT NULL,
    account       text        NOT NULL,
    campaign_id   text        NOT NULL,
    ad_group      text        NOT NULL,
    keyword       text        NOT NULL,
    campaign_name text        NOT NULL,
    campaign      text        NOT NULL,
    source        text        NOT NULL,
    medium        text        NOT NULL,
    channel       text        NOT NULL,
    impressions   bigint      NOT NULL CHECK (impressions >= 0),
    clicks        bigint      NOT NULL CHECK (clicks >= 0),
    cost_minor    bigint      NOT NULL CHECK (cost_minor >= 0),
    currency      char(3)     NOT NULL,
    conversions   numeric(18, 4),
    import_id     uuid,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, day, platform, account, campaign_id, ad_group, keyword)
);
CREATE INDEX ad_spend_report ON ad_spend (tenant_id, day);

INSERT INTO ad_spend (tenant_id, day, platform, account, campaign_id, ad_group, keyword, campaign_name, campaign, source, medium, channel,
                      impressions, clicks, cost_minor, currency, updated_at)
SELECT tenant_id, day, source, '', campaign, '', '', campaign, campaign, source, 'cpc',
       CASE WHEN source IN ('yandex', 'google') THEN 'paid_search' WHEN source IN ('vk', 'facebook') THEN 'paid_social' ELSE 'paid_other' END,
       0, 0, amount_minor, currency, updated_at
  FROM ad_costs;
DROP TABLE ad_costs;

-- Imports of spend (an upload, the JSON API, a connector's pull) with their progress and summary.
CREATE TABLE spend_imports (
    id          uuid        PRIMARY KEY,
    tenant_id   text        NOT NULL,
    format      text        NOT NULL,
    origin      text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    rows_total  integer     NOT NULL DEFAULT 0,
    rows_done   integer     NOT NULL DEFAULT 0,
    rows_read   integer     NOT NULL DEFAULT 0,
    inserted    integer     NOT NULL DEFAULT 0,
    replaced    integer     NOT NULL DEFAULT 0,
    removed     integer     NOT NULL DEFAULT 0,
    rejected    integer     NOT NULL DEFAULT 0,
    rejections  jsonb       NOT NULL DEFAULT '[]',
    error       text,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX spend_imports_tenant ON spend_imports (tenant_id, created_at DESC, id);

-- Scheduled pulls from the ad platforms' APIs; credentials sealed with the service's key (AES-GCM), never returned.
CREATE TABLE spend_connectors (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    name            text        NOT NULL,
    platform        text        NOT NULL CHECK (platform IN ('yandex_direct', 'google_ads', 'meta', 'vk_ads')),
    account         text        NOT NULL,
    currency        char(3)     NOT NULL,
    base_url        text        NOT NULL,
    credentials     bytea       NOT NULL,
    options         jsonb       NOT NULL DEFAULT '{}',
    every_minutes   integer     NOT NULL CHECK (every_minutes BETWEEN 15 AND 10080),
    lookback_days   integer     NOT NULL CHECK (lookback_days BETWEEN 1 AND 90),
    enabled         boolean     NOT NULL,
    next_run_at     timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    last_run_at     timestamptz,
    last_import_id  uuid,
    last_error      text,
    created_at      timestamptz NOT NULL,
    CONSTRAINT spend_connectors_name UNIQUE (tenant_id, name)
);
CREATE INDEX spend_connectors_due ON spend_connectors (next_run_at) WHERE enabled;

-- Daily exchange rates: one unit of base was worth rate units of quote on day.
CREATE TABLE exchange_rates (
    tenant_id text           NOT NULL,
    day       date           NOT NULL,
    base      char(3)        NOT NULL,
    quote     char(3)        NOT NULL,
    rate      numeric(30, 12) NOT NULL CHECK (rate > 0),
    source    text           NOT NULL,
    PRIMARY KEY (tenant_id, base, quote, day)
);

-- Overheads per month: an amount in a currency, or a percent of the month's ad spend (agency commission); a channel
-- when the item belongs to one.
CREATE TABLE overheads (
    id               uuid          PRIMARY KEY,
    tenant_id        text          NOT NULL,
    month            date          NOT NULL CHECK (extract(day FROM month) = 1),
    category         text          NOT NULL CHECK (category IN ('salaries', 'tools', 'agency_commission', 'payment_commission', 'bonuses', 'other')),
    amount_minor     bigint        CHECK (amount_minor >= 0),
    currency         char(3),
    percent_of_spend numeric(7, 4) CHECK (percent_of_spend >= 0),
    channel          text,
    note             text,
    created_at       timestamptz   NOT NULL,
    CHECK ((amount_minor IS NULL) <> (percent_of_spend IS NULL)),
    CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX overheads_month ON overheads (tenant_id, month);
