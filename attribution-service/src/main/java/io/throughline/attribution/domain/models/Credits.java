package io.throughline.attribution.domain.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Accumulates credit per channel; the result lists channels in name order (stable output for equal inputs). */
final class Credits {

    private final Map<String, double[]> byChannel = new TreeMap<>();

    void add(String channel, double conversions, double value) {
        double[] c = byChannel.computeIfAbsent(channel, k -> new double[2]);
        c[0] += conversions;
        c[1] += value;
    }

    List<AttributionResult.Credit> list() {
        List<AttributionResult.Credit> out = new ArrayList<>(byChannel.size());
        byChannel.forEach((channel, c) -> out.add(new AttributionResult.Credit(channel, c[0], c[1])));
        return out;
    }

    static double totalConversions(List<PathRow> paths) {
        return paths.stream().mapToDouble(PathRow::conversions).sum();
    }

    static double totalValue(List<PathRow> paths) {
        return paths.stream().mapToDouble(PathRow::value).sum();
    }
}
