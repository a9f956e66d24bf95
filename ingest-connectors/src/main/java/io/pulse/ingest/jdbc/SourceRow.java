package io.pulse.ingest.jdbc;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One row as read, detached from the result set: its position and its column values (keyed by the
 * lower-cased column label; Long, BigDecimal, Instant, String or null).
 */
public record SourceRow(SourcePosition position, Map<String, Object> values) {

    public SourceRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public long id() {
        return position.lastId();
    }

    public Optional<Instant> timestamp() {
        return position.lastTimestamp();
    }

    /** The value of a column (null when NULL); column names are case-insensitive. */
    public Object get(String column) {
        return values.get(column.toLowerCase(Locale.ROOT));
    }
}
