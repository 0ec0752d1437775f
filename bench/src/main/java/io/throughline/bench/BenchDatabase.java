package io.throughline.bench;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A fresh PostgreSQL database for one benchmark (PGHOST / PGPORT / PGUSER, default localhost:5432, postgres),
 * dropped and recreated, migrated with a service's own migrations, behind a connection pool.
 */
final class BenchDatabase {

    private BenchDatabase() {
    }

    static AgroalDataSource fresh(String database, String migrations, String urlOptions, int connections) throws SQLException {
        String host = env("PGHOST", "localhost") + ":" + env("PGPORT", "5432");
        String user = env("PGUSER", "postgres");
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + host + "/postgres", user, "");
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + database);
        }
        String url = "jdbc:postgresql://" + host + "/" + database;
        if (migrations != null) {
            Flyway.configure().dataSource(url, user, "").locations(migrations).load().migrate();
        }
        return AgroalDataSource.from(new AgroalPropertiesReader().readProperties(Map.of("jdbcUrl", url + urlOptions, "principal", user,
                "credential", "", "maxSize", String.valueOf(connections), "minSize", String.valueOf(connections / 2),
                "initialSize", String.valueOf(connections / 2))).get());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
