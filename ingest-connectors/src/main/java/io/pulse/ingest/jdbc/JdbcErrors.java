package io.pulse.ingest.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.Set;

/**
 * Which failures of a poll are worth retrying (with backoff) and which stop the source.
 *
 * <p>Retriable: the connection is gone or cannot be made (SQL state class 08), the transaction lost a
 * conflict (class 40: serialization failure, deadlock), the server is short of resources (53) or shutting
 * down or restarting (57P01 to 57P03), a statement timed out (57014, HYT00/HYT01), an I/O error on the
 * server (58), the driver's transient and recoverable exceptions, a batch the delivery path could not make
 * durable, and I/O errors writing the position file. Everything else is permanent: bad SQL (42: syntax, no
 * such table or column), wrong credentials (28), no such database (3D000), data the setup cannot read, a
 * schema that does not match the configuration. Unknown failures are permanent too: retrying a bug only
 * hides it.
 */
public final class JdbcErrors {
    private static final Set<String> RETRIABLE_CLASSES = Set.of("08", "40", "53", "58");
    private static final Set<String> RETRIABLE_STATES = Set.of("57P01", "57P02", "57P03", "57014", "HYT00", "HYT01");

    private JdbcErrors() {
    }

    public static boolean isRetriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JdbcSourceException e) {
                return e.isRetriable();
            }
            if (t instanceof SQLException e) {
                String state = e.getSQLState();
                if (state != null && state.length() == 5) {
                    return RETRIABLE_STATES.contains(state) || RETRIABLE_CLASSES.contains(state.substring(0, 2));
                }
                if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
                    return true;
                }
                if (e instanceof SQLNonTransientException) {
                    return false;
                }
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The first SQL state in the cause chain, for logs and status. */
    public static Optional<String> sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                return Optional.of(e.getSQLState());
            }
        }
        return Optional.empty();
    }
}
