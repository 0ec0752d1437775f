-- What reporting keeps of the other services, so that reports read small aggregates and never rescan touchpoints.
-- Cursors of the change feeds (advanced in the same transaction as the aggregates they fed).
CREATE TABLE feed_state (
    name       text        PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- The newest version of each attribution series reporting holds the credit totals of.
CREATE TABLE series_state (
    tenant_id        text        NOT NULL,
    series           text        NOT NULL,
    model            text        NOT NULL,
    version          integer     NOT NULL,
    run_id           uuid        NOT NULL,
    is_default       boolean     NOT NULL,
    cutoff           timestamptz NOT NULL,
    conversion_event text        NOT NULL,
    journeys_version integer     NOT NULL DEFAULT 0,
    synced_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, series)
);

-- Attributed credits per series, day (workspace zone), campaign keys and currency; money in fractional minor units.
CREATE TABLE credit_totals (
    tenant_id          text            NOT NULL,
    series             text            NOT NULL,
    day                date            NOT NULL,
    channel            text            NOT NULL,
    source             text            NOT NULL,
    medium             text            NOT NULL,
    campaign           text            NOT NULL,
    keyword            text            NOT NULL,
    currency           char(3)         NOT NULL,
    conversions        double precision NOT NULL,
    revenue_minor      numeric(30, 6)  NOT NULL,
    gross_profit_minor numeric(30, 6)  NOT NULL,
    paid_deals         double precision NOT NULL,
    new_customers      double precision NOT NULL,
    PRIMARY KEY (tenant_id, series, day, channel, source, medium, campaign, keyword, currency)
);

-- Sessions per day, site and campaign keys (tracking), replaced day by day.
CREATE TABLE traffic_daily (
    tenant_id    text   NOT NULL,
    day          date   NOT NULL,
    site_key     text   NOT NULL,
    channel      text   NOT NULL,
    source       text   NOT NULL,
    medium       text   NOT NULL,
    campaign     text   NOT NULL,
    keyword      text   NOT NULL,
    sessions     bigint NOT NULL,
    bot_sessions bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, site_key, channel, source, medium, campaign, keyword)
);

-- Sites by id and public key (reports filter by either).
CREATE TABLE sites (
    tenant_id text NOT NULL,
    site_id   text NOT NULL,
    site_key  text NOT NULL,
    PRIMARY KEY (tenant_id, site_id)
);

-- Contacts (form leads, inbound calls, CRM deals) with their person; prev_day is the day of the same person's previous
-- non-junk contact: a contact is the person's first in a period exactly when prev_day falls before the period.
CREATE TABLE contacts (
    tenant_id  text        NOT NULL,
    contact_id text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('form', 'call', 'deal')),
    at         timestamptz NOT NULL,
    day        date        NOT NULL,
    site_key   text        NOT NULL,
    channel    text        NOT NULL,
    source     text        NOT NULL,
    medium     text        NOT NULL,
    campaign   text        NOT NULL,
    keyword    text        NOT NULL,
    person     text        NOT NULL,
    junk       boolean     NOT NULL,
    returning_customer boolean NOT NULL,
    prev_day   date,
    PRIMARY KEY (tenant_id, contact_id)
);
CREATE INDEX contacts_person ON contacts (tenant_id, person, at);

-- Contacts counted per day and the previous contact's day ('0001-01-01': none): raw (forms and calls), junk,
-- returning customers (of forms and calls), candidates (neither junk nor returning: a new lead when first in the
-- period) and raw candidates (of forms and calls: a duplicate when not first; a CRM deal after the person's form is
-- the same lead, never a duplicate).
CREATE TABLE lead_daily (
    tenant_id  text   NOT NULL,
    day        date   NOT NULL,
    prev_day   date   NOT NULL,
    site_key   text   NOT NULL,
    channel    text   NOT NULL,
    source     text   NOT NULL,
    medium     text   NOT NULL,
    campaign   text   NOT NULL,
    keyword    text   NOT NULL,
    raw        bigint NOT NULL,
    junk       bigint NOT NULL,
    returning_leads bigint NOT NULL,
    candidates     bigint NOT NULL,
    raw_candidates bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, prev_day, site_key, channel, source, medium, campaign, keyword)
);

