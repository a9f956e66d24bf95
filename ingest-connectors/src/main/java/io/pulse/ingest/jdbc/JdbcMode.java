package io.pulse.ingest.jdbc;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the poller finds new rows (the modes of Kafka Connect's JDBC source).
 *
 * <ul>
 *   <li>{@link #INCREMENTING}: a strictly increasing id column; each row is read once, updates are
 *       not seen. For append-only tables (sales lines, visits).</li>
 *   <li>{@link #TIMESTAMP_INCREMENTING}: a last-modified timestamp, with the id as tie-breaker among
 *       rows of the same timestamp; a row is read again whenever its timestamp moves on (an update).</li>
 * </ul>
 */
public enum JdbcMode {
    INCREMENTING("incrementing"),
    TIMESTAMP_INCREMENTING("timestamp+incrementing");

    private final String id;

    JdbcMode(String id) {
        this.id = id;
    }

    /** As written in configuration. */
    public String id() {
        return id;
    }

    public boolean usesTimestamp() {
        return this == TIMESTAMP_INCREMENTING;
    }

    public static JdbcMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (JdbcMode m : values()) {
            if (m.id.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values()).map(JdbcMode::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
