package io.pulse.topology;

import io.pulse.common.config.PulseConfig;
import java.time.Duration;

/**
 * What the stages need to know, typed and already validated (see {@link PulseConfig.Engagement}).
 *
 * @param windowGrace       lateness allowed for every event-time window; the lateness gate sends older events to the late-events topic
 * @param hourlyWindowGrace how long 1-hour and daily windows wait before their final value (at least windowGrace)
 * @param storeRetention    how long window stores keep windows for queries
 */
public record TopologySettings(Duration windowGrace, Duration hourlyWindowGrace, Duration dedupHorizon,
                               Duration sessionInactivityGap, int topProducts, Duration churnAfter,
                               int alertBaselineWindows, double alertThreshold, Duration storeRetention) {
    public TopologySettings {
        if (windowGrace.isNegative() || hourlyWindowGrace.compareTo(windowGrace) < 0) {
            throw new IllegalArgumentException("grace must be >= 0 and the hourly grace at least the window grace, got "
                    + windowGrace + " and " + hourlyWindowGrace);
        }
    }

    public static TopologySettings from(PulseConfig.Engagement e) {
        return new TopologySettings(e.windowGrace(), e.hourlyWindowGrace(), e.dedupHorizon(), e.sessionInactivityGap(),
                e.topProducts(), e.churnAfter(), e.alertBaselineWindows(), e.alertThreshold(), Duration.ofDays(2));
    }

    /** The defaults of the local profile: for tests, adjusted with the {@code with...} methods. */
    public static TopologySettings defaults() {
        return new TopologySettings(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofHours(24), Duration.ofMinutes(30),
                10, Duration.ofDays(30), 30, 3.0, Duration.ofDays(2));
    }

    public static TopologySettings withGrace(Duration grace) {
        TopologySettings d = defaults();
        return d.withWindowGrace(grace);
    }

    public TopologySettings withWindowGrace(Duration grace) {
        Duration hourly = hourlyWindowGrace.compareTo(grace) < 0 ? grace : hourlyWindowGrace;
        return new TopologySettings(grace, hourly, dedupHorizon, sessionInactivityGap, topProducts, churnAfter,
                alertBaselineWindows, alertThreshold, storeRetention);
    }

    public TopologySettings withDedupHorizon(Duration horizon) {
        return new TopologySettings(windowGrace, hourlyWindowGrace, horizon, sessionInactivityGap, topProducts, churnAfter,
                alertBaselineWindows, alertThreshold, storeRetention);
    }

    public TopologySettings withSessionInactivityGap(Duration gap) {
        return new TopologySettings(windowGrace, hourlyWindowGrace, dedupHorizon, gap, topProducts, churnAfter,
                alertBaselineWindows, alertThreshold, storeRetention);
    }

    public TopologySettings withTopProducts(int n) {
        return new TopologySettings(windowGrace, hourlyWindowGrace, dedupHorizon, sessionInactivityGap, n, churnAfter,
                alertBaselineWindows, alertThreshold, storeRetention);
    }

    public TopologySettings withChurnAfter(Duration churn) {
        return new TopologySettings(windowGrace, hourlyWindowGrace, dedupHorizon, sessionInactivityGap, topProducts, churn,
                alertBaselineWindows, alertThreshold, storeRetention);
    }

    public TopologySettings withAlerts(int baselineWindows, double threshold) {
        return new TopologySettings(windowGrace, hourlyWindowGrace, dedupHorizon, sessionInactivityGap, topProducts, churnAfter,
                baselineWindows, threshold, storeRetention);
    }
}
