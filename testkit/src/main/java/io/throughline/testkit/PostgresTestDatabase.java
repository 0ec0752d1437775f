package io.throughline.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A fresh database on the real PostgreSQL server for one module's tests (no Docker here: the server is
 * the machine's, started by .ci/run). Host, port and user come from PGHOST / PGPORT / PGUSER.
 */
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    private String database = "throughline_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        String host = env("PGHOST", "localhost");
        String port = env("PGPORT", "5432");
        String user = env("PGUSER", "postgres");
        String password = env("PGPASSWORD", "");
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + host + ":" + port
                    + " (start it: pg_ctlcluster --skip-systemctl-redirect 15 main start)", e);
        }
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + database,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + ":" + port + "/" + database,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
        // The database is kept for inspection after a failed run and dropped at the next start.
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
