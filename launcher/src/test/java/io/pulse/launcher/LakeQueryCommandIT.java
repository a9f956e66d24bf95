package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Envelope;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.ingest.delivery.EventPublisher;
import io.pulse.ingest.generator.RetailTrafficGenerator;
import io.pulse.lake.LakeSink;
import io.pulse.lake.store.LakeStores;
import io.pulse.launcher.commands.LakeQueryCommand;
import io.pulse.launcher.wiring.EmbeddedInfrastructure;
import io.pulse.launcher.wiring.PulsePipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pulse lake query} and {@code pulse lake datasets} over a lake the real sink wrote from a real broker:
 * output formats, the dataset views (Hive partition types, schema union, hidden temporaries), the messages
 * for a dataset or lake without files, SQL errors, and where the lake is found.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LakeQueryCommandIT {
    private static final List<String> TENANTS = List.of("contoso", "fabrikam", "northwind");
    private static final int EVENTS = 600;
    private static final long SEED = 42L;

    @TempDir
    static Path dataDir;
    private static Path lake;
    private static List<Envelope> events;

    @TempDir
    Path scratch;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Publishes the events to a real broker and lets the real sink write them into {@code <dataDir>/lake}. */
    @BeforeAll
    static void writeLake() throws Exception {
        PulseConfig config = LocalPulse.config(dataDir, Map.of(ConfigKeys.LAKE_FLUSH_INTERVAL, "500ms"));
        lake = config.lake().dir();
        events = generate();
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(config)) {
            SerdeFactory serdes = PulsePipeline.registrySerdes(infra.registryUrl());
            try (EventPublisher publisher = new EventPublisher(infra.clients(), serdes.forValue(TopicCatalogue.EVENTS).serializer(), "lake-query-it")) {
                CompletableFuture.allOf(events.stream().map(publisher::publish).toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            try (LakeSink sink = LakeSink.create(config.lake(), infra.clients(), serdes, LakeStores.open(config.lake()))) {
                Thread thread = new Thread(sink, "lake-query-it-sink");
                thread.start();
                await("the sink writes all " + EVENTS + " events").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> rowsOnDisk() == EVENTS);
            }
        }
    }

    @Test
    void tablePrintsAlignedColumnsWithAHeaderAndARowCount() {
        int exit = run("lake", "query", "--data-dir", dataDir.toString(),
                "SELECT tenant, count(*) AS events FROM events GROUP BY tenant ORDER BY tenant");

        assertThat(exit).as(err.toString()).isZero();
        Map<String, Long> expected = perTenant();
        List<String> lines = new ArrayList<>();
        lines.add(" tenant    | events");
        lines.add("-----------+--------");
        expected.forEach((tenant, n) -> lines.add(String.format(" %-9s | %6d", tenant, n)));
        lines.add("(3 rows)");
        assertThat(out.toString().lines().toList()).isEqualTo(lines);
    }

    @Test
    void csvQuotesWhereNeededAndKeepsDecimalsExact() {
        Envelope purchase = firstPurchase();
        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "--format", "csv",
                "SELECT event_id, order_total, 'a,\"b' AS quoted, NULL AS nothing FROM events WHERE event_id = '" + purchase.getEventId() + "'");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("event_id,order_total,quoted,nothing\r\n"
                + purchase.getEventId() + "," + orderTotal(purchase).setScale(4).toPlainString() + ",\"a,\"\"b\",\r\n");
    }

    @Test
    void jsonIsOneArrayWithExactDecimalsIsoTimesAndTypedPartitions() throws Exception {
        Envelope purchase = firstPurchase();
        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "--format", "json",
                "SELECT event_id, event_time, order_total, line_items, tenant, date, hour FROM events WHERE event_id = '"
                        + purchase.getEventId() + "'");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"order_total\":" + orderTotal(purchase).setScale(4).toPlainString() + ",");
        JsonNode rows = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(out.toString());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("event_id").asText()).isEqualTo(purchase.getEventId());
        assertThat(Instant.parse(row.get("event_time").asText())).isEqualTo(purchase.getEventTime());
        assertThat(row.get("event_time").asText()).endsWith("Z");
        assertThat(row.get("order_total").decimalValue()).isEqualByComparingTo(orderTotal(purchase));
        assertThat(row.get("line_items").isArray()).isTrue();
        assertThat(row.get("line_items").get(0).has("product_id")).isTrue();
        assertThat(row.get("tenant").asText()).isEqualTo(purchase.getTenant());
        assertThat(row.get("date").asText()).isEqualTo(purchase.getEventTime().atZone(ZoneOffset.UTC).toLocalDate().toString());
        assertThat(row.get("hour").isInt()).isTrue();
        assertThat(row.get("hour").asInt()).isEqualTo(purchase.getEventTime().atZone(ZoneOffset.UTC).getHour());
    }

    @Test
    void partitionColumnsAreTypedAndTenantComesOutOnce() {
        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "--format", "csv",
                "SELECT typeof(tenant) AS t, typeof(date) AS d, typeof(hour) AS h,"
                        + " (SELECT count(*) FROM (DESCRIBE events) WHERE column_name = 'tenant') AS tenant_columns FROM events LIMIT 1");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("t,d,h,tenant_columns\r\nVARCHAR,DATE,INTEGER,1\r\n");
    }

    @Test
    void theSqlCanComeFromAFile() throws Exception {
        Path sql = Files.writeString(scratch.resolve("count.sql"), "-- how many\nSELECT count(DISTINCT event_id) AS ids FROM events;\n");

        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "--format", "csv", "--file", sql.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("ids\r\n" + EVENTS + "\r\n");
    }

    @Test
    void aDatasetWithoutFilesIsNamedWithItsDirectory() {
        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "SELECT count(*) FROM metrics");

        assertThat(exit).isEqualTo(LakeQueryCommand.EXIT_QUERY_FAILED);
        assertThat(err.toString()).contains("dataset 'metrics' has no files yet under " + lake.resolve("metrics") + ": is the lake sink running?");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anEmptyLakeNamesItsDirectoryAndPointsAtTheDemo() {
        Path empty = scratch.resolve("nothing-here");

        int exit = run("lake", "query", "--data-dir", empty.toString(), "SELECT count(*) FROM events");

        assertThat(exit).isEqualTo(LakeQueryCommand.EXIT_QUERY_FAILED);
        assertThat(err.toString()).contains("the lake at " + empty.resolve("lake") + " has no data yet").contains("./pulse demo");
    }

    @Test
    void aSqlErrorExitsNonZeroWithDuckDbsMessage() {
        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "SELEC count(*) FROM events");

        assertThat(exit).isEqualTo(LakeQueryCommand.EXIT_QUERY_FAILED);
        assertThat(err.toString()).contains("Parser Error").contains("SELEC");
    }

    @Test
    void anUnknownTableKeepsDuckDbsSuggestion() {
        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "SELECT count(*) FROM eventz");

        assertThat(exit).isEqualTo(LakeQueryCommand.EXIT_QUERY_FAILED);
        assertThat(err.toString()).contains("eventz").contains("events");
    }

    @Test
    void theLakeDirectoryResolvesAsTheDemosDoes() throws Exception {
        String count = "SELECT count(*) AS n FROM events";
        Path elsewhere = scratch.resolve("other-data-dir");
        Path config = Files.writeString(scratch.resolve("pulse.properties"), ConfigKeys.LAKE_DIR + "=" + lake + "\n");

        assertThat(run("lake", "query", "--format", "csv", "--data-dir", dataDir.toString(), count)).isZero();
        assertThat(run("lake", "query", "--format", "csv", "--data-dir", elsewhere.toString(), "--set", ConfigKeys.LAKE_DIR + "=" + lake, count)).isZero();
        assertThat(run("lake", "query", "--format", "csv", "--data-dir", elsewhere.toString(), "--config", config.toString(), count)).isZero();

        assertThat(out.toString()).as(err.toString()).isEqualTo(("n\r\n" + EVENTS + "\r\n").repeat(3));
    }

    @Test
    void readersSeeTheUnionOfSchemasAndNeverATemporaryFile() throws Exception {
        // A copy of the lake with a sink temporary left by a crash and a file written with a newer schema (one more column).
        Path copy = scratch.resolve("lake");
        try (Stream<Path> files = Files.walk(lake)) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(lake.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path hour = copy.resolve("events/tenant=contoso/date=2030-01-01/hour=05");
        Files.createDirectories(hour);
        Files.write(hour.resolve(".pulse.events.v1+0.0b8a6c1e-crash.tmp"), new byte[] {1, 2, 3});
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            sql.execute("COPY (SELECT 'newer-1' AS event_id, 'contoso' AS tenant, 'LOYALTY' AS loyalty_tier) TO '"
                    + hour.resolve("pulse.events.v1+0+99999+99999.parquet") + "' (FORMAT parquet)");
        }

        int exit = run("lake", "query", "--set", ConfigKeys.LAKE_DIR + "=" + copy, "--format", "csv",
                "SELECT count(*) AS n, count(loyalty_tier) AS with_tier, count(*) FILTER (WHERE event_time IS NULL) AS without_time FROM events");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("n,with_tier,without_time\r\n" + (EVENTS + 1) + ",1,1\r\n");
    }

    @Test
    void datasetsListsFilesRowsAndColumns() throws Exception {
        int exit = run("lake", "datasets", "--data-dir", dataDir.toString());

        assertThat(exit).as(err.toString()).isZero();
        long files;
        try (Stream<Path> all = Files.walk(lake.resolve("events"))) {
            files = all.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        }
        assertThat(out.toString())
                .contains("Lake at " + lake)
                .containsPattern("events +" + String.format("%,d", files) + " files?, " + String.format("%,d", EVENTS) + " rows")
                .containsPattern("\n  event_id +VARCHAR\n")
                .containsPattern("\n  order_total +DECIMAL\\(18,4\\)\n")
                .containsPattern("\n  date +DATE\n")
                .containsPattern("\n  hour +INTEGER\n")
                .containsPattern("metrics +no files yet")
                .containsPattern("alerts +no files yet");
    }

    @Test
    void sqlAsArgumentAndFileTogetherIsAUsageError() throws Exception {
        Path sql = Files.writeString(scratch.resolve("q.sql"), "SELECT 1");

        int exit = run("lake", "query", "--data-dir", dataDir.toString(), "--file", sql.toString(), "SELECT 2");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("either as an argument or with --file");
    }

    private int run(String... args) {
        CommandLine cmd = PulseCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    /** N events over three hours of event time, deterministic by seed. */
    private static List<Envelope> generate() {
        RetailTrafficGenerator generator = new RetailTrafficGenerator(TENANTS, SEED);
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        List<Envelope> list = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            list.add(generator.next(base.plusSeconds(i * 18L)));
        }
        return list;
    }

    private static long rowsOnDisk() throws Exception {
        String glob = lake.resolve("events") + "/**/*.parquet";
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             var rs = sql.executeQuery("SELECT count(*) FROM glob('" + glob + "')")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return 0;
            }
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             var rs = sql.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> perTenant() {
        Map<String, Long> counts = new TreeMap<>();
        events.forEach(e -> counts.merge(e.getTenant(), 1L, Long::sum));
        return counts;
    }

    private static Envelope firstPurchase() {
        return events.stream().filter(e -> e.getPayload() instanceof io.pulse.avro.Purchase)
                .min(Comparator.comparing(Envelope::getEventId)).orElseThrow();
    }

    private static BigDecimal orderTotal(Envelope purchase) {
        return ((io.pulse.avro.Purchase) purchase.getPayload()).getTotal().getAmount();
    }
}
