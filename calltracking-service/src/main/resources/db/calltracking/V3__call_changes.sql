-- Reporting reads calls as they change (received, completed, matched, judged, called back, linked): changed_at is
-- stamped by every such write (updated_at stays the event version the processor's optimistic save checks). The person
-- identity-service linked the caller to is kept for lead counts (no phone number leaves this service).
ALTER TABLE calls ADD COLUMN changed_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN person_id text, ADD COLUMN verdict text;
CREATE INDEX calls_changed ON calls (changed_at, id);
