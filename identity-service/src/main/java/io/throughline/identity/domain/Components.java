package io.throughline.identity.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Union-find over identifier nodes: the connected components that are persons, recomputed after an unmerge. */
public final class Components {

    private final Map<Long, Long> parent = new HashMap<>();

    public Components(Collection<Long> nodes) {
        nodes.forEach(n -> parent.put(n, n));
    }

    public long find(long node) {
        long root = node;
        while (parent.get(root) != root) {
            root = parent.get(root);
        }
        long current = node;
        while (current != root) {
            long next = parent.get(current);
            parent.put(current, root);
            current = next;
        }
        return root;
    }

    public void union(long a, long b) {
        long ra = find(a);
        long rb = find(b);
        if (ra != rb) {
            parent.put(Math.max(ra, rb), Math.min(ra, rb));
        }
    }

    /** The components, each listing its nodes in ascending order, components ordered by their smallest node. */
    public List<List<Long>> groups() {
        Map<Long, List<Long>> byRoot = new LinkedHashMap<>();
        parent.keySet().stream().sorted().forEach(n -> byRoot.computeIfAbsent(find(n), r -> new ArrayList<>()).add(n));
        return new ArrayList<>(byRoot.values());
    }

    public static List<List<Long>> of(Collection<Long> nodes, Collection<long[]> edges) {
        Components components = new Components(nodes);
        for (long[] edge : edges) {
            if (components.parent.containsKey(edge[0]) && components.parent.containsKey(edge[1])) {
                components.union(edge[0], edge[1]);
            }
        }
        return components.groups();
    }
}
