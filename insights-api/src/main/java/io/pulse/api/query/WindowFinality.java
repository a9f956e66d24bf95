package io.pulse.api.query;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a window's value is final: once the tenant's stream time (the newest event time that passed the
 * lateness gate) has reached the window's end plus its grace, the window operator has closed it and its value no
 * longer changes. The operator's own stream time is that of the tenant's whole partition, never behind the
 * tenant's, so "final" here is never said too early for a window of the tenant-wide stores; stores behind a
 * repartition (per store and channel, customers) may still be catching up on the last events that closed it.
 * Before the tenant has an event, nothing is final.
 *
 * @param windowGrace       grace of the 1- and 5-minute windows ({@code pulse.metrics.window-grace})
 * @param hourlyWindowGrace grace of hourly and daily windows ({@code pulse.metrics.hourly-window-grace})
 */
public record WindowFinality(Duration windowGrace, Duration hourlyWindowGrace) {

    public boolean isFinal(Duration size, Instant windowEnd, Instant tenantStreamTime) {
        if (tenantStreamTime == null) {
            return false;
        }
        Duration grace = size.compareTo(Duration.ofHours(1)) >= 0 ? hourlyWindowGrace : windowGrace;
        return !tenantStreamTime.isBefore(windowEnd.plus(grace));
    }
}
