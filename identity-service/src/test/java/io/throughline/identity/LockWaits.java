package io.throughline.identity;

import io.throughline.commons.sql.Sql;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** For race tests: waits until a session of this database waits for a lock (a row or advisory lock held by the test). */
public final class LockWaits {

    private LockWaits() {
    }

    /** Whether a session came to wait for a lock within 10 s. */
    public static boolean someoneWaits(DataSource dataSource) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Sql.statements(dataSource, c -> Sql.query(c, """
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'""",
                    rs -> rs.getLong(1)).get(0)) > 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
