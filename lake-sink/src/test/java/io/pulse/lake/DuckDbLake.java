package io.pulse.lake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the lake the way an analyst would: DuckDB over every committed Parquet file, Hive partitions on. */
public final class DuckDbLake {
    private final Path lakeDir;

    public DuckDbLake(Path lakeDir) {
        this.lakeDir = lakeDir;
    }

    /** The events dataset as a DuckDB table expression. */
    public String events() {
        return "read_parquet('" + lakeDir.resolve("events") + "/**/*.parquet', hive_partitioning=true, union_by_name=true)";
    }

    public boolean hasFiles() {
        return Files.isDirectory(lakeDir.resolve("events")) && !strings("SELECT file FROM glob('" + lakeDir.resolve("events") + "/**/*.parquet')").isEmpty();
    }

    public long rows() {
        return hasFiles() ? number("SELECT count(*) FROM " + events()) : 0;
    }

    public long distinctEventIds() {
        return hasFiles() ? number("SELECT count(DISTINCT event_id) FROM " + events()) : 0;
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
}
