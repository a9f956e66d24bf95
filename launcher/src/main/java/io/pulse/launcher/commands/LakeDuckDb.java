package io.pulse.launcher.commands;

import io.pulse.common.config.ConfigException;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** An in-memory DuckDB session for reading the local lake, and where that lake is. */
final class LakeDuckDb {
    private LakeDuckDb() {
    }

    /** A new in-memory DuckDB whose times show in UTC, the zone of the lake's date and hour partitions. */
    static Connection open() throws SQLException {
        Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement sql = duckdb.createStatement()) {
            sql.execute("SET TimeZone = 'UTC'");
        } catch (SQLException e) {
            duckdb.close();
            throw e;
        }
        return duckdb;
    }

    /** The local lake's root, as the demo and the sink resolve it; refused when the lake is on ADLS Gen2. */
    static Path localLake(PulseConfig config) {
        if (config.lake().adls().isPresent()) {
            throw new ConfigException("'" + ConfigKeys.LAKE_STORE + "' is adls: the lake commands read a local lake ("
                    + ConfigKeys.LAKE_DIR + ") only; read ADLS Gen2 with Spark, Synapse, Fabric or DuckDB's azure extension"
                    + " (docs/analysts.md)");
        }
        return config.lake().dir();
    }
}
