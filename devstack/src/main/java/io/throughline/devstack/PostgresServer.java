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

    /**
     * Crashes the server as a power cut would: the embedded one's postmaster and its children are killed (SIGKILL); a system
     * cluster is stopped in immediate mode (no checkpoint, crash recovery at the next start; pg_ctlcluster, as root).
     */
    void crash() throws IOException, InterruptedException {
        if (embedded != null) {
            java.nio.file.Path pid = settings.dataDir().resolve("postgres/postmaster.pid");
            long postmaster = Long.parseLong(Files.readAllLines(pid).getFirst().strip());
            ProcessHandle.of(postmaster).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            return;
        }
        cluster("stop", "-m", "immediate");
    }

    /** Starts the crashed server again (crash recovery replays its write-ahead log) and waits until it answers. */
    void recover() throws IOException, InterruptedException {
        if (embedded != null) {
            java.nio.file.Files.deleteIfExists(settings.dataDir().resolve("postgres/postmaster.pid"));
            embedded = EmbeddedPostgres.builder().setDataDirectory(settings.dataDir().resolve("postgres")).setCleanDataDirectory(false)
                    .setPort(port).start();
        } else {
            cluster("start");
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!reachable()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not come back within 60 s");
            }
            Thread.sleep(200);
        }
    }

    /** pg_ctlcluster on the system cluster that listens on this stack's port. */
    private void cluster(String... action) throws IOException, InterruptedException {
        Process list = new ProcessBuilder("pg_lsclusters", "--no-header").redirectErrorStream(true).start();
        String[] found = null;
        for (String line : new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[2].equals(Integer.toString(port))) {
                found = f;
            }
        }
        list.waitFor();
        if (found == null) {
            throw new IllegalStateException("no system PostgreSQL cluster listens on port " + port);
        }
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("pg_ctlcluster", "--skip-systemctl-redirect", found[0], found[1]));
        command.addAll(java.util.List.of(action));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0 && !output.contains("not running")) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
