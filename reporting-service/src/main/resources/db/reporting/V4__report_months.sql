-- Reports sum the daily aggregates by calendar month. Every daily table gets a stored month column (its day's first
-- of the month) and a monthly twin: a period's whole months are read from the twin (about thirty times fewer rows over
-- a year), its partial months, amounts in other currencies (converted at each day's rate) and months whose twin is
-- stale from the daily table. Writers mark the months they changed stale in the same transaction; the compactor
-- (processing/FeedSync, store/MonthTwins) recomputes them. bench: -Dbench.only=reports.
CREATE TABLE month_twins_stale (
    daily     text        NOT NULL,
    tenant_id text        NOT NULL,
    month     date        NOT NULL,
    marked_at timestamptz NOT NULL,
    PRIMARY KEY (daily, tenant_id, month)
);

ALTER TABLE ad_spend ADD COLUMN month date GENERATED ALWAYS AS (day - (EXTRACT(DAY FROM day)::integer - 1)) STORED;
CREATE TABLE spend_monthly (
    tenant_id text NOT NULL,
    month date NOT NULL,
    channel text NOT NULL,
    source text NOT NULL,
    medium text NOT NULL,
    campaign text NOT NULL,
    keyword text NOT NULL,
    currency char(3) NOT NULL,
    impressions bigint NOT NULL,
    clicks bigint NOT NULL,
    cost_minor bigint NOT NULL,
    conversions numeric(22, 4) NOT NULL,
    PRIMARY KEY (tenant_id, month, channel, source, medium, campaign, keyword, currency)
);
INSERT INTO month_twins_stale SELECT DISTINCT 'ad_spend', tenant_id, month, now() FROM ad_spend;

ALTER TABLE traffic_daily ADD COLUMN month date GENERATED ALWAYS AS (day - (EXTRACT(DAY FROM day)::integer - 1)) STORED;
CREATE TABLE traffic_monthly (
    tenant_id text NOT NULL,
    month date NOT NULL,
    site_key text NOT NULL,
    channel text NOT NULL,
    source text NOT NULL,
    medium text NOT NULL,
    campaign text NOT NULL,
    keyword text NOT NULL,
    sessions bigint NOT NULL,
    bot_sessions bigint NOT NULL,
    PRIMARY KEY (tenant_id, month, site_key, channel, source, medium, campaign, keyword)
);
INSERT INTO month_twins_stale SELECT DISTINCT 'traffic_daily', tenant_id, month, now() FROM traffic_daily;

ALTER TABLE lead_daily ADD COLUMN month date GENERATED ALWAYS AS (day - (EXTRACT(DAY FROM day)::integer - 1)) STORED;
CREATE TABLE lead_monthly (
    tenant_id text NOT NULL,
    month date NOT NULL,
    prev_day date NOT NULL,
    site_key text NOT NULL,
    channel text NOT NULL,
    source text NOT NULL,
    medium text NOT NULL,
    campaign text NOT NULL,
    keyword text NOT NULL,
    raw bigint NOT NULL,
    junk bigint NOT NULL,
    returning_leads bigint NOT NULL,
    candidates bigint NOT NULL,
    raw_candidates bigint NOT NULL,
    PRIMARY KEY (tenant_id, month, prev_day, site_key, channel, source, medium, campaign, keyword)
);
INSERT INTO month_twins_stale SELECT DISTINCT 'lead_daily', tenant_id, month, now() FROM lead_daily;

ALTER TABLE call_daily ADD COLUMN month date GENERATED ALWAYS AS (day - (EXTRACT(DAY FROM day)::integer - 1)) STORED;
CREATE TABLE call_monthly (
    tenant_id text NOT NULL,
    month date NOT NULL,
    site_key text NOT NULL,
    channel text NOT NULL,
    source text NOT NULL,
    medium text NOT NULL,
    campaign text NOT NULL,
    keyword text NOT NULL,
    calls bigint NOT NULL,
    inbound bigint NOT NULL,
    answered bigint NOT NULL,
    target bigint NOT NULL,
    first_time bigint NOT NULL,
    missed bigint NOT NULL,
    called_back bigint NOT NULL,
    spam bigint NOT NULL,
    unmatched bigint NOT NULL,
    talk_seconds bigint NOT NULL,
    PRIMARY KEY (tenant_id, month, site_key, channel, source, medium, campaign, keyword)
);
INSERT INTO month_twins_stale SELECT DISTINCT 'call_daily', tenant_id, month, now() FROM call_daily;

ALTER TABLE deal_daily ADD COLUMN month date GENERATED ALWAYS AS (day - (EXTRACT(DAY FROM day)::integer - 1)) STORED;
CREATE TABLE deal_monthly (
    tenant_id text NOT NULL,
    month date NOT NULL,
    channel text NOT NULL,
    source text NOT NULL,
    medium text NOT NULL,
    campaign text NOT NULL,
    keyword text NOT NULL,
    currency char(3) NOT NULL,
    deals bigint NOT NULL,
    won bigint NOT NULL,
    lost bigint NOT NULL,
    paid bigint NOT NULL,
    won_unpaid bigint NOT NULL,
    no_touchpoint bigint NOT NULL,
    amount_minor bigint NOT NULL,
    PRIMARY KEY (tenant_id, month, channel, source, medium, campaign, keyword, currency)
);
INSERT INTO month_twins_stale SELECT DISTINCT 'deal_daily', tenant_id, month, now() FROM deal_daily;

ALTER TABLE credit_totals ADD COLUMN month date GENERATED ALWAYS AS (day - (EXTRACT(DAY FROM day)::integer - 1)) STORED;
CREATE TABLE credit_monthly (
    tenant_id text NOT NULL,
    month date NOT NULL,
    series text NOT NULL,
    channel text NOT NULL,
    source text NOT NULL,
    medium text NOT NULL,
    campaign text NOT NULL,
    keyword text NOT NULL,
    currency char(3) NOT NULL,
    conversions double precision NOT NULL,
    revenue_minor numeric(30, 6) NOT NULL,
    gross_profit_minor numeric(30, 6) NOT NULL,
    paid_deals double precision NOT NULL,
    new_customers double precision NOT NULL,
    PRIMARY KEY (tenant_id, month, series, channel, source, medium, campaign, keyword, currency)
);
INSERT INTO month_twins_stale SELECT DISTINCT 'credit_totals', tenant_id, month, now() FROM credit_totals;
