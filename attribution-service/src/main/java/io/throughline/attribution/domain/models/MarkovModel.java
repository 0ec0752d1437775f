package io.throughline.attribution.domain.models;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Markov chain model, solved exactly. States: (start), one per channel (order 1) or per sliding window of k
 * channels (order k; a shorter path is one state), (conversion), (null); consecutive repeats of a state collapse.
 * Each row adds conversions + nulls to every transition along its path, conversions to last -> (conversion) and
 * nulls to last -> (null). P(conversion) from (start) comes from the absorbing chain's linear system; removing a
 * channel sends every transition into a state containing it to (null). Removal effect RE = (P - P(-k)) / P; credit
 * = RE / sum(RE) x total conversions (and the same share of the total value).
 */
public final class MarkovModel {

    public static final String START = "(start)";
    public static final String CONVERSION = "(conversion)";
    public static final String NULL = "(null)";
    /** Transient states the exact solver accepts (a dense system per channel); more: a 422 naming params.order. */
    public static final int MAX_STATES = 500;

    private MarkovModel() {
    }

    public static AttributionResult compute(List<PathRow> paths, int order) {
        if (order < 1 || order > 4) {
            throw ModelInputException.invalid("params.order", "must be 1, 2, 3 or 4");
        }
        double conversions = Credits.totalConversions(paths);
        if (conversions <= 0) {
            throw ModelInputException.unprocessable("paths", "no path has conversions: the Markov model needs at least one converting path");
        }
        Map<String, Map<String, Double>> counts = new TreeMap<>();
        Map<String, Set<String>> channelsOf = new TreeMap<>();
        for (PathRow row : paths) {
            double journeys = row.conversions() + row.nulls();
            if (journeys <= 0) {
                continue;
            }
            List<List<String>> states = states(row.channels(), order);
            String previous = START;
            for (List<String> window : states) {
                String state = String.join(" > ", window);
                channelsOf.computeIfAbsent(state, k -> new TreeSet<>(window));
                add(counts, previous, state, journeys);
                previous = state;
            }
            add(counts, previous, CONVERSION, row.conversions());
            add(counts, previous, NULL, row.nulls());
        }
        List<String> live = new ArrayList<>();
        live.add(START);
        live.addAll(channelsOf.keySet());
        if (live.size() > MAX_STATES) {
            throw ModelInputException.unprocessable("params.order", live.size() + " states exceed the exact solver's " + MAX_STATES
                    + "; use a lower order");
        }
        Map<String, Map<String, Double>> matrix = probabilities(counts);
        double p = conversionProbability(live, matrix, Set.of());
        Set<String> channels = new TreeSet<>();
        channelsOf.values().forEach(channels::addAll);
        Map<String, Double> effects = new LinkedHashMap<>();
        double sum = 0;
        for (String channel : channels) {
            Set<String> removed = new HashSet<>();
            channelsOf.forEach((state, in) -> {
                if (in.contains(channel)) {
                    removed.add(state);
                }
            });
            double effect = (p - conversionProbability(live, matrix, removed)) / p;
            effects.put(channel, effect);
            sum += effect;
        }
        double value = Credits.totalValue(paths);
        Credits credits = new Credits();
        for (Map.Entry<String, Double> e : effects.entrySet()) {
            double share = sum == 0 ? 0 : e.getValue() / sum;
            credits.add(e.getKey(), share * conversions, share * value);
        }
        return new AttributionResult("markov", credits.list(), conversions, value, effects, matrix, null);
    }

    /** The path's states: channels (order 1) or sliding windows of {@code order} channels, consecutive repeats collapsed. */
    static List<List<String>> states(List<String> channels, int order) {
        List<List<String>> out = new ArrayList<>();
        if (channels.size() <= order) {
            out.add(List.copyOf(channels));
        } else {
            for (int i = 0; i + order <= channels.size(); i++) {
                out.add(List.copyOf(channels.subList(i, i + order)));
            }
        }
        List<List<String>> collapsed = new ArrayList<>();
        for (List<String> s : out) {
            if (collapsed.isEmpty() || !collapsed.get(collapsed.size() - 1).equals(s)) {
                collapsed.add(s);
            }
        }
        return collapsed;
    }

    private static void add(Map<String, Map<String, Double>> counts, String from, String to, double n) {
        if (n > 0) {
            counts.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, n, Double::sum);
        }
    }

    private static Map<String, Map<String, Double>> probabilities(Map<String, Map<String, Double>> counts) {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        counts.forEach((from, row) -> {
            double total = row.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> p = new TreeMap<>();
            row.forEach((to, n) -> p.put(to, n / total));
            out.put(from, p);
        });
        return out;
    }

    /**
     * P(conversion) from (start): solves x = Q x + b over the live states, where b is the probability of
     * converting next; removed states are absorbing nulls (x = 0).
     */
    private static double conversionProbability(List<String> states, Map<String, Map<String, Double>> matrix, Set<String> removed) {
        int m = states.size();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            index.put(states.get(i), i);
        }
        double[][] a = new double[m][m + 1];
        for (int i = 0; i < m; i++) {
            a[i][i] = 1;
            String state = states.get(i);
            if (removed.contains(state)) {
                continue;
            }
            for (Map.Entry<String, Double> t : matrix.getOrDefault(state, Map.of()).entrySet()) {
                if (t.getKey().equals(CONVERSION)) {
                    a[i][m] += t.getValue();
                } else if (!t.getKey().equals(NULL)) {
                    a[i][index.get(t.getKey())] -= t.getValue();
                }
            }
        }
        return solve(a)[index.get(START)];
    }

    /** Gaussian elimination with partial pivoting on an augmented matrix [A | b]. */
    private static double[] solve(double[][] a) {
        int m = a.length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            double d = a[col][col];
            if (Math.abs(d) < 1e-15) {
                continue;
            }
            for (int r = 0; r < m; r++) {
                if (r != col && a[r][col] != 0) {
                    double f = a[r][col] / d;
                    for (int c = col; c <= m; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = Math.abs(a[i][i]) < 1e-15 ? 0 : a[i][m] / a[i][i];
        }
        return x;
    }
}
