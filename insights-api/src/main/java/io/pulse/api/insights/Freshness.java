package io.pulse.api.insights;

import io.pulse.api.query.LocalRead;
import java.time.Duration;
import java.time.Instant;

/**
 * How fresh an answer is: part of every response that carries values.
 *
 * @param newestEventTime the tenant's newest event time that passed the lateness gate (its stream time); null before
 *                        its first event, or when no instance could tell
 * @param ageSeconds      seconds from {@code newestEventTime} to the time of the answer (0 if the event is stamped
 *                        ahead of this instance's clock); null with {@code newestEventTime}
 * @param servedBy        the instance that read the values ({@code host:port})
 * @param stale           true: read from a copy that may be behind (a standby, or a store still restoring), because
 *                        the instance that owns the data could not answer
 * @param lagRecords      changelog records that copy was behind when last measured (0 for the owner's copy); null
 *                        when unknown
 */
public record Freshness(Instant newestEventTime, Long ageSeconds, String servedBy, boolean stale, Long lagRecords) {

    public static Freshness of(Instant newestEventTime, LocalRead read, Instant now) {
        Long age = newestEventTime == null ? null : Math.max(0, Duration.between(newestEventTime, now).toSeconds());
        return new Freshness(newestEventTime, age, read.servedBy(), read.stale(), read.lagRecords());
    }
}
