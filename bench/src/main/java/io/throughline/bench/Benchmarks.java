package io.throughline.bench;

/**
 * Runs every benchmark and prints one line each with the ratio to its same-run baseline.
 * {@code ./mvnw -q -pl bench -am -DskipTests install && ./mvnw -q -pl bench exec:java}; {@code -Dbench.only=collect}
 * (or gateway, dni, attribution, runs, reports, audiences, identity, comma-separated) runs a subset;
 * {@code soak} (10 minutes under load) runs only when named.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        long ops = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int identityEvents = Integer.getInteger("bench.identity.events", 1_000_000);
        System.out.println("Throughline benchmarks (" + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ")");
        String only = System.getProperty("bench.only", "");
        if (only.isEmpty() || only.contains("gateway")) {
            System.out.println(GatewayAdmissionBenchmark.run(ops, 5, 9).line());
        }
        if (only.isEmpty() || only.contains("collect")) {
            CollectBenchmark.run();
        }
        if (only.isEmpty() || only.contains("dni")) {
            LeaseBenchmark.run(Integer.getInteger("bench.dni.cycles", 8000));
            DniHttpBenchmark.run();
        }
        if (only.isEmpty() || only.contains("attribution")) {
            AttributionModelsBenchmark.run(Integer.getInteger("bench.attribution.journeys", 1_000_000));
        }
        if (only.isEmpty() || only.contains("runs")) {
            AttributionRunsBenchmark.run(Integer.getInteger("bench.runs.deals", 3000));
        }
        if (only.isEmpty() || only.contains("reports")) {
            ReportsBenchmark.run(Integer.getInteger("bench.reports.keywords", 3000));
        }
        if (only.isEmpty() || only.contains("audiences")) {
            AudienceExportBenchmark.run(Integer.getInteger("bench.audiences.members", 1_000_000));
        }
        if ((only.isEmpty() || only.contains("identity")) && identityEvents > 0) {
            IdentityLinkBenchmark.run(identityEvents);
        }
        if (only.contains("soak")) {
            // Not in the default set: it takes bench.soak.minutes (10) plus the platform's start.
            SoakBenchmark.run(Double.parseDouble(System.getProperty("bench.soak.minutes", "10")));
        }
    }
}
