package io.throughline.gateway.domain;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Roles per API path prefix; the longest matching prefix decides (so an audience-reader reaches
 * /api/attribution/audiences and nothing else). Services check their own finer rules too.
 */
public final class AccessRules {

    private final List<Map.Entry<String, Set<String>>> byPrefix;

    public AccessRules(Map<String, Set<String>> rolesByPrefix) {
        this.byPrefix = rolesByPrefix.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), Set.copyOf(e.getValue())))
                .sorted(Comparator.comparingInt((Map.Entry<String, Set<String>> e) -> e.getKey().length()).reversed())
                .toList();
    }

    /** The roles that may call this path, or empty when no rule covers it (then nobody may). */
    public Optional<Set<String>> rolesFor(String path) {
        return byPrefix.stream().filter(e -> path.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst();
    }

    public boolean allows(String path, Set<String> roles) {
        return rolesFor(path).map(allowed -> roles.stream().anyMatch(allowed::contains)).orElse(false);
    }
}
