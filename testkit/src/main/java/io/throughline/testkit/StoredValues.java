package io.throughline.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** What a service really stored, read past its own code (tests of what is at rest: sealed secrets, raw columns). */
public final class StoredValues {

    private StoredValues() {
    }

    /** The first column of the first row the query answers, as text (null when no row). */
    public static String text(DataSource db, String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Runs an update past the service (a row as an older version wrote it); answers the rows changed. */
    public static int update(DataSource db, String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setObject(i + 1, params[i]);
            }
            return q.executeUpdate();
        }
    }
}
