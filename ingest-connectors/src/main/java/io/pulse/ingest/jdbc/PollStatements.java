package io.pulse.ingest.jdbc;

/**
 * The SQL of a poll, JDBC-generic: no LIMIT (the batch size is the statement's max rows), identifiers as
 * configured (validated, unquoted), a configured query wrapped as a derived table. Rows come in position
 * order, so the last row of a batch is the position to store.
 *
 * <pre>
 * incrementing, first poll:  SELECT * FROM t WHERE id IS NOT NULL ORDER BY id
 * incrementing:              SELECT * FROM t WHERE id > ? ORDER BY id
 * timestamp+incrementing:    SELECT * FROM t WHERE ts &lt; ? AND id IS NOT NULL [AND ((ts = ? AND id > ?) OR ts > ?)] ORDER BY ts, id
 * </pre>
 * The upper bound {@code ts < ?} is the database's current time minus the configured delay.
 */
final class PollStatements {
    private final String from;
    private final String id;
    private final String ts;

    PollStatements(JdbcSourceConfig.Polling polling) {
        this.from = polling.table().orElseGet(() -> "(" + polling.query().orElseThrow() + ") pulse_rows");
        this.id = polling.incrementingColumn();
        this.ts = polling.timestampColumn().orElse(null);
    }

    String incrementingFirst() {
        return "SELECT * FROM " + from + " WHERE " + id + " IS NOT NULL ORDER BY " + id + " ASC";
    }

    /** Parameter: the last id. */
    String incrementingNext() {
        return "SELECT * FROM " + from + " WHERE " + id + " > ? ORDER BY " + id + " ASC";
    }

    /** Parameter: the upper bound. */
    String timestampFirst() {
        return "SELECT * FROM " + from + " WHERE " + ts + " < ? AND " + id + " IS NOT NULL ORDER BY " + ts + " ASC, " + id + " ASC";
    }

    /** Parameters: the upper bound, the last timestamp, the last id, the last timestamp. */
    String timestampNext() {
        return "SELECT * FROM " + from + " WHERE " + ts + " < ? AND " + id + " IS NOT NULL AND ((" + ts + " = ? AND " + id + " > ?) OR "
                + ts + " > ?) ORDER BY " + ts + " ASC, " + id + " ASC";
    }
}
