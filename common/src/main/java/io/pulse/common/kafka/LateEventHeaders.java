package io.pulse.common.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * Header names that say why an event is on the late-events topic: how far behind the stream it was,
 * the stream time it was measured against, and the grace it exceeded.
 */
public final class LateEventHeaders {
    /** Stream time minus event time, in milliseconds (always more than the grace). */
    public static final String LATENESS_MS = "pulse.late.lateness-ms";
    /** The stream time when the event arrived, ISO-8601 (e.g. {@code 2026-11-21T10:02:00Z}). */
    public static final String STREAM_TIME = "pulse.late.stream-time";
    /** The window grace the event exceeded, in milliseconds. */
    public static final String GRACE_MS = "pulse.late.grace-ms";

    private LateEventHeaders() {
    }

    public static Headers describe(Headers headers, Duration lateness, Instant streamTime, Duration grace) {
        headers.remove(LATENESS_MS).remove(STREAM_TIME).remove(GRACE_MS);
        headers.add(LATENESS_MS, Long.toString(lateness.toMillis()).getBytes(StandardCharsets.UTF_8));
        headers.add(STREAM_TIME, streamTime.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(GRACE_MS, Long.toString(grace.toMillis()).getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
