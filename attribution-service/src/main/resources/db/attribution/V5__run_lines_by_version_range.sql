-- Versions of a series share their lines: a line belongs to every version of its series from from_version up to
-- (not including) to_version. An incremental version writes lines only for the deals it recomputed and closes their
-- older lines; everything else is inherited without a copy. Lines written before this migration (each version held
-- a full copy) belong to their own version only, except those of each series' newest finished version, which stay
-- open for the next version to inherit.
ALTER TABLE run_credits ADD COLUMN tenant_id text, ADD COLUMN series text, ADD COLUMN from_version integer, ADD COLUMN to_version integer;
UPDATE run_credits c SET tenant_id = r.tenant_id, series = r.series, from_version = r.version,
       to_version = CASE WHEN r.version = (SELECT max(n.version) FROM attribution_runs n WHERE n.tenant_id = r.tenant_id AND n.series = r.series
                                             AND n.status = 'done') THEN NULL ELSE r.version + 1 END
  FROM attribution_runs r WHERE r.id = c.run_id;
ALTER TABLE run_credits ALTER COLUMN tenant_id SET NOT NULL, ALTER COLUMN series SET NOT NULL, ALTER COLUMN from_version SET NOT NULL;
DROP INDEX run_credits_run_event;
DROP INDEX run_credits_run_deal;
CREATE INDEX run_credits_series ON run_credits (tenant_id, series, from_version, event_at);
CREATE INDEX run_credits_open ON run_credits (tenant_id, series, deal_id) WHERE to_version IS NULL;
CREATE INDEX run_credits_writer ON run_credits (run_id);

ALTER TABLE run_deals ADD COLUMN tenant_id text, ADD COLUMN series text, ADD COLUMN from_version integer, ADD COLUMN to_version integer;
UPDATE run_deals d SET tenant_id = r.tenant_id, series = r.series, from_version = r.version,
       to_version = CASE WHEN r.version = (SELECT max(n.version) FROM attribution_runs n WHERE n.tenant_id = r.tenant_id AND n.series = r.series
                                             AND n.status = 'done') THEN NULL ELSE r.version + 1 END
  FROM attribution_runs r WHERE r.id = d.run_id;
ALTER TABLE run_deals ALTER COLUMN tenant_id SET NOT NULL, ALTER COLUMN series SET NOT NULL, ALTER COLUMN from_version SET NOT NULL;
CREATE INDEX run_deals_series ON run_deals (tenant_id, series, from_version);
CREATE INDEX run_deals_open ON run_deals (tenant_id, series, deal_id) WHERE to_version IS NULL;
