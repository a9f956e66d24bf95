package io.pulse.ingest.jdbc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a source has read: the id (and, in timestamp+incrementing mode, the timestamp) of the last row
 * whose batch was durably delivered. The next poll reads rows after it in (timestamp, id) order.
 */
public record SourcePosition(long lastId, Optional<Instant> lastTimestamp) {
    /** Before the first row: every row is after it. */
    public static final SourcePosition START = new SourcePosition(Long.MIN_VALUE, Optional.empty());

    public SourcePosition {
        Objects.requireNonNull(lastTimestamp, "lastTimestamp");
    }

    public static SourcePosition of(long lastId) {
        return new SourcePosition(lastId, Optional.empty());
    }

    public static SourcePosition of(long lastId, Instant lastTimestamp) {
        return new SourcePosition(lastId, Optional.of(lastTimestamp));
    }

    public boolean isStart() {
        return equals(START);
    }

    @Override
    public String toString() {
        return isStart() ? "start" : lastTimestamp.map(t -> "(" + t + ", " + lastId + ")").orElse(Long.toString(lastId));
    }
}
