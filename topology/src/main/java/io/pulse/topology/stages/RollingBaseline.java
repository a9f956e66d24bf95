package io.pulse.topology.stages;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code capacity} values of one series (oldest first) and how far a new value lies from them:
 * its z-score {@code (value - mean) / stddev}, with the mean and the population standard deviation of
 * exactly those values.
 *
 * <p>A value is only scored against a full baseline (exactly {@code capacity} values) with some spread
 * (stddev > 0): a short history says little about what is normal, and a perfectly flat one has no scale
 * to measure a deviation in.
 */
final class RollingBaseline {
    private final int capacity;
    private final Deque<Double> values;

    private RollingBaseline(int capacity, Deque<Double> values) {
        this.capacity = capacity;
        this.values = values;
    }

    /** A baseline of at most {@code capacity} values, holding the newest of {@code history} (oldest first). */
    static RollingBaseline of(int capacity, Collection<Double> history) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a baseline needs at least one window, got " + capacity);
        }
        RollingBaseline b = new RollingBaseline(capacity, new ArrayDeque<>(capacity + 1));
        history.forEach(b::add);
        return b;
    }

    static RollingBaseline empty(int capacity) {
        return of(capacity, List.of());
    }

    /** Appends the newest value; the oldest goes once there are more than {@code capacity}. */
    void add(double value) {
        values.addLast(value);
        while (values.size() > capacity) {
            values.removeFirst();
        }
    }

    int size() {
        return values.size();
    }

    boolean isFull() {
        return values.size() == capacity;
    }

    /** The values, oldest first: what the state store keeps. */
    List<Double> values() {
        return new ArrayList<>(values);
    }

    double mean() {
        requireValues();
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.size();
    }

    /** Population standard deviation (divided by n): the spread of these windows, not an estimate of another population's. */
    double stddev() {
        double mean = mean();
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.size());
    }

    /**
     * How {@code value} deviates from this baseline, when it is full and has spread; else empty.
     */
    Optional<Deviation> deviation(double value) {
        if (!isFull()) {
            return Optional.empty();
        }
        double mean = mean();
        double stddev = stddev();
        if (!(stddev > 0)) {
            return Optional.empty();
        }
        return Optional.of(new Deviation(value, mean, stddev, (value - mean) / stddev, values.size()));
    }

    private void requireValues() {
        if (values.isEmpty()) {
            throw new IllegalStateException("an empty baseline has no mean");
        }
    }

    /** A value against its baseline: {@code score = (value - mean) / stddev}. */
    record Deviation(double value, double mean, double stddev, double score, int windows) {
        /** Whether it is at least {@code threshold} standard deviations away, in either direction. */
        boolean reaches(double threshold) {
            return Math.abs(score) >= threshold;
        }

        boolean isSpike() {
            return score > 0;
        }
    }
}
