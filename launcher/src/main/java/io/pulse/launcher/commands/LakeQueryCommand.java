package io.pulse.launcher.commands;

import io.pulse.common.config.PulseConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pulse lake query}: DuckDB SQL over the local lake, each dataset a table named after it. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run DuckDB SQL over the local lake; each dataset is a table named after it.",
                "",
                "The lake is pulse.lake.dir (by default <data-dir>/lake, as for ./pulse demo). The tables events, "
                        + "metrics and alerts have the Hive partition columns tenant, date (DATE) and hour (INTEGER, UTC); "
                        + "files written with different schema versions are read as their union. Times are shown in UTC.",
                "",
                "  ./pulse lake query \"SELECT tenant, count(*) FROM events GROUP BY tenant\"",
                ""},
        footer = {"", "./pulse lake datasets lists the datasets and their columns; docs/analysts.md has example questions."})
public final class LakeQueryCommand implements Callable<Integer> {
    /** Exit code of a query that failed: a SQL error, a dataset without files, a lake DuckDB cannot read. */
    public static final int EXIT_QUERY_FAILED = 1;

    @Mixin
    ConfigOptions options;

    @Parameters(arity = "0..1", paramLabel = "SQL", description = "The SQL to run (or --file).")
    String sql;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the SQL from this file instead.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
            description = "table (the default), csv or json.")
    LakeResultWriter.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String query = query();
        PulseConfig config = options.load(Map.of());
        Path lake = LakeDuckDb.localLake(config);
        PrintWriter err = spec.commandLine().getErr();
        try (Connection duckdb = LakeDuckDb.open()) {
            LakeCatalog catalog = LakeCatalog.attach(duckdb, lake);
            try (Statement statement = duckdb.createStatement()) {
                if (!statement.execute(query)) {
                    spec.commandLine().getOut().println("OK");
                    spec.commandLine().getOut().flush();
                    return 0;
                }
                try (ResultSet rs = statement.getResultSet()) {
                    LakeResultWriter.write(rs, format, spec.commandLine().getOut());
                }
                return 0;
            } catch (SQLException e) {
                err.println(spec.commandLine().getColorScheme().errorText(catalog.explain(e).orElse(e.getMessage())));
                return EXIT_QUERY_FAILED;
            }
        } catch (SQLException e) {
            err.println(spec.commandLine().getColorScheme().errorText("cannot open the lake at " + lake + " in DuckDB: " + e.getMessage()));
            return EXIT_QUERY_FAILED;
        } finally {
            err.flush();
        }
    }

    private String query() {
        if ((sql == null) == (file == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the SQL either as an argument or with --file, not "
                    + (sql == null ? "neither" : "both"));
        }
        if (sql != null) {
            return sql;
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the SQL file '" + file + "': " + e);
        }
    }

    static final class FormatConverter extends EnumOption<LakeResultWriter.Format> {
        FormatConverter() {
            super(LakeResultWriter.Format.class);
        }
    }
}