-- Calls as calltracking judged them (no phone numbers), and per day.
CREATE TABLE calls (
    tenant_id    text        NOT NULL,
    call_id      text        NOT NULL,
    at           timestamptz NOT NULL,
    day          date        NOT NULL,
    site_key     text        NOT NULL,
    inbound      boolean     NOT NULL,
    completed    boolean     NOT NULL,
    answered     boolean     NOT NULL,
    target       boolean     NOT NULL,
    first_time   boolean     NOT NULL,
    missed       boolean     NOT NULL,
    called_back  boolean     NOT NULL,
    spam         boolean     NOT NULL,
    matched      boolean     NOT NULL,
    channel      text        NOT NULL,
    source       text        NOT NULL,
    medium       text        NOT NULL,
    campaign     text        NOT NULL,
    keyword      text        NOT NULL,
    talk_seconds integer     NOT NULL,
    PRIMARY KEY (tenant_id, call_id)
);

CREATE TABLE call_daily (
    tenant_id    text   NOT NULL,
    day          date   NOT NULL,
    site_key     text   NOT NULL,
    channel      text   NOT NULL,
    source       text   NOT NULL,
    medium       text   NOT NULL,
    campaign     text   NOT NULL,
    keyword      text   NOT NULL,
    calls        bigint NOT NULL,
    inbound      bigint NOT NULL,
    answered     bigint NOT NULL,
    target       bigint NOT NULL,
    first_time   bigint NOT NULL,
    missed       bigint NOT NULL,
    called_back  bigint NOT NULL,
    spam         bigint NOT NULL,
    unmatched    bigint NOT NULL,
    talk_seconds bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, site_key, channel, source, medium, campaign, keyword)
);

-- CRM deals (attribution's facts, no contact data), their payments, and their journey in the default series.
CREATE TABLE deals (
    tenant_id         text             NOT NULL,
    deal_id           text             NOT NULL,
    crm               text             NOT NULL,
    created_at        timestamptz      NOT NULL,
    status            text             NOT NULL,
    furthest_stage    text             NOT NULL,
    loss_reason       text             NOT NULL,
    manager           text             NOT NULL,
    currency          char(3)          NOT NULL,
    amount_minor      bigint           NOT NULL,
    gross_ratio       double precision NOT NULL,
    person_id         text             NOT NULL,
    returning_customer boolean         NOT NULL,
    -- whom cohorts count the deal for: the journey's person, else identity's link, else the deal alone
    person            text             NOT NULL,
    stages            jsonb            NOT NULL,
    changed_at        timestamptz      NOT NULL,
    PRIMARY KEY (tenant_id, deal_id)
);
CREATE INDEX deals_person ON deals (tenant_id, person);

CREATE TABLE deal_payments (
    tenant_id    text        NOT NULL,
    deal_id      text        NOT NULL,
    payment_id   text        NOT NULL,
    paid_at      timestamptz NOT NULL,
    amount_minor bigint      NOT NULL,
    PRIMARY KEY (tenant_id, deal_id, payment_id)
);

CREATE TABLE deal_journeys (
    tenant_id     text    NOT NULL,
    deal_id       text    NOT NULL,
    person_key    text    NOT NULL,
    touches       integer NOT NULL,
    channel       text    NOT NULL,
    source        text    NOT NULL,
    medium        text    NOT NULL,
    campaign      text    NOT NULL,
    keyword       text    NOT NULL,
    PRIMARY KEY (tenant_id, deal_id)
);

-- Deals per creation day and lead-creation keys: created, won, lost, paid, won but unpaid, without any touchpoint,
-- and their amounts (the naive view can value leads at them).
CREATE TABLE deal_daily (
    tenant_id     text   NOT NULL,
    day           date   NOT NULL,
    channel       text   NOT NULL,
    source        text   NOT NULL,
    medium        text   NOT NULL,
    campaign      text   NOT NULL,
    keyword       text   NOT NULL,
    currency      char(3) NOT NULL,
    deals         bigint NOT NULL,
    won           bigint NOT NULL,
    lost          bigint NOT NULL,
    paid          bigint NOT NULL,
    won_unpaid    bigint NOT NULL,
    no_touchpoint bigint NOT NULL,
    amount_minor  bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, channel, source, medium, campaign, keyword, currency)
);

