package io.throughline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart lints, renders what a cluster needs (probes, limits, restricted security context) and
 * rejects unknown values; the plain manifests in k8s/ are that rendering, and kustomize builds them.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("throughline.root", "..")).toAbsolutePath().normalize();
    private static final Path CHART = ROOT.resolve("helm/throughline");
    private static final Path MANIFEST = ROOT.resolve("k8s/throughline.yaml");

    @Test
    void chartPassesStrictLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void everyServiceGetsADeploymentWithProbesLimitsAndARestrictedContext() {
        List<Map<String, Object>> objects = render(new Helm(CHART).template().withName("throughline").withNamespace("throughline").call());
        List<Map<String, Object>> deployments = ofKind(objects, "Deployment");
        assertEquals(6, deployments.size());
        assertEquals(6, ofKind(objects, "Service").size());
        assertEquals(6, ofKind(objects, "HorizontalPodAutoscaler").size());
        for (Map<String, Object> deployment : deployments) {
            Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
            assertEquals(true, map(pod, "securityContext").get("runAsNonRoot"));
            Map<String, Object> container = list(pod, "containers").get(0);
            assertEquals("/q/health/started", map(map(container, "startupProbe"), "httpGet").get("path"));
            assertEquals("/q/health/live", map(map(container, "livenessProbe"), "httpGet").get("path"));
            assertEquals("/q/health/ready", map(map(container, "readinessProbe"), "httpGet").get("path"));
            assertNotNull(map(map(container, "resources"), "limits").get("memory"));
            assertEquals(true, map(container, "securityContext").get("readOnlyRootFilesystem"));
            assertEquals(false, map(container, "securityContext").get("allowPrivilegeEscalation"));
        }
    }

    @Test
    void servicesFindEachOtherAndTheirSecretsByName() {
        String rendered = new Helm(CHART).template().withName("tl").call();
        assertTrue(rendered.contains("name: THROUGHLINE_GRPC_HOST_TRACKING\n              value: \"tl-tracking\""), rendered);
        assertTrue(rendered.contains("value: \"throughline_identity\""));
        assertTrue(rendered.contains("name: throughline-service-clients"));
        assertTrue(rendered.contains("name: THROUGHLINE_REPORTING_SECRET_KEYS\n              valueFrom:\n                secretKeyRef:\n"
                + "                  name: throughline-reporting"), "connector credentials are sealed with a key ring from a Secret");
        assertTrue(rendered.contains("name: THROUGHLINE_ATTRIBUTION_SECRET_KEYS\n              valueFrom:\n                secretKeyRef:\n"
                + "                  name: throughline-attribution"), "ad connection credentials are sealed with a key ring from a Secret");
        assertTrue(rendered.contains("name: THROUGHLINE_CALLTRACKING_SECRET_KEYS\n              valueFrom:\n                secretKeyRef:\n"
                + "                  name: throughline-calltracking"), "calltracking seals telephony secrets with its own key ring");
        assertFalse(rendered.contains("dev-"), "no development secret may reach a cluster manifest");
        assertTrue(rendered.contains("name: THROUGHLINE_URL_COLLECTOR\n              value: \"http://tl-tracking:8090\""),
                "the gateway sends the public paths to tracking's collector listener");
        assertTrue(rendered.contains("name: THROUGHLINE_TRUSTED_PROXIES"));
        assertTrue(rendered.contains("mountPath: /data"), "the spool is on a writable volume (the root file system is read-only)");
    }

    @Test
    void unknownValuesAreRejectedBySchema() {
        assertThrows(IllegalStateException.class,
                () -> new Helm(CHART).template().withName("x").set("services.gateway.replicaz", "3").call());
        assertThrows(IllegalStateException.class,
                () -> new Helm(CHART).template().withName("x").set("global.image.pullPolicy", "Sometimes").call());
    }

    @Test
    void plainManifestsAreTheChartsRendering() throws IOException {
        String rendered = "# Rendered from helm/throughline with release name and namespace 'throughline'.\n"
                + "# Regenerate: ./mvnw -pl e2e test -Dtest=DeploymentManifestsTest -Dthroughline.updateManifests=true\n"
                + new Helm(CHART).template().withName("throughline").withNamespace("throughline").call();
        if (Boolean.getBoolean("throughline.updateManifests")) {
            Files.writeString(MANIFEST, rendered, StandardCharsets.UTF_8);
        }
        assertEquals(rendered, Files.readString(MANIFEST, StandardCharsets.UTF_8),
                "k8s/throughline.yaml is stale; regenerate it (see its header)");
    }

    @Test
    void kustomizeBuildsTheK8sTree() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        if (!Files.isExecutable(kubectl)) {
            Assumptions.assumeFalse(!"true".equals(System.getenv("CI")), "kubectl is not installed here; skipping kustomize");
            throw new AssertionError("kubectl is required on CI (.ci/run installs it)");
        }
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", ROOT.resolve("k8s").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("namespace: throughline"), output);
        assertEquals(6, ofKind(render(output), "Deployment").size());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(String yaml) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }
}
