package io.pulse.launcher.commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local lake as DuckDB sees it: one view per dataset directory under the lake root, named after it,
 * over {@code <dataset>/**}{@code /*.parquet} with Hive partitioning and schema union. Only committed files
 * match that glob: the sink's temporaries are hidden files ending in {@code .tmp}.
 *
 * <p>Partition columns get fixed types ({@code tenant} VARCHAR, {@code date} DATE, {@code hour} INTEGER)
 * instead of DuckDB's guesses ({@code hour=07} would be text, a numeric tenant a number). Where a file
 * column has a partition's name (the sink writes {@code tenant} into each row too), DuckDB shows the
 * directory's value: the two are equal by construction.
 */
final class LakeCatalog {
    /** The datasets the lake sink writes; other directories found under the lake root are served too. */
    static final List<String> KNOWN_DATASETS = List.of("events", "metrics", "alerts");

    private static final Map<String, String> PARTITION_TYPES = Map.of("tenant", "VARCHAR", "date", "DATE", "hour", "INTEGER");
    private static final Pattern DATASET_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern MISSING_TABLE = Pattern.compile("Table with name ([A-Za-z0-9_]+) does not exist", Pattern.CASE_INSENSITIVE);

    private final Path root;
    private final Map<String, Integer> filesByDataset;

    private LakeCatalog(Path root, Map<String, Integer> filesByDataset) {
        this.root = root;
        this.filesByDataset = filesByDataset;
    }

    /** Creates a view on {@code duckdb} for each dataset under {@code lakeRoot} that has committed files. */
    static LakeCatalog attach(Connection duckdb, Path lakeRoot) throws SQLException {
        Map<String, Integer> files = new LinkedHashMap<>();
        for (String dataset : datasetDirectories(lakeRoot)) {
            Path dir = lakeRoot.resolve(dataset);
            List<String> parquet = glob(duckdb, dir);
            files.put(dataset, parquet.size());
            if (!parquet.isEmpty()) {
                try (Statement sql = duckdb.createStatement()) {
                    sql.execute("CREATE VIEW \"" + dataset + "\" AS SELECT * FROM " + readParquet(dir, Path.of(parquet.get(0))));
                }
            }
        }
        return new LakeCatalog(lakeRoot, files);
    }

    Path root() {
        return root;
    }

    /** Every dataset directory found, known datasets first, with its number of committed Parquet files (0: no view). */
    Map<String, Integer> datasets() {
        return filesByDataset;
    }

    /** The datasets that have a view. */
    List<String> queryable() {
        return filesByDataset.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
    }

    /**
     * A clearer message than DuckDB's when {@code failure} is about a dataset without files, or a lake without
     * any; empty when the failure is about something else.
     */
    Optional<String> explain(SQLException failure) {
        Matcher m = MISSING_TABLE.matcher(String.valueOf(failure.getMessage()));
        if (!m.find()) {
            return Optional.empty();
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        if (!KNOWN_DATASETS.contains(name) && !filesByDataset.containsKey(name)) {
            return Optional.empty();
        }
        if (queryable().isEmpty()) {
            return Optional.of("the lake at " + root + " has no data yet: run ./pulse demo (or ./pulse lake sink) to fill it,"
                    + " or point --data-dir or pulse.lake.dir at an existing lake");
        }
        return Optional.of("dataset '" + name + "' has no files yet under " + root.resolve(name)
                + ": is the lake sink running? (datasets with files: " + String.join(", ", queryable()) + ")");
    }

    /** The {@code read_parquet(...)} expression of one dataset; its partition keys are read off a sample file's path. */
    private static String readParquet(Path datasetDir, Path sampleFile) {
        StringBuilder hiveTypes = new StringBuilder();
        for (Path segment : datasetDir.relativize(sampleFile.getParent())) {
            String s = segment.toString();
            int eq = s.indexOf('=');
            String type = eq > 0 ? PARTITION_TYPES.get(s.substring(0, eq)) : null;
            if (type != null) {
                hiveTypes.append(hiveTypes.isEmpty() ? "" : ", ").append(literal(s.substring(0, eq))).append(": ").append(type);
            }
        }
        // DuckDB refuses a hive_types entry that is not a partition of the files, so only keys present are typed.
        return "read_parquet(" + literal(pattern(datasetDir)) + ", hive_partitioning = true, union_by_name = true"
                + (hiveTypes.isEmpty() ? "" : ", hive_types = {" + hiveTypes + "}") + ")";
    }

    /** The committed Parquet files of a dataset, as DuckDB's glob (the one the view uses) finds them. */
    static List<String> glob(Connection duckdb, Path datasetDir) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement sql = duckdb.createStatement();
             ResultSet rs = sql.executeQuery("SELECT file FROM glob(" + literal(pattern(datasetDir)) + ") ORDER BY file")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    private static String pattern(Path datasetDir) {
        return datasetDir + "/**/*.parquet";
    }

    /** Sub-directories of the lake root usable as view names, known datasets first. */
    private static List<String> datasetDirectories(Path lakeRoot) {
        if (!Files.isDirectory(lakeRoot)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(lakeRoot)) {
            List<String> found = children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> DATASET_NAME.matcher(n).matches()).sorted().toList();
            Set<String> ordered = new LinkedHashSet<>();
            KNOWN_DATASETS.stream().filter(found::contains).forEach(ordered::add);
            ordered.addAll(found);
            return new ArrayList<>(ordered);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lake directory " + lakeRoot, e);
        }
    }

    /** A SQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
