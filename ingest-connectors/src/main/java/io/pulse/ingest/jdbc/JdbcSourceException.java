package io.pulse.ingest.jdbc;

/**
 * A failure of the JDBC source that is not an SQLException of the driver: a setup the database does not
 * match (a missing column), a position file that belongs elsewhere, a batch that did not become durable.
 * It says itself whether polling again can help.
 */
public final class JdbcSourceException extends Exception {
    private final boolean retriable;

    private JdbcSourceException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Polling again later can succeed (the delivery path or a file system was briefly unavailable). */
    public static JdbcSourceException retriable(String message, Throwable cause) {
        return new JdbcSourceException(message, cause, true);
    }

    /** Polling again cannot help until an operator changes configuration, schema or files. */
    public static JdbcSourceException permanent(String message) {
        return new JdbcSourceException(message, null, false);
    }

    public boolean isRetriable() {
        return retriable;
    }
}
