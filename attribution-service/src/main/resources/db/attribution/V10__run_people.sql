-- Who a running version recomputes, kept in PostgreSQL instead of the service's heap so that a run over 10^6 deals
-- needs no more memory than one over 10^3: one row per deal with the person identity-service resolved its contact to
-- and the identifiers to read that person's touches by. Written while the run resolves, read back person by person,
-- deleted when the run finishes or fails. Unlogged: a run interrupted by a crash is failed and redone anyway.
CREATE UNLOGGED TABLE run_people (
    run_id     uuid   NOT NULL,
    deal_id    uuid   NOT NULL,
    person_key text   NOT NULL,
    visitors   text[] NOT NULL,
    phones     text[] NOT NULL,
    PRIMARY KEY (run_id, deal_id)
);
CREATE INDEX run_people_person ON run_people (run_id, person_key);

-- The persons (as keys of the base version and of this one) whose every deal an incremental version recomputes.
CREATE UNLOGGED TABLE run_affected (
    run_id     uuid NOT NULL,
    person_key text NOT NULL,
    PRIMARY KEY (run_id, person_key)
);

-- The deals an incremental version takes in one step (changed since the base, or reached through an affected
-- person), selected in one statement and then read a page at a time.
CREATE UNLOGGED TABLE run_candidates (
    run_id          uuid NOT NULL,
    deal_id         uuid NOT NULL,
    base_person_key text,
    PRIMARY KEY (run_id, deal_id)
);
