package io.throughline.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/**
 * PostgreSQL for the stack: the machine's server when it answers, else real PostgreSQL binaries from the
 * io.zonky.test.postgres artifacts with a data directory that persists between runs.
 */
final class PostgresServer implements AutoCloseable {

    private final StackSettings settings;
    private EmbeddedPostgres embedded;
    private int port;

    PostgresServer(StackSettings settings) {
        this.settings = settings;
        this.port = settings.pgPort();
    }

    /** Returns a description of the server in use. */
    String ensureRunning() throws IOException {
        if (reachable()) {
            return "PostgreSQL at " + settings.pgHost() + ":" + port;
        }
        if ("root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("PostgreSQL does not answer at " + settings.pgHost() + ":" + port
                    + ", and initdb refuses to run as root. Start the system server "
                    + "(pg_ctlcluster --skip-systemctl-redirect 15 main start) or point THROUGHLINE_DB_HOST/PORT at one.");
        }
        var dataDir = settings.dataDir().resolve("postgres");
        Files.createDirectories(dataDir);
        embedded = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
        return "embedded PostgreSQL (zonky binaries) at localhost:" + port + ", data in " + dataDir;
    }

    int port() {
        return port;
    }

    void createDatabases(Collection<String> names, boolean fresh) throws SQLException {
        try (Connection admin = connect("postgres")) {
            for (String name : names) {
                if (!name.matches("[a-z0-9_]+")) {
                    throw new IllegalArgumentException("unsafe database name " + name);
                }
                try (Statement sql = admin.createStatement()) {
                    if (fresh) {
                        sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    }
                    if (!exists(admin, name)) {
                        sql.execute("CREATE DATABASE " + name);
                    }
                }
            }
        }
    }

    private boolean reachable() {
        try (Connection ignored = connect("postgres")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection connect(String database) throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection("jdbc:postgresql://" + settings.pgHost() + ":" + port + "/" + database,
                settings.pgUser(), settings.pgPassword());
    }

    private static boolean exists(Connection admin, String name) throws SQLException {
        try (PreparedStatement query = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
