package io.throughline.e2e;

import static io.throughline.e2e.Manifests.allowedByPort;
import static io.throughline.e2e.Manifests.byName;
import static io.throughline.e2e.Manifests.config;
import static io.throughline.e2e.Manifests.container;
import static io.throughline.e2e.Manifests.name;
import static io.throughline.e2e.Manifests.names;
import static io.throughline.e2e.Manifests.parse;
import static io.throughline.e2e.Manifests.podTemplate;
import static io.throughline.e2e.Manifests.secretRef;
import static io.throughline.e2e.Manifests.workloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart lints and renders, with its bundled stores (the defaults) and with external ones
 * (values-external.yaml), what a cluster needs: every workload with probes, resources, the restricted security
 * context and labels; a PodDisruptionBudget and an autoscaler per service; tracking as a StatefulSet with its spool on
 * a claim; NetworkPolicies that let through exactly the call graph of the architecture; settings in ConfigMaps named
 * after the properties they feed. Every manifest is parsed into the Kubernetes model (fabric8). Unknown keys and wrong
 * types are refused by the values schema. k8s/ (a kustomize base and dev / prod overlays) is the chart's rendering and
 * passes the same checks.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("throughline.root", "..")).toAbsolutePath().normalize();
    private static final Path CHART = ROOT.resolve("helm/throughline");
    private static final Path EXTERNAL = CHART.resolve("values-external.yaml");
    private static final Path BASE = ROOT.resolve("k8s/base/throughline.yaml");
    private static final Path DEV_STORES = ROOT.resolve("k8s/overlays/dev/stores.yaml");
    private static final String HEADER = "# Rendered from helm/throughline (release and namespace 'throughline'%s).\n"
            + "# Regenerate: ./mvnw -pl e2e test -Dtest=DeploymentManifestsTest -Dthroughline.updateManifests=true\n";
    private static final List<String> SERVICES = List.of("gateway", "tracking", "calltracking", "identity", "attribution",
            "reporting");
    private static final Set<String> STORES = Set.of("postgresql", "mongodb", "keycloak");
    private static final Set<String> POSTGRES_SERVICES = Set.of("calltracking", "identity", "attribution", "reporting");
    /** Who calls whose gRPC port: docs/architecture ("who calls whom") and the README's module graph. */
    private static final Map<String, Set<String>> GRPC_CALLERS = Map.of(
            "tracking", Set.of("tracking", "calltracking", "attribution", "reporting"),
            "calltracking", Set.of("calltracking", "attribution", "reporting"),
            "identity", Set.of("identity", "tracking", "calltracking", "attribution"),
            "attribution", Set.of("attribution", "reporting"));

    @Test
    void chartPassesStrictLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void everyWorkloadHasProbesResourcesLabelsAndTheRestrictedContext() {
        for (List<HasMetadata> objects : List.of(parse(bundled()), parse(external()))) {
            List<HasMetadata> workloads = workloads(objects);
            assertFalse(workloads.isEmpty());
            for (HasMetadata workload : workloads) {
                checkWorkload(workload);
            }
        }
    }

    @Test
    void largeNumbersRenderAsIntegersTheServicesCanRead() {
        // Helm turns big integers of values.yaml into floats ("1.610612736e+09"), which a long setting refuses at start.
        assertEquals("1610612736", config(parse(bundled()), "tracking").get("THROUGHLINE_TRACKING_SPOOL_MAX_BYTES"));
        for (List<HasMetadata> objects : List.of(parse(bundled()), parse(external()))) {
            for (HasMetadata o : objects) {
                if (o instanceof ConfigMap map && map.getData() != null) {
                    map.getData().forEach((key, value) -> assertFalse(value.matches("-?\\d+(\\.\\d+)?[eE][+-]?\\d+"),
                            map.getMetadata().getName() + " " + key + " = " + value));
                }
            }
        }
    }

    @Test
    void bundledStoresAreChartDependenciesAndExternalOnesAreValues() {
        List<HasMetadata> bundled = parse(bundled());
        assertEquals(new TreeSet<>(union(SERVICES, STORES)), names(workloads(bundled)));
        assertEquals("StatefulSet", byName(bundled, StatefulSet.class, "postgresql").getKind());
        assertEquals("StatefulSet", byName(bundled, StatefulSet.class, "mongodb").getKind());
        ConfigMap init = byName(bundled, ConfigMap.class, "postgresql-init");
        for (String service : POSTGRES_SERVICES) {
            assertTrue(init.getData().get("databases.sql").contains("CREATE DATABASE throughline_" + service + ";"), service);
            assertEquals("throughline_" + service, config(bundled, service).get("THROUGHLINE_DB_NAME"));
        }
        // The stores' generated Secrets are pre-install hooks (made once, never regenerated by an upgrade), which
        // helm-java's template leaves out of its manifest; what reads them is checked here.
        assertEquals("throughline-mongodb", secretRef(bundled, "tracking", "THROUGHLINE_MONGODB_URI"));
        assertEquals("throughline-db", byName(bundled, StatefulSet.class, "postgresql").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("POSTGRES_PASSWORD")).findFirst()
                .orElseThrow().getValueFrom().getSecretKeyRef().getName());
        assertEquals("postgresql", config(bundled, "identity").get("THROUGHLINE_DB_HOST"));
        assertEquals("http://keycloak:8080/realms/throughline", config(bundled, "gateway").get("THROUGHLINE_OIDC_URL"));

        List<HasMetadata> external = parse(external());
        assertEquals(new TreeSet<>(SERVICES), names(workloads(external)), "no bundled store when they are external");
        assertTrue(external.stream().noneMatch(o -> o instanceof Secret), "external stores' Secrets are the operator's");
        assertEquals("pg.example.internal", config(external, "attribution").get("THROUGHLINE_DB_HOST"));
        assertEquals("https://id.example.com/realms/throughline", config(external, "tracking").get("THROUGHLINE_OIDC_URL"));
        Ingress ingress = byName(external, Ingress.class, "throughline-gateway");
        assertEquals("track.example.com", ingress.getSpec().getRules().get(0).getHost());
        assertEquals("track-example-com-tls", ingress.getSpec().getTls().get(0).getSecretName());
    }

    @Test
    void everyServiceHasADisruptionBudgetAnAutoscalerAndTrackingKeepsItsSpoolOnAClaim() {
        List<HasMetadata> objects = parse(bundled());
        for (String service : SERVICES) {
            String name = "throughline-" + service;
            PodDisruptionBudget pdb = byName(objects, PodDisruptionBudget.class, name);
            assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal(), name);
            assertEquals(service, pdb.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/name"));
            HorizontalPodAutoscaler hpa = byName(objects, HorizontalPodAutoscaler.class, name);
            assertEquals(service.equals("tracking") ? "StatefulSet" : "Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            assertTrue(hpa.getSpec().getMinReplicas() >= 2, name + " keeps two replicas for its budget");
        }
        StatefulSet tracking = byName(objects, StatefulSet.class, "throughline-tracking");
        assertEquals("spool", tracking.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
        assertEquals("2Gi", tracking.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage").toString());
        assertTrue(tracking.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .anyMatch(m -> m.getName().equals("spool") && m.getMountPath().equals("/data")));
        assertTrue(tracking.getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("spool")),
                "the spool is the claim, not a pod volume that dies with the pod");
        assertEquals("/data", config(objects, "tracking").get("THROUGHLINE_DATA_DIR"));
        assertEquals("throughline-tracking-pods", tracking.getSpec().getServiceName());
        assertEquals("None", byName(objects, Service.class, "throughline-tracking-pods").getSpec().getClusterIP());
        StatefulSet external = byName(parse(external()), StatefulSet.class, "throughline-tracking");
        assertEquals("fast-ssd", external.getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName());
    }

    @Test
    void networkPoliciesLetThroughExactlyTheCallGraph() {
        for (List<HasMetadata> objects : List.of(parse(bundled()), parse(external()))) {
            Map<String, NetworkPolicy> policies = new TreeMap<>();
            for (HasMetadata o : objects) {
                if (o instanceof NetworkPolicy np) {
                    policies.put(np.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name"), np);
                }
            }
            for (HasMetadata workload : workloads(objects)) {
                assertTrue(policies.containsKey(workload.getMetadata().getLabels().get("app.kubernetes.io/name")),
                        "every workload has a policy: " + workload.getMetadata().getName());
            }
            for (String service : SERVICES) {
                NetworkPolicy np = policies.get(service);
                assertEquals(List.of("Ingress"), np.getSpec().getPolicyTypes());
                Map<Integer, Set<String>> allowed = allowedByPort(np);
                if (service.equals("gateway")) {
                    assertEquals(Set.of(8080), allowed.keySet(), "the gateway takes only HTTP");
                    continue;
                }
                assertEquals(Set.of("gateway"), without(allowed.get(8080), "namespace:"), service + " HTTP only from the gateway");
                if (service.equals("tracking")) {
                    assertEquals(Set.of("gateway"), allowed.get(8090), "the collector only from the gateway");
                }
                assertEquals(GRPC_CALLERS.getOrDefault(service, null), allowed.get(9000), service + " gRPC callers");
            }
            if (policies.containsKey("postgresql")) {
                assertEquals(union(POSTGRES_SERVICES, Set.of("keycloak")), allowedByPort(policies.get("postgresql")).get(5432));
                assertEquals(Set.of("tracking"), allowedByPort(policies.get("mongodb")).get(27017));
            }
        }
        NetworkPolicy gateway = byName(parse(external()), NetworkPolicy.class, "throughline-gateway");
        assertEquals(Set.of("namespace:ingress-nginx", "namespace:monitoring"), allowedByPort(gateway).get(8080));
        NetworkPolicy identity = byName(parse(external()), NetworkPolicy.class, "throughline-identity");
        assertTrue(allowedByPort(identity).get(8080).contains("namespace:monitoring"), "Prometheus may scrape");
    }

    @Test
    void settingsLiveInConfigMapsNamedLikeTheirPropertiesAndSecretsAreReferenced() {
        List<HasMetadata> objects = parse(bundled());
        Pattern property = Pattern.compile("(QUARKUS|THROUGHLINE)_[A-Z0-9_]+");
        for (String service : SERVICES) {
            Map<String, String> config = config(objects, service);
            config.keySet().forEach(k -> assertTrue(property.matcher(k).matches(), service + ": " + k));
            Container container = container(objects, service);
            assertEquals("throughline-" + service + "-config", container.getEnvFrom().get(0).getConfigMapRef().getName());
            for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                assertNotNull(env.getValueFrom().getSecretKeyRef(), service + ": only secrets are set one by one: " + env.getName());
            }
        }
        assertEquals("throughline-tracking", config(objects, "calltracking").get("THROUGHLINE_GRPC_HOST_TRACKING"));
        assertEquals("http://throughline-tracking:8090", config(objects, "gateway").get("THROUGHLINE_URL_COLLECTOR"));
        assertEquals("throughline-reporting", secretRef(objects, "reporting", "THROUGHLINE_REPORTING_SECRET_KEYS"));
        assertEquals("throughline-attribution", secretRef(objects, "attribution", "THROUGHLINE_ATTRIBUTION_SECRET_KEYS"));
        assertEquals("throughline-calltracking", secretRef(objects, "calltracking", "THROUGHLINE_CALLTRACKING_SECRET_KEYS"));
        assertEquals("throughline-tracking", secretRef(objects, "tracking", "THROUGHLINE_TRACKING_SECRET_KEYS"));
        assertEquals("throughline-identity", secretRef(objects, "identity", "THROUGHLINE_IDENTITY_MASTER_KEY"));
        assertEquals("throughline-service-clients", secretRef(objects, "tracking", "THROUGHLINE_SERVICE_CLIENT_SECRET"));
        assertEquals("throughline-mongodb", secretRef(objects, "tracking", "THROUGHLINE_MONGODB_URI"));
        assertFalse(bundled().contains("dev-"), "no development secret may reach a cluster manifest");
        String checksum = podTemplate(byName(objects, StatefulSet.class, "throughline-tracking")).getMetadata().getAnnotations()
                .get("checksum/config");
        String changed = podTemplate(byName(parse(new Helm(CHART).template().withName("throughline").withNamespace("throughline")
                .set("global.trustedProxies", "10.1.0.0/16").call()), StatefulSet.class, "throughline-tracking")).getMetadata()
                .getAnnotations().get("checksum/config");
        assertNotNull(checksum);
        assertFalse(changed.equals(checksum), "a changed setting rolls the pods");
    }

    @Test
    void unknownValuesAndWrongTypesAreRejectedBySchema() {
        for (Function<TemplateCommand, TemplateCommand> bad : List.<Function<TemplateCommand, TemplateCommand>>of(
                t -> t.set("services.gateway.replicaz", "3"),
                t -> t.set("global.image.pullPolicy", "Sometimes"),
                t -> t.set("services.tracking.replicas", "many"),
                t -> t.set("postgresql.storage", "lots"),
                t -> t.set("networkPolicy.enabled", "maybe"),
                t -> t.set("services.identity.grpcCallers[0]", "gateway"),
                t -> t.set("keycloak.realm", "x"))) {
            assertThrows(IllegalStateException.class, () -> bad.apply(new Helm(CHART).template().withName("x")).call());
        }
    }

    @Test
    void imagesAreTaggedWithTheChartsAppVersion() throws IOException {
        String chart = Files.readString(CHART.resolve("Chart.yaml"), StandardCharsets.UTF_8);
        String tag = System.getProperty("throughline.image.tag", "");
        assertTrue(chart.contains("appVersion: \"" + tag + "\""), "the build tags images " + tag + "; Chart.yaml's appVersion must match");
        assertEquals("ghcr.io/throughline/tracking-service:" + tag, container(parse(bundled()), "tracking").getImage());
    }

    @Test
    void plainManifestsAreTheChartsRendering() throws IOException {
        String base = String.format(HEADER, ", bundled stores off") + servicesOnly();
        // Generated store credentials stay out of git: the dev overlay expects its Secrets like the base does.
        List<HasMetadata> stores = parse(bundled()).stream().filter(o -> STORES.contains(name(o)) && !(o instanceof Secret)).toList();
        StringBuilder devStores = new StringBuilder(String.format(HEADER, ", the bundled stores only"));
        for (HasMetadata store : stores) {
            devStores.append(Manifests.KUBE.asYaml(store));
        }
        if (Boolean.getBoolean("throughline.updateManifests")) {
            Files.writeString(BASE, base, StandardCharsets.UTF_8);
            Files.writeString(DEV_STORES, devStores.toString(), StandardCharsets.UTF_8);
        }
        assertEquals(base, Files.readString(BASE, StandardCharsets.UTF_8), "k8s/base is stale; regenerate it (see its header)");
        assertEquals(devStores.toString(), Files.readString(DEV_STORES, StandardCharsets.UTF_8), "k8s/overlays/dev/stores.yaml is stale");
    }

    @Test
    void kustomizeBuildsBothOverlaysAndTheyPassTheSameChecks() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        if (!Files.isExecutable(kubectl)) {
            Assumptions.assumeFalse(!"true".equals(System.getenv("CI")), "kubectl is not installed here; skipping kustomize");
            throw new AssertionError("kubectl is required on CI (.ci/run installs it)");
        }
        for (String overlay : List.of("dev", "prod")) {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", ROOT.resolve("k8s/overlays/" + overlay).toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
            List<HasMetadata> objects = parse(output);
            objects.forEach(o -> assertEquals(o.getKind().equals("Namespace") ? null : "throughline", o.getMetadata().getNamespace(),
                    o.getKind() + " " + o.getMetadata().getName()));
            workloads(objects).forEach(DeploymentManifestsTest::checkWorkload);
            Set<String> expected = new TreeSet<>(overlay.equals("dev") ? union(SERVICES, STORES) : Set.copyOf(SERVICES));
            assertEquals(expected, names(workloads(objects)), overlay);
            for (HasMetadata o : objects) {
                if (o instanceof HorizontalPodAutoscaler hpa) {
                    assertEquals(overlay.equals("dev") ? 1 : 3, hpa.getSpec().getMinReplicas(), overlay + " " + name(o));
                }
            }
        }
    }

    // ---- rendering and parsing

    private static String bundled() {
        return new Helm(CHART).template().withName("throughline").withNamespace("throughline").call();
    }

    private static String external() {
        return new Helm(CHART).template().withName("throughline").withNamespace("throughline").withValuesFile(EXTERNAL).call();
    }

    private static String servicesOnly() {
        return new Helm(CHART).template().withName("throughline").withNamespace("throughline")
                .set("postgresql.enabled", "false").set("mongodb.enabled", "false").set("keycloak.enabled", "false").call();
    }

    private static void checkWorkload(HasMetadata workload) {
        String what = workload.getKind() + " " + workload.getMetadata().getName();
        PodTemplateSpec template = podTemplate(workload);
        for (String label : List.of("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/part-of",
                "app.kubernetes.io/version", "helm.sh/chart")) {
            assertNotNull(workload.getMetadata().getLabels().get(label), what + " " + label);
            assertNotNull(template.getMetadata().getLabels().get(label), what + " pod " + label);
        }
        PodSpec pod = template.getSpec();
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), what);
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), what);
        assertNotNull(pod.getSecurityContext().getRunAsUser(), what);
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), what);
        boolean ours = !STORES.contains(name(workload));
        for (Container c : pod.getContainers()) {
            assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), what);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), what);
            if (ours || !name(workload).equals("keycloak")) {
                assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), what);
            }
            assertNotNull(c.getResources().getLimits().get("memory"), what + " memory limit");
            assertNotNull(c.getResources().getRequests().get("cpu"), what + " cpu request");
            for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
                assertNotNull(probe, what + " has startup, liveness and readiness probes");
            }
            if (ours) {
                assertEquals("/q/health/started", c.getStartupProbe().getHttpGet().getPath(), what);
                assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), what);
                assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), what);
                assertEquals(185L, pod.getSecurityContext().getRunAsUser(), what + " runs as the image's user");
            }
        }
    }

    private static Set<String> union(java.util.Collection<String> a, java.util.Collection<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<String> without(Set<String> set, String prefix) {
        Set<String> out = new TreeSet<>(set);
        out.removeIf(s -> s.startsWith(prefix));
        return out;
    }
}
