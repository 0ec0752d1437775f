-- Ad spend per day x source x campaign, in integer minor units; overheads and rates arrive with the reporting issue.
CREATE TABLE ad_costs (
    tenant_id    text        NOT NULL,
    day          date        NOT NULL,
    source       text        NOT NULL,
    campaign     text        NOT NULL,
    amount_minor bigint      NOT NULL CHECK (amount_minor >= 0),
    currency     char(3)     NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, day, source, campaign)
);
