package io.throughline.attribution.domain.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PHP-style form keys ({@code leads[status][0][custom_fields][1][values][0][value]}) as a tree of maps whose leaves
 * are strings, the way amoCRM and Bitrix24 encode their events.
 */
public final class FormTree {

    private static final int MAX_DEPTH = 12;

    private FormTree() {
    }

    public static Map<String, Object> parse(Map<String, String> form) {
        Map<String, Object> root = new LinkedHashMap<>();
        form.forEach((key, value) -> put(root, segments(key), value));
        return root;
    }

    static List<String> segments(String key) {
        List<String> out = new ArrayList<>();
        int open = key.indexOf('[');
        out.add(open < 0 ? key : key.substring(0, open));
        while (open >= 0 && out.size() <= MAX_DEPTH) {
            int close = key.indexOf(']', open);
            if (close < 0) {
                break;
            }
            out.add(key.substring(open + 1, close));
            open = key.indexOf('[', close);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, List<String> path, String value) {
        Map<String, Object> node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object child = node.get(path.get(i));
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                node.put(path.get(i), child);
            }
            node = (Map<String, Object>) child;
        }
        node.putIfAbsent(path.get(path.size() - 1), value);
    }

    /** The map at the path, or an empty one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> node, String... path) {
        Object at = node;
        for (String p : path) {
            at = at instanceof Map ? ((Map<String, Object>) at).get(p) : null;
        }
        return at instanceof Map ? (Map<String, Object>) at : Map.of();
    }

    /** The string at the path, or null. */
    public static String text(Map<String, Object> node, String key) {
        Object v = node.get(key);
        return v instanceof String s && !s.isBlank() ? s.strip() : null;
    }

    /** The child maps of a list-like node ({@code [0]}, {@code [1]}, ...) in their order. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> items(Map<String, Object> node) {
        List<Map<String, Object>> out = new ArrayList<>();
        node.values().forEach(v -> {
            if (v instanceof Map) {
                out.add((Map<String, Object>) v);
            }
        });
        return out;
    }
}
