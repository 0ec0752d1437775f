package io.throughline.commons.work;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Splitting work into batches for calls that take many items of one kind (one workspace, one tenant ...). */
public final class Batches {

    private Batches() {
    }

    /** Runs of consecutive items with an equal key, at most {@code max} items each, in the items' order. */
    public static <T, K> List<List<T>> consecutive(List<T> items, Function<T, K> key, int max) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < items.size();) {
            K first = key.apply(items.get(from));
            int to = from + 1;
            while (to < items.size() && to - from < max && Objects.equals(key.apply(items.get(to)), first)) {
                to++;
            }
            out.add(items.subList(from, to));
            from = to;
        }
        return out;
    }
}
