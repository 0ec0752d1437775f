package io.throughline.attribution.domain.models;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Shapley values. Set coverage (Zhao et al. 2018): the worth of a set of channels is the conversions (or value) of
 * journeys whose distinct channels are a subset of it; its closed form splits each converting journey equally over
 * its distinct channels. By conversion rate: CR(T) is the conversion rate of the journeys whose distinct-channel set
 * is exactly T; the worth of a coalition S is the sum of CR(T) over the non-empty T within S (so a coalition is worth
 * at least its parts); Shapley values are exact up to {@link #EXACT_LIMIT} channels and estimated above it from
 * random channel orders with a fixed seed (the same input gives the same numbers); credits are each channel's share
 * of the values, of the total conversions and value.
 */
public final class ShapleyModel {

    /** Channels up to which Shapley by conversion rate is exact (2^n coalitions); above: seeded sampling. */
    public static final int EXACT_LIMIT = 16;
    /** Channels the sampled estimate accepts. */
    public static final int SAMPLED_LIMIT = 64;

    private ShapleyModel() {
    }

    public static AttributionResult setCoverage(List<PathRow> paths) {
        Credits credits = new Credits();
        for (PathRow row : paths) {
            if (row.conversions() <= 0 && row.value() <= 0) {
                continue;
            }
            Set<String> distinct = new LinkedHashSet<>(row.channels());
            for (String channel : distinct) {
                credits.add(channel, row.conversions() / distinct.size(), row.value() / distinct.size());
            }
        }
        return new AttributionResult("shapley", credits.list(), Credits.totalConversions(paths), Credits.totalValue(paths), null, null, null);
    }

    public static AttributionResult conversionRate(List<PathRow> paths, int samples, long seed) {
        List<String> channels = new java.util.ArrayList<>(new java.util.TreeSet<>(paths.stream().flatMap(p -> p.channels().stream()).toList()));
        int n = channels.size();
        if (n > SAMPLED_LIMIT) {
            throw ModelInputException.unprocessable("paths", n + " channels: Shapley by conversion rate takes at most " + SAMPLED_LIMIT);
        }
        double conversions = Credits.totalConversions(paths);
        if (conversions <= 0) {
            throw ModelInputException.unprocessable("paths", "no path has conversions");
        }
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(channels.get(i), i);
        }
        // Conversions and journeys per exact distinct-channel set.
        java.util.Map<Long, double[]> bySet = new java.util.TreeMap<>();
        for (PathRow row : paths) {
            long mask = 0;
            for (String c : row.channels()) {
                mask |= 1L << index.get(c);
            }
            double[] cn = bySet.computeIfAbsent(mask, k -> new double[2]);
            cn[0] += row.conversions();
            cn[1] += row.conversions() + row.nulls();
        }
        long[] sets = bySet.keySet().stream().mapToLong(Long::longValue).toArray();
        double[] rates = bySet.values().stream().mapToDouble(cn -> cn[1] == 0 ? 0 : cn[0] / cn[1]).toArray();
        double[] phi = n <= EXACT_LIMIT ? exact(n, sets, rates) : sampled(n, sets, rates, samples, seed);
        double sum = java.util.Arrays.stream(phi).sum();
        if (sum <= 0) {
            throw ModelInputException.unprocessable("paths", "no journey converted: conversion rates are all zero");
        }
        double value = Credits.totalValue(paths);
        Credits credits = new Credits();
        for (int i = 0; i < n; i++) {
            credits.add(channels.get(i), phi[i] / sum * conversions, phi[i] / sum * value);
        }
        java.util.Map<String, Double> values = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            values.put(channels.get(i), phi[i]);
        }
        return new AttributionResult("shapley_conversion_rate", credits.list(), conversions, value, null, null, values);
    }

    /** Exact: worth of every coalition by a subset-sum transform, then the Shapley formula. */
    private static double[] exact(int n, long[] sets, double[] rates) {
        int size = 1 << n;
        double[] worth = new double[size];
        for (int k = 0; k < sets.length; k++) {
            worth[(int) sets[k]] += rates[k];
        }
        for (int bit = 0; bit < n; bit++) {
            for (int s = 0; s < size; s++) {
                if ((s & (1 << bit)) != 0) {
                    worth[s] += worth[s ^ (1 << bit)];
                }
            }
        }
        double[] factorial = new double[n + 1];
        factorial[0] = 1;
        for (int i = 1; i <= n; i++) {
            factorial[i] = factorial[i - 1] * i;
        }
        double[] phi = new double[n];
        for (int s = 0; s < size; s++) {
            int k = Integer.bitCount(s);
            for (int i = 0; i < n; i++) {
                if ((s & (1 << i)) == 0) {
                    double weight = factorial[k] * factorial[n - k - 1] / factorial[n];
                    phi[i] += weight * (worth[s | (1 << i)] - worth[s]);
                }
            }
        }
        return phi;
    }

    /** Estimated from {@code samples} random orders of the channels (seeded): each channel's mean marginal worth. */
    private static double[] sampled(int n, long[] sets, double[] rates, int samples, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double[] phi = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int t = 0; t < samples; t++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            long coalition = 0;
            double before = 0;
            for (int i : order) {
                coalition |= 1L << i;
                double after = worth(coalition, sets, rates);
                phi[i] += after - before;
                before = after;
            }
        }
        for (int i = 0; i < n; i++) {
            phi[i] /= samples;
        }
        return phi;
    }

    private static double worth(long coalition, long[] sets, double[] rates) {
        double w = 0;
        for (int k = 0; k < sets.length; k++) {
            if ((sets[k] & ~coalition) == 0) {
                w += rates[k];
            }
        }
        return w;
    }
}
