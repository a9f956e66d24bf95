package io.pulse.topology.stages;

import java.time.Duration;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * One shape of event-time window a stage aggregates over: tumbling when {@code advance} equals
 * {@code size}, hopping otherwise.
 *
 * @param label   short label for processor, store and topic names ({@code 1m}, {@code 5m}, {@code 1h})
 * @param size    window length; its ISO-8601 form ({@code PT5M}) is the window size published in records
 * @param advance distance between window starts
 * @param grace   how long after the window end late events still count and the final value waits
 */
public record WindowFamily(String label, Duration size, Duration advance, Duration grace) {

    public static WindowFamily tumbling(String label, Duration size, Duration grace) {
        return new WindowFamily(label, size, size, grace);
    }

    public static WindowFamily hopping(String label, Duration size, Duration advance, Duration grace) {
        return new WindowFamily(label, size, advance, grace);
    }

    public TimeWindows windows() {
        TimeWindows windows = TimeWindows.ofSizeAndGrace(size, grace);
        return advance.equals(size) ? windows : windows.advanceBy(advance);
    }

    /** The window size as published: ISO-8601 ({@code PT1M}). */
    public String sizeName() {
        return size.toString();
    }

    /** How long a window store keeps windows: the wanted retention, but never less than a window and its grace. */
    public Duration retention(Duration wanted) {
        Duration minimum = size.plus(grace);
        return wanted.compareTo(minimum) < 0 ? minimum : wanted;
    }
}
