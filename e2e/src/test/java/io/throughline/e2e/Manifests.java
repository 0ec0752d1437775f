package io.throughline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;

/** Rendered manifests (Helm, kustomize) as objects of the fabric8 Kubernetes model, and the lookups the tests make in them. */
final class Manifests {

    static final KubernetesSerialization KUBE = new KubernetesSerialization();

    private Manifests() {
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc instanceof Map<?, ?> m && !m.isEmpty()) {
                HasMetadata object = KUBE.unmarshal(KUBE.asJson(m), HasMetadata.class);
                assertFalse(object.getClass().getSimpleName().equals("GenericKubernetesResource"),
                        "a known kind of the Kubernetes model: " + m.get("kind"));
                out.add(object);
            }
        }
        return out;
    }

    /** Per port, who may connect: pod names, or "namespace:<name>" for namespace selectors; "*" for anyone. */
    static Map<Integer, Set<String>> allowedByPort(NetworkPolicy np) {
        Map<Integer, Set<String>> out = new TreeMap<>();
        for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
            Set<String> from = new TreeSet<>();
            if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                from.add("*");
            } else {
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    from.addAll(peerNames(peer));
                }
            }
            rule.getPorts().forEach(p -> out.computeIfAbsent(p.getPort().getIntVal(), k -> new TreeSet<>()).addAll(from));
        }
        return out;
    }

    static Set<String> peerNames(NetworkPolicyPeer peer) {
        if (peer.getNamespaceSelector() != null) {
            return Set.of("namespace:" + peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
        }
        LabelSelector pods = peer.getPodSelector();
        assertEquals(Set.of(), peer.getIpBlock() == null ? Set.of() : Set.of(peer.getIpBlock()));
        if (pods.getMatchLabels() != null && pods.getMatchLabels().containsKey("app.kubernetes.io/name")) {
            assertEquals("throughline", pods.getMatchLabels().get("app.kubernetes.io/instance"), "only this release's pods");
            return Set.of(pods.getMatchLabels().get("app.kubernetes.io/name"));
        }
        Set<String> names = new TreeSet<>();
        pods.getMatchExpressions().forEach(e -> {
            if (e.getKey().equals("app.kubernetes.io/name")) {
                names.addAll(e.getValues());
            } else {
                assertEquals(List.of("throughline"), e.getValues(), "only this release's pods");
            }
        });
        return names;
    }

    static List<HasMetadata> workloads(List<HasMetadata> objects) {
        return objects.stream().filter(o -> o instanceof Deployment || o instanceof StatefulSet).toList();
    }

    static PodTemplateSpec podTemplate(HasMetadata workload) {
        return workload instanceof Deployment d ? d.getSpec().getTemplate() : ((StatefulSet) workload).getSpec().getTemplate();
    }

    static Container container(List<HasMetadata> objects, String service) {
        HasMetadata workload = workloads(objects).stream().filter(o -> o.getMetadata().getName().equals("throughline-" + service))
                .findFirst().orElseThrow();
        return podTemplate(workload).getSpec().getContainers().get(0);
    }

    static String secretRef(List<HasMetadata> objects, String service, String env) {
        return container(objects, service).getEnv().stream().filter(e -> e.getName().equals(env)).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef().getName();
    }

    static Map<String, String> config(List<HasMetadata> objects, String service) {
        return byName(objects, ConfigMap.class, "throughline-" + service + "-config").getData();
    }

    static <T extends HasMetadata> T byName(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(type.getSimpleName() + " " + name + " is rendered"));
    }

    static String name(HasMetadata o) {
        return o.getMetadata().getLabels() == null ? "" : o.getMetadata().getLabels().getOrDefault("app.kubernetes.io/name", "");
    }

    static Set<String> names(List<HasMetadata> objects) {
        Set<String> out = new TreeSet<>();
        objects.forEach(o -> out.add(name(o)));
        return out;
    }
}
