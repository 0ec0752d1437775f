-- How each CRM's stage names map onto the canonical funnel; deals, payments and runs arrive with issue #6.
CREATE TABLE stage_mappings (
    tenant_id       text        NOT NULL,
    crm             text        NOT NULL,
    stage_key       text        NOT NULL,
    stage_name      text        NOT NULL,
    canonical_stage text        NOT NULL CHECK (canonical_stage IN ('lead', 'qualified', 'proposal', 'invoice', 'won', 'paid', 'lost')),
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, crm, stage_key)
);
