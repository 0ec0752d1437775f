package io.throughline.commons.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Small JDBC helpers for the services that write with plain JDBC: transactions retried on deadlock and
 * serialization failure, typed parameters (times, text / uuid / bigint arrays), queries mapped row by row.
 */
public final class Sql {

    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final int ATTEMPTS = 8;

    private Sql() {
    }

    /** A store failure that is not the caller's fault; its cause is the SQLException (SQLState tells what). */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Whether a failure is the database being unreachable or going away (SQLState class 08, 57P01-57P03, or no connection
     * to be had from the pool) rather than a fault of the statement: the work may be tried again later.
     */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || String.valueOf(sql.getMessage()).contains("Acquisition timeout")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    public static <T> T transaction(DataSource dataSource, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                // Concurrent links on one component may deadlock or conflict; PostgreSQL aborts one, which retries.
                if (!"40P01".equals(e.getSQLState()) && !"40001".equals(e.getSQLState())) {
                    throw new StoreException("the store failed: " + e.getMessage(), e);
                }
                last = e;
                try {
                    Thread.sleep(attempt * 3L);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new StoreException("the store kept conflicting", last);
    }

    /**
     * Work whose statements are each atomic on their own (autocommit): no BEGIN / COMMIT round trips, for hot paths
     * written as single statements (data-modifying CTEs).
     */
    public static <T> T statements(DataSource dataSource, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("the store failed: " + e.getMessage(), e);
        }
    }

    public static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (p instanceof String[] texts) {
                statement.setArray(i + 1, c.createArrayOf("text", texts));
            } else if (p instanceof UUID[] uuids) {
                statement.setArray(i + 1, c.createArrayOf("uuid", uuids));
            } else if (p instanceof Long[] longs) {
                statement.setArray(i + 1, c.createArrayOf("bigint", longs));
            } else if (p instanceof byte[][] bytes) {
                statement.setArray(i + 1, c.createArrayOf("bytea", bytes));
            } else {
                statement.setObject(i + 1, p);
            }
        }
        return statement;
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, params)) {
            return statement.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(c, sql, params); ResultSet rs = statement.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    /**
     * Several statements (separated by {@code ;}, their parameters numbered across all of them) sent in one round trip.
     * PostgreSQL still runs them one after the other, each with a snapshot of its own taken when it starts, so a read
     * placed after a lock sees what was committed while the lock was waited for. The rows of the i-th statement go to
     * {@code readers[i]} (null: not read); an error in one skips the ones after it.
     */
    public static void pipelined(Connection c, String sql, List<Row<?>> readers, Object... params) throws SQLException {
        pipelined(prepare(c, sql, params), readers);
    }

    /** {@link #pipelined(Connection, String, List, Object...)} of a statement already prepared with its parameters; closes it. */
    public static void pipelined(PreparedStatement prepared, List<Row<?>> readers) throws SQLException {
        try (PreparedStatement statement = prepared) {
            boolean rows = statement.execute();
            for (int i = 0; ; i++) {
                if (rows) {
                    Row<?> reader = i < readers.size() ? readers.get(i) : null;
                    try (ResultSet rs = statement.getResultSet()) {
                        while (reader != null && rs.next()) {
                            reader.map(rs);
                        }
                    }
                } else if (statement.getUpdateCount() == -1) {
                    return;
                }
                rows = statement.getMoreResults();
            }
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
