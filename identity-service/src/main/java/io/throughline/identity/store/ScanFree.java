package io.throughline.identity.store;

import io.throughline.commons.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements kept prepared on the server, so that PostgreSQL may settle on one generic plan for them after five
 * executions instead of planning each anew: those that read no table (inserts of their parameters), and, once the graph
 * has grown ({@link #graphGrown}), the link's key locks and read, its person locks, its check that it changes nothing,
 * and Resolve's reads. Everything else the identity graph sends is an unnamed
 * statement ({@code prepareThreshold=0} on the connection), planned with its values every time: a generic plan made
 * while a table was small (a fresh install, the first minutes of a bulk load) scans it whole, and keeps doing so until
 * the next autovacuum ANALYZE, long after it has grown.
 */
final class ScanFree {

    private ScanFree() {
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepared(c, sql, params)) {
            return statement.executeUpdate();
        }
    }

    /**
     * The identity graph's key locks and read of nodes by their unique (workspace, match key, type) are kept prepared too
     * once the identifiers table has {@value #GROWN_PAGES} pages on disk (about 12,000 identifiers): the planner sizes a
     * table by its pages at planning time, and from that size on a lookup by a unique key costs a small fraction of a scan,
     * so the generic plan PostgreSQL may settle on is an index lookup and stays one however much more the table grows
     * (autovacuum's ANALYZE replaces it as the statistics move). Checked every 5 s until it holds, then never again.
     */
    static boolean graphGrown(Connection c) throws SQLException {
        if (grown) {
            return true;
        }
        long now = System.nanoTime();
        if (checkedAt != 0 && now - checkedAt < java.util.concurrent.TimeUnit.SECONDS.toNanos(5)) {
            return false;
        }
        checkedAt = now;
        grown = Sql.query(c, "SELECT pg_relation_size('identifiers') >= ? * current_setting('block_size')::bigint",
                rs -> rs.getBoolean(1), GROWN_PAGES).stream().anyMatch(Boolean::booleanValue);
        return grown;
    }

    private static final long GROWN_PAGES = 256;
    private static volatile boolean grown;
    private static volatile long checkedAt;

    /**
     * {@link Sql#pipelined} of statements that are planned for their values, or, when {@code generic} (the graph has grown),
     * kept prepared and run with their generic plan: estimated for ten array elements, a generic plan costs more than a
     * custom one for three, so PostgreSQL would keep planning anew unless asked for it ({@code SET LOCAL plan_cache_mode} in
     * the same round trip, set back after them).
     */
    static void pipelined(Connection c, boolean generic, String sql, List<Sql.Row<?>> readers, Object... params) throws SQLException {
        pipelined(c, generic, false, sql, readers, params);
    }

    /**
     * {@link #pipelined(Connection, boolean, String, List, Object...)}, followed, when {@code commit}, by the transaction's
     * COMMIT in the same round trip: for the last statement of a link, which then costs no round trip of its own to commit
     * (the connection's own commit() afterwards finds no transaction open and sends nothing).
     */
    static void pipelined(Connection c, boolean generic, boolean commit, String sql, List<Sql.Row<?>> readers, Object... params)
            throws SQLException {
        String end = commit ? ";\nCOMMIT" : "";
        if (!generic) {
            Sql.pipelined(Sql.prepare(c, sql + end, params), readers);
            return;
        }
        List<Sql.Row<?>> all = new ArrayList<>(readers.size() + 2);
        all.add(null);
        all.addAll(readers);
        // SET LOCAL ends with the transaction: committed here, there is nothing to set back.
        Sql.pipelined(prepared(c, "SET LOCAL plan_cache_mode = force_generic_plan;\n" + sql
                + (commit ? end : ";\nSET LOCAL plan_cache_mode = DEFAULT"), params), all);
    }

    /** A statement that reads no table, its rows to {@code row}, followed by the transaction's COMMIT when {@code commit}. */
    static void write(Connection c, boolean commit, String sql, Sql.Row<?> row, Object... params) throws SQLException {
        Sql.pipelined(prepared(c, commit ? sql + ";\nCOMMIT" : sql, params), List.of(row));
    }

    static PreparedStatement prepared(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement statement = Sql.prepare(c, sql, params);
        if (statement.isWrapperFor(org.postgresql.PGStatement.class)) {
            statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
        }
        return statement;
    }
}
