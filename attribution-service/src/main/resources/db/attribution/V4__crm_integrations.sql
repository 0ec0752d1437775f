-- CRM integrations: where deal webhooks come from and how they prove it (generic: HMAC secret; amoCRM: the token
-- in the webhook address; Bitrix24: the outgoing webhook's application token, plus the inbound REST address the
-- deal is read from). Secrets are kept as given (checks need them), never returned after creation nor logged.
CREATE TABLE crm_integrations (
    id            uuid        PRIMARY KEY,
    tenant_id     text        NOT NULL,
    name          text        NOT NULL,
    format        text        NOT NULL CHECK (format IN ('generic', 'amocrm', 'bitrix24')),
    -- the CRM name deals are keyed by (deals.crm)
    crm           text        NOT NULL,
    secret        text        NOT NULL,
    -- amoCRM subdomain / Bitrix24 portal domain the events must come from (optional)
    account       text,
    -- Bitrix24: the inbound webhook base address (https://portal.bitrix24.ru/rest/1/code/)
    rest_url      text,
    currency      text        NOT NULL DEFAULT 'RUB',
    -- a won deal counts as paid in full when the CRM has no payments of its own
    won_is_paid   boolean     NOT NULL DEFAULT true,
    -- the deal field carrying the site's visitor id (amoCRM custom field name, Bitrix24 UF_ code)
    visitor_field text,
    created_at    timestamptz NOT NULL,
    CONSTRAINT crm_integrations_name_unique UNIQUE (tenant_id, name)
);

-- amoCRM sends contacts apart from deals: the newest contact of each deal, applied whichever arrives first.
CREATE TABLE crm_deal_contacts (
    tenant_id   text        NOT NULL,
    crm         text        NOT NULL,
    external_id text        NOT NULL,
    contact     jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, crm, external_id)
);

-- Bitrix24 events carry only the deal id: each is read from the portal's REST API by a background fetcher.
CREATE TABLE crm_fetches (
    integration_id  uuid        NOT NULL REFERENCES crm_integrations (id) ON DELETE CASCADE,
    external_id     text        NOT NULL,
    received_at     timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    PRIMARY KEY (integration_id, external_id)
);
CREATE INDEX crm_fetches_due ON crm_fetches (next_attempt_at);
