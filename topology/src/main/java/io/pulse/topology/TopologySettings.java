package io.pulse.topology;

import java.time.Duration;

/**
 * What the stages need to know, typed and already validated (see PulseConfig).
 *
 * @param windowGrace    how long after a window ends late events still count in it
 * @param storeRetention how long window stores keep windows for queries (at least one window plus grace)
 */
public record TopologySettings(Duration windowGrace, Duration storeRetention) {
    public TopologySettings {
        if (windowGrace.isNegative()) {
            throw new IllegalArgumentException("windowGrace must not be negative, got " + windowGrace);
        }
    }

    public static TopologySettings withGrace(Duration grace) {
        return new TopologySettings(grace, Duration.ofHours(24));
    }
}
