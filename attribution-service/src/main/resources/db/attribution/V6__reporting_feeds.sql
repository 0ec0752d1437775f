-- What reporting-service reads. A journey knows its deal's first payment and whether that payment was the person's
-- first ever (a new customer); credit totals per version are read as changes (lines a version added, lines it
-- closed), so closed lines are indexed by the version that closed them. Deals keep the person identity-service
-- linked their contact to, and are read in the order they changed for reporting (feed_at: any change, the link
-- included; changed_at stays what makes attribution recompute a journey).
ALTER TABLE run_deals ADD COLUMN first_payment_id text, ADD COLUMN new_customer boolean NOT NULL DEFAULT false;
CREATE INDEX run_credits_closed ON run_credits (tenant_id, series, to_version) WHERE to_version IS NOT NULL;
CREATE INDEX run_deals_closed ON run_deals (tenant_id, series, to_version) WHERE to_version IS NOT NULL;
ALTER TABLE deals ADD COLUMN person_id text, ADD COLUMN verdict text, ADD COLUMN feed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX deals_feed ON deals (feed_at, id);

-- Journeys written before: their deal's first payment, and the earliest of each person's first payments in the
-- journeys of the series' open rows (the rows later versions inherit).
UPDATE run_deals d SET first_payment_id = (SELECT p.external_id FROM deal_payments p WHERE p.deal_id = d.deal_id AND p.amount_minor > 0
                                           ORDER BY p.paid_at, p.external_id LIMIT 1);
UPDATE run_deals d SET new_customer = true
  FROM (SELECT DISTINCT ON (r.tenant_id, r.series, r.person_key) r.run_id, r.deal_id
          FROM run_deals r JOIN deal_payments p ON p.deal_id = r.deal_id AND p.external_id = r.first_payment_id
         WHERE r.to_version IS NULL
         ORDER BY r.tenant_id, r.series, r.person_key, p.paid_at, r.deal_id) f
 WHERE d.run_id = f.run_id AND d.deal_id = f.deal_id;
-- Contacts are linked again once, so that every deal learns its person.
UPDATE deals SET identity_linked = false, next_attempt_at = now() WHERE contact <> '{}';
