package io.pulse.api.query;

import java.time.Instant;

/** Events of one tenant in one window, as read from the topology's state. */
public record WindowCount(Instant start, Instant end, long events) {
}
