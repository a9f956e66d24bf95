package io.pulse.ingest.jdbc;

import static io.pulse.ingest.jdbc.JdbcSourceKeys.*;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the next batch of rows after a position, over one connection that it opens when needed and
 * drops after a failure. The first result set is checked against the configuration (id and timestamp
 * columns and every mapped column present, of usable types): a mismatch is permanent.
 *
 * <p>Timestamps are read and bound with a calendar in the configured time zone, so a TIMESTAMP WITHOUT
 * TIME ZONE column means the same instants whatever the JVM's default zone, and positions survive a
 * restart in another zone. Not thread safe: one poller thread uses it.
 */
final class RowReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RowReader.class);

    private final JdbcSourceConfig config;
    private final JdbcSourceConfig.Polling polling;
    private final PollStatements sql;
    private Connection connection;
    private boolean checked;

    RowReader(JdbcSourceConfig config) {
        this.config = config;
        this.polling = config.polling();
        this.sql = new PollStatements(polling);
    }

    /** Up to batch-size rows after the position, in position order. */
    List<SourceRow> read(SourcePosition after) throws SQLException, JdbcSourceException {
        Connection c = connection();
        Calendar zone = Calendar.getInstance(TimeZone.getTimeZone(polling.timezone()));
        String statement;
        if (polling.mode().usesTimestamp()) {
            statement = after.isStart() ? sql.timestampFirst() : sql.timestampNext();
        } else {
            statement = after.isStart() ? sql.incrementingFirst() : sql.incrementingNext();
        }
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setMaxRows(polling.batchSize());
            ps.setFetchSize(polling.batchSize());
            ps.setQueryTimeout(timeoutSeconds());
            if (polling.mode().usesTimestamp()) {
                Instant upper = databaseNow(c, zone).minus(polling.timestampDelay());
                ps.setTimestamp(1, Timestamp.from(upper), zone);
                if (!after.isStart()) {
                    Timestamp last = Timestamp.from(after.lastTimestamp().orElseThrow());
                    ps.setTimestamp(2, last, zone);
                    ps.setLong(3, after.lastId());
                    ps.setTimestamp(4, last, zone);
                }
            } else if (!after.isStart()) {
                ps.setLong(1, after.lastId());
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                Columns columns = columns(md);
                List<SourceRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row(rs, md, columns, zone));
                }
                return rows;
            }
        }
    }

    /** The database's clock: the delay is measured against the time the rows' timestamps come from. */
    private Instant databaseNow(Connection c, Calendar zone) throws SQLException, JdbcSourceException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            try (ResultSet rs = s.executeQuery(polling.currentTimeQuery())) {
                Timestamp now = rs.next() ? rs.getTimestamp(1, zone) : null;
                if (now == null) {
                    throw JdbcSourceException.permanent("'" + key(CURRENT_TIME_QUERY) + "' (" + polling.currentTimeQuery()
                            + ") returned no timestamp");
                }
                return now.toInstant();
            }
        }
    }

    private SourceRow row(ResultSet rs, ResultSetMetaData md, Columns columns, Calendar zone) throws SQLException, JdbcSourceException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            values.put(label(md, i), value(rs, md.getColumnType(i), i, zone));
        }
        Object id = values.get(columns.id);
        long rowId = id instanceof Long l ? l : ((java.math.BigDecimal) id).longValueExact();
        SourcePosition position = SourcePosition.of(rowId);
        if (columns.ts != null) {
            position = SourcePosition.of(rowId, (Instant) values.get(columns.ts));
        }
        return new SourceRow(position, values);
    }

    private static Object value(ResultSet rs, int type, int i, Calendar zone) throws SQLException {
        switch (type) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE -> {
                Timestamp t = rs.getTimestamp(i, zone);
                return t == null ? null : t.toInstant();
            }
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
                long v = rs.getLong(i);
                return rs.wasNull() ? null : v;
            }
            case Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                return rs.getBigDecimal(i);
            }
            default -> {
                return rs.getString(i);
            }
        }
    }

    private record Columns(String id, String ts) {
    }

    /** Finds the position columns and, on the first result set, checks the whole configuration against it. */
    private Columns columns(ResultSetMetaData md) throws SQLException, JdbcSourceException {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            index.put(label(md, i), i);
        }
        String id = polling.incrementingColumn().toLowerCase(Locale.ROOT);
        String ts = polling.timestampColumn().map(c -> c.toLowerCase(Locale.ROOT)).orElse(null);
        if (!checked) {
            check(md, index, id, ts);
            checked = true;
        }
        return new Columns(id, ts);
    }

    private void check(ResultSetMetaData md, Map<String, Integer> index, String id, String ts) throws SQLException, JdbcSourceException {
        List<String> problems = new ArrayList<>();
        Integer idAt = index.get(id);
        if (idAt == null) {
            problems.add("column '" + polling.incrementingColumn() + "' ('" + key(INCREMENTING_COLUMN) + "') is not in the result");
        } else if (!isInteger(md, idAt)) {
            problems.add("column '" + polling.incrementingColumn() + "' ('" + key(INCREMENTING_COLUMN) + "') must be an integer column, it is "
                    + md.getColumnTypeName(idAt));
        } else {
            warnIfNullable(md, idAt, INCREMENTING_COLUMN);
        }
        if (ts != null) {
            Integer tsAt = index.get(ts);
            if (tsAt == null) {
                problems.add("column '" + polling.timestampColumn().get() + "' ('" + key(TIMESTAMP_COLUMN) + "') is not in the result");
            } else if (!isTimestamp(md, tsAt)) {
                problems.add("column '" + polling.timestampColumn().get() + "' ('" + key(TIMESTAMP_COLUMN) + "') must be a timestamp column, it is "
                        + md.getColumnTypeName(tsAt));
            } else {
                warnIfNullable(md, tsAt, TIMESTAMP_COLUMN);
            }
        }
        for (Map.Entry<String, String> mapped : config.mapping().columnsByKey().entrySet()) {
            if (!index.containsKey(mapped.getValue().toLowerCase(Locale.ROOT))) {
                problems.add("column '" + mapped.getValue() + "' ('" + key(mapped.getKey()) + "') is not in the result");
            }
        }
        if (!problems.isEmpty()) {
            throw JdbcSourceException.permanent("the result of " + polling.relation() + " does not match the configuration: "
                    + String.join("; ", problems) + "; columns are " + index.keySet());
        }
    }

    private void warnIfNullable(ResultSetMetaData md, int at, String suffix) throws SQLException {
        if (md.isNullable(at) == ResultSetMetaData.columnNullable) {
            log.warn("JDBC source {}: column '{}' ('{}') of {} allows NULL; rows where it is NULL are never read. Declare it NOT NULL.",
                    config.name(), md.getColumnLabel(at), key(suffix), polling.relation());
        }
    }

    private static boolean isInteger(ResultSetMetaData md, int i) throws SQLException {
        int type = md.getColumnType(i);
        return type == Types.TINYINT || type == Types.SMALLINT || type == Types.INTEGER || type == Types.BIGINT
                || ((type == Types.NUMERIC || type == Types.DECIMAL) && md.getScale(i) == 0);
    }

    private static boolean isTimestamp(ResultSetMetaData md, int i) throws SQLException {
        int type = md.getColumnType(i);
        return type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE || type == Types.DATE;
    }

    private static String label(ResultSetMetaData md, int i) throws SQLException {
        return md.getColumnLabel(i).toLowerCase(Locale.ROOT);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Properties props = new Properties();
            config.connection().user().ifPresent(u -> props.setProperty("user", u));
            config.connection().password().ifPresent(p -> props.setProperty("password", p));
            Connection c = DriverManager.getConnection(config.connection().url(), props);
            try {
                c.setAutoCommit(true);
                c.setReadOnly(true);
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (polling.queryTimeout().toMillis() + 999) / 1000));
    }

    private String key(String suffix) {
        return JdbcSourceKeys.key(config.name(), suffix);
    }

    /** Drops the connection (after a failure): the next read opens a new one. */
    void reset() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            closeQuietly(c);
        }
    }

    @Override
    public void close() {
        reset();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("Closing a JDBC connection failed: {}", e.toString());
        }
    }
}
