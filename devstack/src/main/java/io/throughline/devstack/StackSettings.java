package io.throughline.devstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where everything of the local stack runs. Every value can be set with a system property
 * ({@code -Dthroughline.port.gateway=9080}) or an environment variable ({@code THROUGHLINE_PORT_GATEWAY=9080}).
 */
public record StackSettings(Path root, Path dataDir, String pgHost, int pgPort, String pgUser, String pgPassword,
        String dbPrefix, boolean freshDatabases, int keycloakPort, int keycloakManagementPort, int mongoPort,
        String mongoUri, Map<String, Integer> httpPorts, Map<String, Integer> grpcPorts, int collectorPort) {

    public static final String KEYCLOAK_VERSION = "26.4.5";
    /** The services in start order; the gateway last. */
    public static final List<String> SERVICES = List.of("tracking", "calltracking", "identity", "attribution", "reporting");
    public static final List<String> PG_SERVICES = List.of("calltracking", "identity", "attribution", "reporting");

    public static StackSettings fromEnvironment() {
        Path root = Path.of(value("throughline.root", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        Path data = Path.of(value("throughline.data-dir", root.resolve(".throughline").toString())).toAbsolutePath();
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> grpc = new LinkedHashMap<>();
        http.put("gateway", intValue("throughline.port.gateway", 8080));
        int offset = 1;
        for (String service : SERVICES) {
            http.put(service, intValue("throughline.port." + service, 8080 + offset));
            grpc.put(service, intValue("throughline.grpc-port." + service, 9080 + offset));
            offset++;
        }
        int mongoPort = intValue("throughline.port.mongodb", 27018);
        return new StackSettings(root, data, value("throughline.db.host", "localhost"), intValue("throughline.db.port", 5432),
                value("throughline.db.user", "postgres"), value("throughline.db.password", ""),
                value("throughline.db.prefix", "throughline_"), false,
                intValue("throughline.port.keycloak", 8180), intValue("throughline.port.keycloak-management", 9180),
                mongoPort, value("throughline.mongodb.uri", ""), http, grpc, intValue("throughline.port.collector", 8091));
    }

    /** The same settings with other ports, data directory and database names (the end-to-end suite's). */
    public StackSettings isolated(Path dataDir, String dbPrefix, Map<String, Integer> http, Map<String, Integer> grpc,
            int keycloak, int keycloakManagement, int mongo, int collector) {
        return new StackSettings(root, dataDir, pgHost, pgPort, pgUser, pgPassword, dbPrefix, true, keycloak,
                keycloakManagement, mongo, "", http, grpc, collector);
    }

    public String database(String service) {
        return dbPrefix + service;
    }

    public String keycloakUrl() {
        return "http://localhost:" + keycloakPort;
    }

    public String realmUrl() {
        return keycloakUrl() + "/realms/throughline";
    }

    public String gatewayUrl() {
        return "http://localhost:" + httpPorts.get("gateway");
    }

    public String effectiveMongoUri() {
        return mongoUri.isBlank() ? "mongodb://localhost:" + mongoPort : mongoUri;
    }

    public boolean embeddedMongo() {
        return mongoUri.isBlank();
    }

    public Path quarkusApp(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static String value(String property, String fallback) {
        String fromProperty = System.getProperty(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        String fromEnv = System.getenv(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback;
    }

    static int intValue(String property, int fallback) {
        return Integer.parseInt(value(property, Integer.toString(fallback)));
    }
}
