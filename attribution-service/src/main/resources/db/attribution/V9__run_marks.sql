-- Persons whose touches or identity changed after a version read them (a session stored late, a call matched late,
-- a lead linked, a merge or split): the next incremental version recomputes them although their deals did not change.
-- A mark is kept until it is older than every series' newest version (pruned after a week); marked_at is when this
-- service learnt of the change, never earlier than the change itself.
CREATE TABLE run_marks (
    tenant_id text        NOT NULL,
    person_id text        NOT NULL,
    marked_at timestamptz NOT NULL,
    reason    text        NOT NULL,
    PRIMARY KEY (tenant_id, person_id)
);
CREATE INDEX run_marks_recent ON run_marks (tenant_id, marked_at);

-- Positions in the sources' change feeds (tracking sessions and leads, calltracking calls, identity person changes).
CREATE TABLE run_mark_cursors (
    feed     text PRIMARY KEY,
    position text NOT NULL
);
