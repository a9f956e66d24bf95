package io.pulse.api.query;

import java.time.Instant;

/**
 * One window of one key of a window store.
 *
 * @param key the store key ({@code tenant}, or {@code tenant/store/channel})
 */
public record WindowRow<V>(String key, Instant start, Instant end, V value) {
}
