package io.throughline.devstack;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code ./throughline up [--demo]}: starts the platform, prints where everything is, stops it on Ctrl-C. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        if (arguments.isEmpty() || !"up".equals(arguments.get(0)) || arguments.contains("--help")) {
            System.out.println("""
                    usage: ./throughline up [--demo]

                      up       start PostgreSQL (system or embedded), Keycloak, the MongoDB-wire store and
                               all six services; Ctrl-C stops everything; data is kept in .throughline/
                      --demo   also load the demo data set: an online school (acme) and a printing house (globex),
                               12 months of spend, visits, calls, deals and payments through the public APIs;
                               THROUGHLINE_DEMO_SCALE=N makes it N times larger, THROUGHLINE_DEMO_SEED another one

                    Ports and URIs: THROUGHLINE_PORT_GATEWAY, THROUGHLINE_PORT_KEYCLOAK, THROUGHLINE_DB_HOST, ...
                    (see README.md).""");
            return;
        }
        PrintStream out = System.out;
        StackSettings settings = StackSettings.fromEnvironment();
        Stack stack = new Stack(settings, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("Stopping Throughline ...");
            stack.close();
            out.println("Stopped. Data is kept in " + settings.dataDir());
            stopped.countDown();
        }, "throughline-stop"));

        out.println("Starting Throughline (data in " + settings.dataDir() + ", logs in " + settings.dataDir().resolve("logs") + ")");
        try {
            stack.start();
        } catch (Exception e) {
            out.println();
            out.println("Throughline did not start: " + e.getMessage());
            System.exit(1);
        }
        if (arguments.contains("--demo")) {
            new DemoData(settings, out).load();
        }
        printWhereEverythingIs(settings, out);
        stopped.await();
    }

    private static void printWhereEverythingIs(StackSettings s, PrintStream out) {
        out.println();
        out.println("Throughline is up.");
        out.println("  API gateway        " + s.gatewayUrl() + "   (Swagger UI: " + s.gatewayUrl() + "/q/swagger-ui)");
        out.println("  Snippet            " + s.gatewayUrl() + "/t.js   (collector listener :" + s.collectorPort() + ")");
        out.println("  Keycloak           " + s.keycloakUrl() + "   (admin console: admin / admin)");
        s.httpPorts().forEach((name, port) -> {
            if (!"gateway".equals(name)) {
                out.println("  " + String.format("%-21s", name + "-service") + "http://localhost:" + port
                        + "   gRPC :" + s.grpcPorts().get(name));
            }
        });
        out.println("  MongoDB-wire store " + s.effectiveMongoUri());
        out.println();
        out.println("Demo logins (realm 'throughline', password 'throughline', client 'throughline-cli'):");
        out.println("  acme-admin, acme-analyst       workspace acme");
        out.println("  globex-admin, globex-analyst   workspace globex");
        out.println("  ad platform: client ad-platform-acme / dev-ad-platform-acme-secret (role audience-reader)");
        out.println("  get a token: curl -d 'grant_type=password&client_id=throughline-cli&username=acme-analyst&password=throughline' \\");
        out.println("               " + s.realmUrl() + "/protocol/openid-connect/token");
        out.println();
        out.println("Press Ctrl-C to stop.");
    }
}
