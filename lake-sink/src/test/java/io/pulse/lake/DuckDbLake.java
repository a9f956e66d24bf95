package io.pulse.lake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;

/** Reads the lake the way an analyst would: DuckDB over every committed Parquet file, Hive partitions and schema union on. */
public final class DuckDbLake {
    private final Path lakeDir;

    public DuckDbLake(Path lakeDir) {
        this.lakeDir = lakeDir;
    }

    /** The events dataset as a DuckDB table expression. */
    public String events() {
        return table("events");
    }

    /** A dataset as a DuckDB table expression. */
    public String table(String dataset) {
        return "read_parquet('" + lakeDir.resolve(dataset) + "/**/*.parquet', hive_partitioning=true, union_by_name=true)";
    }

    public boolean hasFiles() {
        return hasFiles("events");
    }

    public boolean hasFiles(String dataset) {
        return Files.isDirectory(lakeDir.resolve(dataset))
                && !strings("SELECT file FROM glob('" + lakeDir.resolve(dataset) + "/**/*.parquet')").isEmpty();
    }

    public long rows() {
        return rows("events");
    }

    public long rows(String dataset) {
        return hasFiles(dataset) ? number("SELECT count(*) FROM " + table(dataset)) : 0;
    }

    public long distinctEventIds() {
        return hasFiles() ? number("SELECT count(DISTINCT event_id) FROM " + events()) : 0;
    }

    /** Distinct values of an expression over a dataset's rows (0 when it has no file yet). */
    public long distinct(String dataset, String expression) {
        return hasFiles(dataset) ? number("SELECT count(DISTINCT " + expression + ") FROM " + table(dataset)) : 0;
    }

    public long number(String query) {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            if (!rs.next()) {
                throw new AssertionError("no row from " + query);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + query, e);
        }
    }

    public List<String> strings(String query) {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + query, e);
        }
    }

    /**
     * Every row of a query as a list of its values in JDBC's types (BIGINT as Long, DECIMAL as BigDecimal, ...);
     * a LIST becomes a java.util.List and a STRUCT the list of its field values, so rows compare with equals.
     */
    public List<List<Object>> records(String query) {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet rs = sql.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int c = 1; c <= columns; c++) {
                    row.add(plain(rs.getObject(c)));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + query, e);
        }
    }

    private static Object plain(Object value) throws SQLException {
        if (value instanceof Array array) {
            List<Object> elements = new ArrayList<>();
            for (Object element : (Object[]) array.getArray()) {
                elements.add(plain(element));
            }
            return elements;
        }
        if (value instanceof Struct struct) {
            List<Object> fields = new ArrayList<>();
            for (Object field : struct.getAttributes()) {
                fields.add(plain(field));
            }
            return fields;
        }
        if (value instanceof Object[] objects) {
            List<Object> elements = new ArrayList<>();
            for (Object element : objects) {
                elements.add(plain(element));
            }
            return elements;
        }
        return value;
    }
}
