-- CRM deals (the conversions), their stage history and payments. A deal is identified by its CRM and the CRM's id;
-- its fields are the newest snapshot by the CRM's own modification time; stages and payments accumulate, so
-- repeated and out-of-order deliveries converge to the same state.
CREATE TABLE deals (
    id               uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    crm              text        NOT NULL,
    external_id      text        NOT NULL,
    title            text,
    pipeline         text,
    stage            text,
    canonical_stage  text        CHECK (canonical_stage IN ('lead', 'qualified', 'proposal', 'invoice', 'won', 'paid', 'lost')),
    status           text        NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    loss_reason      text,
    currency         text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount_minor     bigint      NOT NULL DEFAULT 0,
    cost_minor       bigint,
    product_line     text,
    manager          text,
    contact          jsonb       NOT NULL DEFAULT '{}',
    crm_created_at   timestamptz,
    crm_updated_at   timestamptz NOT NULL,
    received_at      timestamptz NOT NULL,
    -- the contact's identifiers linked in identity-service (the row is its own outbox)
    identity_linked  boolean     NOT NULL DEFAULT false,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text,
    CONSTRAINT deals_external_unique UNIQUE (tenant_id, crm, external_id)
);
CREATE INDEX deals_tenant_page ON deals (tenant_id, crm_updated_at DESC, id);
CREATE INDEX deals_identity_due ON deals (next_attempt_at) WHERE NOT identity_linked;

CREATE TABLE deal_stages (
    deal_id          uuid        NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    stage            text        NOT NULL,
    canonical_stage  text,
    entered_at       timestamptz NOT NULL,
    PRIMARY KEY (deal_id, entered_at, stage)
);

-- Payments and refunds (negative amounts), by the CRM's payment id.
CREATE TABLE deal_payments (
    deal_id          uuid        NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    external_id      text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('payment', 'refund')),
    amount_minor     bigint      NOT NULL,
    paid_at          timestamptz NOT NULL,
    -- reported to identity-service (payers become returning customers)
    reported         boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (deal_id, external_id)
);
CREATE INDEX deal_payments_paid ON deal_payments (paid_at);
