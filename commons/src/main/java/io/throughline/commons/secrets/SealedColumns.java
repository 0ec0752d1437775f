package io.throughline.commons.secrets;

import io.throughline.commons.sql.Sql;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Sealing again a table's secret column: values stored plain before sealing, or sealed under a retired key. */
public final class SealedColumns {

    private SealedColumns() {
    }

    /**
     * Seals again, row by row, every value of {@code table.column} (rows keyed by a uuid {@code id} and a {@code tenant_id})
     * that is plain or under another key than the current one. Each row is replaced only if unchanged meanwhile, so
     * instances may run it at once. Table and column are the caller's constants, never input. Answers how many.
     */
    public static int reseal(DataSource db, SecretBox box, String table, String column) {
        List<Object[]> rows = Sql.transaction(db, c -> Sql.query(c, "SELECT id, tenant_id, " + column + " FROM " + table,
                rs -> new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)}));
        int done = 0;
        for (Object[] row : rows) {
            String stored = (String) row[2];
            if (box.needsResealingText(stored)) {
                String sealed = box.sealText((String) row[1], box.openText((String) row[1], stored));
                done += Sql.transaction(db, c -> Sql.update(c, "UPDATE " + table + " SET " + column + " = ? WHERE id = ? AND " + column + " = ?",
                        sealed, row[0], stored));
            }
        }
        return done;
    }
}
