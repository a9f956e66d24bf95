package io.pulse.launcher.commands;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pulse lake datasets}: what {@code pulse lake query} can read, for newcomers to the lake. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = {"List the local lake's datasets with their files, rows and columns.",
                "",
                "The datasets are the tables of ./pulse lake query; the columns show DuckDB's types."})
public final class LakeDatasetsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path lake = LakeDuckDb.localLake(options.load(Map.of()));
        PrintWriter out = spec.commandLine().getOut();
        try (Connection duckdb = LakeDuckDb.open()) {
            LakeCatalog catalog = LakeCatalog.attach(duckdb, lake);
            out.println("Lake at " + lake);
            Map<String, Integer> datasets = new LinkedHashMap<>();
            LakeCatalog.KNOWN_DATASETS.forEach(d -> datasets.put(d, 0));
            datasets.putAll(catalog.datasets());
            for (Map.Entry<String, Integer> d : datasets.entrySet()) {
                describe(duckdb, d.getKey(), d.getValue(), out);
            }
            if (catalog.queryable().isEmpty()) {
                out.println();
                out.println("No data yet: run ./pulse demo (or ./pulse lake sink) to fill the lake, or point --data-dir or"
                        + " pulse.lake.dir at an existing one.");
            }
            return 0;
        } catch (SQLException e) {
            spec.commandLine().getErr().println(spec.commandLine().getColorScheme().errorText(
                    "cannot read the lake at " + lake + " with DuckDB: " + e.getMessage()));
            return LakeQueryCommand.EXIT_QUERY_FAILED;
        } finally {
            out.flush();
            spec.commandLine().getErr().flush();
        }
    }

    private static void describe(Connection duckdb, String dataset, int files, PrintWriter out) throws SQLException {
        out.println();
        if (files == 0) {
            out.printf("%-10s no files yet%n", dataset);
            return;
        }
        try (Statement sql = duckdb.createStatement()) {
            long rows;
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM \"" + dataset + "\"")) {
                rs.next();
                rows = rs.getLong(1);
            }
            out.printf("%-10s %,d %s, %,d %s%n", dataset, files, files == 1 ? "file" : "files", rows, rows == 1 ? "row" : "rows");
            try (ResultSet rs = sql.executeQuery("DESCRIBE \"" + dataset + "\"")) {
                while (rs.next()) {
                    out.printf("  %-20s %s%n", rs.getString("column_name"), rs.getString("column_type"));
                }
            }
        }
    }
}
