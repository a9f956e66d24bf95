package io.pulse.ingest.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An input a source could not turn into a valid envelope (a row that does not map, a malformed blob
 * line), on its way to the dead-letter topic. The input travels as it was read; why and where from
 * ride in headers (see {@link KafkaDeadLetters}).
 *
 * @param source   the source that gave up on it ({@code pulse.source})
 * @param key      record key, e.g. {@code orders/42}; may be null
 * @param value    the input as read (a row as JSON, a line's bytes); may be null
 * @param error    what was wrong: class ({@code pulse.error.class}) and message ({@code pulse.error.message})
 * @param origin   where in the source it came from, each entry a {@code pulse.origin.<name>} header, e.g.
 *                 {@code table=orders, row-id=42} or {@code blob=drop/2024-05-01.csv, line=17}
 * @param failedAt when the source gave up ({@code pulse.retry.first-failure-time})
 */
public record DeadLetter(SourceId source, byte[] key, byte[] value, Throwable error, Map<String, String> origin, Instant failedAt) {
    public DeadLetter {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(failedAt, "failedAt");
        origin = Map.copyOf(origin);
    }
}
