package io.throughline.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The whole platform on one machine: PostgreSQL, Keycloak, the MongoDB-wire store and the six services as
 * separate processes. Used by {@code ./throughline up} and by the end-to-end suite.
 */
public final class Stack implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration KEYCLOAK_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(180);

    private final StackSettings settings;
    private final Progress progress;
    private final PostgresServer postgres;
    private final Deque<ManagedProcess> processes = new ArrayDeque<>();
    /** The running process of each component by name (mongodb, keycloak, the services, gateway), for crash tests. */
    private final Map<String, ManagedProcess> components = new java.util.concurrent.ConcurrentHashMap<>();

    public Stack(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.progress = new Progress(out);
        this.postgres = new PostgresServer(settings);
    }

    public StackSettings settings() {
        return settings;
    }

    public void start() throws Exception {
        Files.createDirectories(settings.dataDir());
        checkBuilt();
        progress.done("postgresql", postgres.ensureRunning());
        List<String> databases = StackSettings.PG_SERVICES.stream().map(settings::database).toList();
        postgres.createDatabases(databases, settings.freshDatabases());
        progress.done("databases", String.join(", ", databases));

        ManagedProcess keycloak = track("keycloak", KeycloakServer.start(settings));
        ManagedProcess mongo = null;
        if (settings.embeddedMongo()) {
            mongo = track("mongodb", startMongoWire());
            final ManagedProcess store = mongo;
            progress.await("mongodb-wire store", Duration.ofSeconds(60), () -> portOpen(settings.mongoPort()), store);
        }
        progress.await("keycloak", KEYCLOAK_TIMEOUT,
                () -> ok(settings.realmUrl() + "/.well-known/openid-configuration"), keycloak);

        Map<String, ManagedProcess> services = new LinkedHashMap<>();
        for (String service : StackSettings.SERVICES) {
            services.put(service, track(service, startService(service + "-service", service, serviceProperties(service))));
        }
        services.put("gateway", track("gateway", startService("gateway", "gateway", gatewayProperties())));
        awaitAll(services);
    }

    private void awaitAll(Map<String, ManagedProcess> services) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(services.size());
        try {
            List<Future<?>> waits = new ArrayList<>();
            for (Map.Entry<String, ManagedProcess> e : services.entrySet()) {
                String url = "http://localhost:" + settings.httpPorts().get(e.getKey()) + "/q/health/ready";
                Callable<Void> wait = () -> {
                    long start = System.nanoTime();
                    while (!ok(url)) {
                        if (!e.getValue().alive()) {
                            throw new IllegalStateException(e.getKey() + " exited during start; see " + e.getValue().log());
                        }
                        if (System.nanoTime() - start > SERVICE_TIMEOUT.toNanos()) {
                            throw new IllegalStateException(e.getKey() + " not ready after " + SERVICE_TIMEOUT.toSeconds()
                                    + " s; see " + e.getValue().log());
                        }
                        Thread.sleep(300);
                    }
                    progress.done(e.getKey(), "ready in " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                            + " s on :" + settings.httpPorts().get(e.getKey()));
                    return null;
                };
                waits.add(pool.submit(wait));
            }
            progress.step("waiting for " + services.size() + " services to report ready ...");
            for (Future<?> wait : waits) {
                try {
                    wait.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private ManagedProcess startMongoWire() throws IOException {
        Path file = settings.dataDir().resolve("mongodb/throughline.mv");
        List<String> command = List.of(javaBinary(), "-Xmx512m", "-cp", absoluteClassPath(),
                MongoWireServer.class.getName(), Integer.toString(settings.mongoPort()), file.toString());
        return ManagedProcess.start(command, Map.of(), settings.dataDir(), settings.dataDir().resolve("logs/mongodb.log"));
    }

    private Map<String, String> serviceProperties(String service) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.port", settings.httpPorts().get(service).toString());
        props.put("quarkus.grpc.server.port", settings.grpcPorts().get(service).toString());
        props.put("throughline.oidc.url", settings.realmUrl());
        props.put("throughline.public-base-url", settings.gatewayUrl());
        if (StackSettings.PG_SERVICES.contains(service)) {
            props.put("throughline.db.host", settings.pgHost());
            props.put("throughline.db.port", Integer.toString(postgres.port()));
            props.put("throughline.db.name", settings.database(service));
            props.put("throughline.db.user", settings.pgUser());
        }
        if ("tracking".equals(service)) {
            props.put("throughline.mongodb.uri", settings.effectiveMongoUri());
            props.put("throughline.tracking.spool.directory", settings.dataDir().resolve("tracking-spool").toString());
            props.put("throughline.tracking.collector.port", Integer.toString(settings.collectorPort()));
            // On one machine the erasure feed is cheap to poll; erased visitors disappear within seconds.
            props.put("throughline.tracking.erasure-interval", "5s");
        }
        if ("reporting".equals(service)) {
            // One machine: the feeds are read often; the Central Bank is not asked unless the operator says so (it may be offline).
            props.put("throughline.reporting.sync-interval", StackSettings.value("throughline.reporting.sync-interval", "5s"));
            props.put("throughline.reporting.traffic-interval", StackSettings.value("throughline.reporting.traffic-interval", "1m"));
            props.put("throughline.reporting.cbr.daily", StackSettings.value("throughline.reporting.cbr.daily", "false"));
        }
        // Every service may call the ones it depends on; the ports are the stack's.
        settings.grpcPorts().forEach((other, port) -> props.put("throughline.grpc-port." + other, port.toString()));
        overrides(props, service);
        return props;
    }

    private Map<String, String> gatewayProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.http.port", settings.httpPorts().get("gateway").toString());
        props.put("throughline.oidc.url", settings.realmUrl());
        props.put("throughline.gateway.cors.origins", settings.gatewayUrl());
        for (String service : StackSettings.SERVICES) {
            props.put("throughline.url." + service, "http://localhost:" + settings.httpPorts().get(service));
        }
        props.put("throughline.url.collector", "http://localhost:" + settings.collectorPort());
        overrides(props, "gateway");
        return props;
    }

    /** Overrides for one process, e.g. -Dthroughline.stack.calltracking.throughline.calltracking.dni.ip-per-second=100000 (benchmarks). */
    private static void overrides(Map<String, String> props, String name) {
        String prefix = "throughline.stack." + name + ".";
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> props.put(k.substring(prefix.length()), System.getProperty(k)));
    }

    private ManagedProcess startService(String module, String name, Map<String, String> props) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dquarkus.log.console.json=false", "-Dquarkus.banner.enabled=false"));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(settings.quarkusApp(module).toString());
        Map<String, String> env = new HashMap<>();
        // Secrets travel in the environment, never on a command line that `ps` shows.
        env.put("THROUGHLINE_SERVICE_CLIENT_SECRET", StackSettings.value("throughline.secret." + name, "dev-" + name + "-service-secret"));
        if ("identity".equals(name)) {
            env.put("THROUGHLINE_IDENTITY_MASTER_KEY", identityMasterKey());
        }
        if ("reporting".equals(name)) {
            env.put("THROUGHLINE_REPORTING_SECRET_KEYS", stackSecret("throughline.reporting.secret-keys", "reporting-secret-keys",
                    () -> "stack1:" + randomKey()));
        }
        if ("tracking".equals(name)) {
            env.put("THROUGHLINE_TRACKING_SECRET_KEYS", stackSecret("throughline.tracking.secret-keys", "tracking-secret-keys",
                    () -> "stack1:" + randomKey()));
        }
        if ("calltracking".equals(name)) {
            env.put("THROUGHLINE_CALLTRACKING_SECRET_KEYS", stackSecret("throughline.calltracking.secret-keys", "calltracking-secret-keys",
                    () -> "stack1:" + randomKey()));
        }
        if ("attribution".equals(name)) {
            env.put("THROUGHLINE_ATTRIBUTION_SECRET_KEYS", stackSecret("throughline.attribution.secret-keys", "attribution-secret-keys",
                    () -> "stack1:" + randomKey()));
        }
        if (!settings.pgPassword().isBlank()) {
            env.put("THROUGHLINE_DB_PASSWORD", settings.pgPassword());
        }
        return ManagedProcess.start(command, env, settings.root(), settings.dataDir().resolve("logs/" + name + ".log"));
    }

    /**
     * The identity master key of this stack: drawn once and kept in the data directory (owner-only), so match
     * keys stay valid across restarts. A real deployment takes it from a secret store instead.
     */
    private String identityMasterKey() throws IOException {
        return stackSecret("throughline.identity.master-key", "identity-master-key", Stack::randomKey);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** A secret of this stack: configured, or drawn once and kept owner-only in the data directory. */
    private String stackSecret(String property, String fileName, java.util.function.Supplier<String> draw) throws IOException {
        String configured = StackSettings.value(property, "");
        if (!configured.isBlank()) {
            return configured;
        }
        Path file = settings.dataDir().resolve("secrets/" + fileName);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, draw.get());
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        return Files.readString(file).trim();
    }

    private void checkBuilt() {
        List<String> missing = new ArrayList<>();
        for (String module : List.of("tracking-service", "calltracking-service", "identity-service", "attribution-service",
                "reporting-service", "gateway")) {
            if (!Files.exists(settings.quarkusApp(module))) {
                missing.add(module);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Not built: " + missing + ". Run ./mvnw -DskipTests install first.");
        }
    }

    private ManagedProcess track(String name, ManagedProcess process) {
        processes.push(process);
        components.put(name, process);
        return process;
    }

    /**
     * Crashes one component (for fault tests): {@code postgresql}, {@code mongodb}, {@code keycloak}, a service's name or
     * {@code gateway}; processes get SIGKILL, no shutdown hooks run.
     */
    public void kill(String component) throws Exception {
        if ("postgresql".equals(component)) {
            postgres.crash();
            return;
        }
        ManagedProcess process = components.get(component);
        if (process == null) {
            throw new IllegalArgumentException("no component " + component + " in this stack");
        }
        process.kill();
    }

    /** Starts a crashed component again with its settings and data, and waits until it is ready again. */
    public void restart(String component) throws Exception {
        switch (component) {
            case "postgresql" -> postgres.recover();
            case "mongodb" -> {
                ManagedProcess store = track(component, startMongoWire());
                progress.await("mongodb-wire store", Duration.ofSeconds(60), () -> portOpen(settings.mongoPort()), store);
            }
            case "keycloak" -> {
                ManagedProcess keycloak = track(component, KeycloakServer.start(settings));
                progress.await("keycloak", KEYCLOAK_TIMEOUT, () -> ok(settings.realmUrl() + "/.well-known/openid-configuration"), keycloak);
            }
            case "gateway" -> awaitAll(Map.of(component, track(component, startService("gateway", "gateway", gatewayProperties()))));
            default -> {
                if (!StackSettings.SERVICES.contains(component)) {
                    throw new IllegalArgumentException("no component " + component + " in this stack");
                }
                awaitAll(Map.of(component, track(component, startService(component + "-service", component, serviceProperties(component)))));
            }
        }
    }

    static boolean ok(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** This JVM's class path with every entry absolute, so a child started elsewhere finds the same classes. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Stops everything this stack started, newest first. */
    @Override
    public void close() {
        while (!processes.isEmpty()) {
            processes.pop().close();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