-- The funnel per creation day and lead keys: deals that reached each stage, lost ones by reason, time spent in a stage
-- before the next one was entered.
CREATE TABLE funnel_daily (
    tenant_id      text    NOT NULL,
    day            date    NOT NULL,
    channel        text    NOT NULL,
    source         text    NOT NULL,
    medium         text    NOT NULL,
    campaign       text    NOT NULL,
    keyword        text    NOT NULL,
    stage          text    NOT NULL,
    loss_reason    text    NOT NULL,
    deals          bigint  NOT NULL,
    stage_seconds  numeric NOT NULL,
    stage_exits    bigint  NOT NULL,
    PRIMARY KEY (tenant_id, day, channel, source, medium, campaign, keyword, stage, loss_reason)
);

-- Managers per creation day of their deals, and the money their deals received per payment day.
CREATE TABLE manager_daily (
    tenant_id          text    NOT NULL,
    day                date    NOT NULL,
    manager            text    NOT NULL,
    deals              bigint  NOT NULL,
    responded          bigint  NOT NULL,
    response_seconds   numeric NOT NULL,
    won                bigint  NOT NULL,
    paid               bigint  NOT NULL,
    cycles             bigint  NOT NULL,
    cycle_seconds      numeric NOT NULL,
    closed             bigint  NOT NULL,
    closed_few_touches bigint  NOT NULL,
    PRIMARY KEY (tenant_id, day, manager)
);

CREATE TABLE manager_revenue (
    tenant_id    text    NOT NULL,
    day          date    NOT NULL,
    manager      text    NOT NULL,
    currency     char(3) NOT NULL,
    revenue_minor bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, manager, currency)
);

-- Customers (persons with a payment): the month of their first payment and the lead keys of the deal holding it.
CREATE TABLE customers (
    tenant_id     text        NOT NULL,
    person        text        NOT NULL,
    first_paid_at timestamptz NOT NULL,
    cohort_month  date        NOT NULL,
    channel       text        NOT NULL,
    source        text        NOT NULL,
    medium        text        NOT NULL,
    campaign      text        NOT NULL,
    keyword       text        NOT NULL,
    PRIMARY KEY (tenant_id, person)
);

-- Cohorts: money per cohort month, acquisition keys and payment day; people per month offset (paid in that month,
-- made their second purchase in it).
CREATE TABLE cohort_revenue (
    tenant_id          text    NOT NULL,
    cohort_month       date    NOT NULL,
    channel            text    NOT NULL,
    source             text    NOT NULL,
    medium             text    NOT NULL,
    campaign           text    NOT NULL,
    keyword            text    NOT NULL,
    day                date    NOT NULL,
    currency           char(3) NOT NULL,
    revenue_minor      bigint  NOT NULL,
    gross_profit_minor numeric(30, 6) NOT NULL,
    purchases          bigint  NOT NULL,
    PRIMARY KEY (tenant_id, cohort_month, channel, source, medium, campaign, keyword, day, currency)
);

CREATE TABLE cohort_people (
    tenant_id        text    NOT NULL,
    cohort_month     date    NOT NULL,
    channel          text    NOT NULL,
    source           text    NOT NULL,
    medium           text    NOT NULL,
    campaign         text    NOT NULL,
    keyword          text    NOT NULL,
    offset_month     integer NOT NULL,
    active           bigint  NOT NULL,
    second_purchases bigint  NOT NULL,
    PRIMARY KEY (tenant_id, cohort_month, channel, source, medium, campaign, keyword, offset_month)
);
