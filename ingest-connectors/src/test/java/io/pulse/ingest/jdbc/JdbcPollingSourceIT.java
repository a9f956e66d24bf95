package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.avro.Envelope;
import io.pulse.avro.Purchase;
import io.pulse.ingest.delivery.DeadLetter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The poller against a real PostgreSQL server, with an in-memory delivery path. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JdbcPollingSourceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final AtomicInteger RECEIPTS = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @TempDir
    Path positions;

    private String table;
    private final List<JdbcPollingSource> sources = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void createTable() throws SQLException {
        table = "sales_" + TABLES.incrementAndGet();
        sql("CREATE TABLE " + table + " ("
                + " id bigserial PRIMARY KEY,"
                + " tenant text,"
                + " kind text NOT NULL DEFAULT 'sale',"
                + " store text NOT NULL DEFAULT 'berlin-01',"
                + " customer text,"
                + " receipt_no text NOT NULL,"
                + " sku text NOT NULL DEFAULT 'sku-1',"
                + " total numeric,"
                + " currency text NOT NULL DEFAULT 'EUR',"
                + " sold_at timestamptz NOT NULL DEFAULT now(),"
                + " updated_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))");
    }

    @AfterEach
    void closeSources() {
        sources.forEach(JdbcPollingSource::close);
    }

    // ---- incrementing mode

    @Test
    void incrementingModeDeliversEveryRowOnceInIdOrderIncludingRowsInsertedWhilePolling() throws Exception {
        insertSales(25);
        CollectingDelivery delivery = new CollectingDelivery();
        JdbcPollingSource source = start(incrementing(), delivery, new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> delivery.events().size() == 25);
        insertSales(7);
        long sentinel = insertSale("contoso", "R-sentinel");

        await().atMost(DEADLINE).until(() -> receiptNumbers(delivery).contains("R-sentinel"));
        assertThat(rowIds(delivery)).containsExactlyElementsOf(LongStream.rangeClosed(1, sentinel).boxed().toList());
        assertThat(delivery.batches()).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(10));
        assertThat(source.status().position()).isEqualTo(SourcePosition.of(sentinel));
        assertThat(source.status().state()).isEqualTo(JdbcPollingSource.State.RUNNING);
    }

    // ---- timestamp+incrementing mode

    @Test
    void timestampModeReadsManyRowsWithTheSameTimestampAcrossBatches() throws Exception {
        // One statement, one transaction: all 33 rows get the same now().
        sql("INSERT INTO " + table + " (tenant, receipt_no, total) SELECT 'contoso', 'R-' || g, 10.50 FROM generate_series(1, 33) g");
        assertThat(scalar("SELECT count(DISTINCT updated_at) FROM " + table)).isEqualTo(1);
        CollectingDelivery delivery = new CollectingDelivery();

        start(timestamped(Map.of("batch.size", "7")), delivery, new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> delivery.events().size() >= 33);
        assertThat(rowIds(delivery)).containsExactlyElementsOf(LongStream.rangeClosed(1, 33).boxed().toList());
        assertThat(delivery.batches()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void timestampModeReEmitsAnUpdatedRowAsANewEvent() throws Exception {
        insertSales(5);
        CollectingDelivery delivery = new CollectingDelivery();
        start(timestamped(Map.of()), delivery, new CollectingDeadLetters());
        await().atMost(DEADLINE).until(() -> delivery.events().size() == 5);

        sql("UPDATE " + table + " SET total = 99.90, updated_at = now() AT TIME ZONE 'UTC' WHERE id = 2");

        await().atMost(DEADLINE).until(() -> delivery.events().size() == 6);
        List<Envelope> events = delivery.events();
        assertThat(rowIds(delivery)).containsExactly(1L, 2L, 3L, 4L, 5L, 2L);
        Envelope original = events.get(1);
        Envelope update = events.get(5);
        assertThat(update.getEventId()).isNotEqualTo(original.getEventId());
        assertThat(((Purchase) update.getPayload()).getOrderId()).isEqualTo(((Purchase) original.getPayload()).getOrderId());
        assertThat(((Purchase) update.getPayload()).getTotal().getAmount()).isEqualTo(new BigDecimal("99.9000"));
    }

    @Test
    void timestampModeWaitsForRowsYoungerThanTheDelay() throws Exception {
        sql("INSERT INTO " + table + " (tenant, receipt_no, total, updated_at) VALUES"
                + " ('contoso', 'R-recent', 1, now() AT TIME ZONE 'UTC'),"
                + " ('contoso', 'R-old', 1, (now() AT TIME ZONE 'UTC') - interval '2 hours')");
        CollectingDelivery delivery = new CollectingDelivery();

        start(timestamped(Map.of("timestamp.delay", "1h")), delivery, new CollectingDeadLetters());

        // Both rows are eligible in the same poll or not at all: once the old row is here, the recent one was held back.
        await().atMost(DEADLINE).until(() -> receiptNumbers(delivery).contains("R-old"));
        assertThat(receiptNumbers(delivery)).containsExactly("R-old");
    }

    // ---- restarts and durability

    @Test
    void aRestartedSourceDeliversExactlyTheRowsWrittenNoDuplicatesNoneSkipped() throws Exception {
        insertSales(20);
        CollectingDelivery firstRun = new CollectingDelivery();
        JdbcPollingSource first = start(timestamped(Map.of("batch.size", "6")), firstRun, new CollectingDeadLetters());
        await().atMost(DEADLINE).until(() -> firstRun.events().size() == 20);
        first.close();

        insertSales(15);
        sql("UPDATE " + table + " SET total = 1.25, updated_at = now() AT TIME ZONE 'UTC' WHERE id = 3");
        long sentinel = insertSale("contoso", "R-sentinel");
        CollectingDelivery secondRun = new CollectingDelivery();
        JdbcPollingSource second = start(timestamped(Map.of("batch.size", "6")), secondRun, new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> receiptNumbers(secondRun).contains("R-sentinel"));
        List<Long> secondIds = rowIds(secondRun);
        assertThat(secondIds).as("only what was written while the source was down")
                .containsExactlyInAnyOrderElementsOf(concat(LongStream.rangeClosed(21, sentinel).boxed().toList(), List.of(3L)));
        List<String> allEventIds = new ArrayList<>();
        firstRun.events().forEach(e -> allEventIds.add(e.getEventId()));
        secondRun.events().forEach(e -> allEventIds.add(e.getEventId()));
        assertThat(allEventIds).doesNotHaveDuplicates().hasSize(20 + 15 + 1 + 1);
        assertThat(second.status().rowsRead()).isEqualTo(17);
    }

    @Test
    void aBatchReadAgainAfterACrashBeforeThePositionWasStoredCarriesTheSameEventIds() throws Exception {
        insertSales(4);
        CollectingDelivery firstRun = new CollectingDelivery();
        JdbcSourceConfig config = timestamped(Map.of());
        JdbcPollingSource first = start(config, firstRun, new CollectingDeadLetters());
        await().atMost(DEADLINE).until(() -> firstRun.events().size() == 4);
        first.close();
        // The crash: delivered, but the position never reached the disk.
        Files.delete(config.positionFile());

        CollectingDelivery secondRun = new CollectingDelivery();
        start(config, secondRun, new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> secondRun.events().size() == 4);
        assertThat(secondRun.events()).extracting(Envelope::getEventId)
                .containsExactlyElementsOf(firstRun.events().stream().map(Envelope::getEventId).toList());
    }

    @Test
    void aFailingDeliveryDoesNotMoveThePositionAndTheBatchIsRetried() throws Exception {
        insertSales(3);
        CollectingDelivery delivery = new CollectingDelivery().refuseNext(Integer.MAX_VALUE);
        JdbcSourceConfig config = timestamped(Map.of());
        JdbcPollingSource source = start(config, delivery, new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> delivery.attempts() >= 3);
        assertThat(source.status().state()).isEqualTo(JdbcPollingSource.State.RETRYING);
        assertThat(source.status().position()).isEqualTo(SourcePosition.START);
        assertThat(source.status().lastError()).hasValueSatisfying(e -> assertThat(e).contains("was not made durable"));
        assertThat(config.positionFile()).doesNotExist();

        delivery.refuseNext(0);

        await().atMost(DEADLINE).until(() -> delivery.events().size() == 3);
        assertThat(rowIds(delivery)).containsExactly(1L, 2L, 3L);
        await().atMost(DEADLINE).until(() -> source.status().position().lastId() == 3);
        assertThat(config.positionFile()).exists();
    }

    @Test
    void stopsAfterTheConfiguredNumberOfRetries() throws Exception {
        insertSales(1);
        CollectingDelivery delivery = new CollectingDelivery().refuseNext(Integer.MAX_VALUE);
        JdbcPollingSource source = start(timestamped(Map.of("retry.max-retries", "2")), delivery, new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> source.status().state() == JdbcPollingSource.State.FAILED);
        assertThat(delivery.attempts()).isEqualTo(3);
    }

    @Test
    void survivesTheLossOfItsDatabaseConnection() throws Exception {
        insertSales(3);
        CollectingDelivery delivery = new CollectingDelivery();
        start(timestamped(Map.of("url", postgres.getJdbcUrl("postgres", "postgres") + "&ApplicationName=pulse-poller-" + table)),
                delivery, new CollectingDeadLetters());
        await().atMost(DEADLINE).until(() -> delivery.events().size() == 3);

        assertThat(scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pulse-poller-" + table + "'"))
                .isEqualTo(1);
        insertSales(3);

        await().atMost(DEADLINE).until(() -> delivery.events().size() == 6);
        assertThat(rowIds(delivery)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    // ---- bad rows and bad setups

    @Test
    void deadLettersUnmappableRowsWithTableRowIdAndReasonAndDeliversTheRest() throws Exception {
        insertSale("contoso", "R-1");
        insertSale(null, "R-2");
        sql("INSERT INTO " + table + " (tenant, receipt_no, total) VALUES ('contoso', 'R-3', 12.34567)");
        sql("INSERT INTO " + table + " (tenant, receipt_no, total, currency) VALUES ('contoso', 'R-4', 5, 'euro')");
        long last = insertSale("contoso", "R-5");
        CollectingDelivery delivery = new CollectingDelivery();
        CollectingDeadLetters deadLetters = new CollectingDeadLetters();
        JdbcPollingSource source = start(timestamped(Map.of()), delivery, deadLetters);

        await().atMost(DEADLINE).until(() -> source.status().position().lastId() == last);
        assertThat(receiptNumbers(delivery)).containsExactly("R-1", "R-5");
        List<DeadLetter> letters = deadLetters.letters();
        assertThat(letters).extracting(l -> l.origin().get("row-id")).containsExactly("2", "3", "4");
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.source().value()).isEqualTo("jdbc/pos");
            assertThat(l.origin()).containsEntry("table", table).containsKey("row-timestamp");
            assertThat(new String(l.key(), StandardCharsets.UTF_8)).isEqualTo(table + "/" + l.origin().get("row-id"));
        });
        assertThat(letters).extracting(l -> l.error().getMessage()).containsExactly(
                "column 'tenant' (map.tenant.column) is NULL",
                "column 'total' (map.total.column) holds 12.34567, which has more than 4 decimal places",
                "envelope rule money.currency-code broken at payload.total.currency: currency 'euro' is not an ISO 4217 code (3 upper-case letters)");
        assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).contains("\"receipt_no\":\"R-2\"").contains("\"tenant\":null");
        assertThat(source.status().deadLettered()).isEqualTo(3);
    }

    @Test
    void stopsWithTheSqlStateWhenTheTableDoesNotExist() throws Exception {
        JdbcPollingSource source = start(timestamped(Map.of("table", "no_such_table")), new CollectingDelivery(), new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> source.status().state() == JdbcPollingSource.State.FAILED);
        assertThat(source.status().lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("SQL state 42P01:").contains("no_such_table"));
    }

    @Test
    void stopsNamingTheKeyWhenAMappedColumnIsMissing() throws Exception {
        insertSales(1);
        JdbcPollingSource source = start(timestamped(Map.of("map.customer-id.column", "loyalty_card")), new CollectingDelivery(),
                new CollectingDeadLetters());

        await().atMost(DEADLINE).until(() -> source.status().state() == JdbcPollingSource.State.FAILED);
        assertThat(source.status().lastError()).hasValueSatisfying(e ->
                assertThat(e).contains("column 'loyalty_card' ('pulse.ingest.jdbc.pos.map.customer-id.column') is not in the result"));
    }

    @Test
    void aPausedSourceReadsNothingUntilResumed() throws Exception {
        CollectingDelivery delivery = new CollectingDelivery();
        JdbcPollingSource source = start(timestamped(Map.of()), delivery, new CollectingDeadLetters());
        source.pause();
        await().atMost(DEADLINE).until(() -> source.status().state() == JdbcPollingSource.State.PAUSED);

        insertSales(2);
        assertThat(source.paused()).isTrue();
        assertThat(delivery.attempts()).isZero();

        source.resume();
        await().atMost(DEADLINE).until(() -> delivery.events().size() == 2);
    }

    // ---- helpers

    private JdbcSourceConfig incrementing() {
        Map<String, String> m = base();
        m.put("mode", "incrementing");
        m.put("map.event-time.column", "sold_at");
        m.put("batch.size", "10");
        return config(m);
    }

    private JdbcSourceConfig timestamped(Map<String, String> overrides) {
        Map<String, String> m = base();
        m.put("mode", "timestamp+incrementing");
        m.put("timestamp.column", "updated_at");
        m.put("timestamp.delay", "0s");
        m.put("map.event-time.column", "sold_at");
        m.putAll(overrides);
        return config(m);
    }

    private Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("url", postgres.getJdbcUrl("postgres", "postgres"));
        m.put("table", table);
        m.put("incrementing.column", "id");
        m.put("poll.interval", "100ms");
        m.put("retry.initial-backoff", "50ms");
        m.put("retry.max-backoff", "200ms");
        m.put("map.tenant.column", "tenant");
        m.put("map.event-type.column", "kind");
        m.put("map.event-type.values.sale", "PURCHASE");
        m.put("map.channel.value", "STORE");
        m.put("map.store-id.column", "store");
        m.put("map.customer-id.column", "customer");
        m.put("map.order-id.column", "receipt_no");
        m.put("map.total.column", "total");
        m.put("map.currency.column", "currency");
        m.put("map.product-id.column", "sku");
        return m;
    }

    private JdbcSourceConfig config(Map<String, String> suffixes) {
        Map<String, String> file = new HashMap<>();
        suffixes.forEach((k, v) -> file.put(JdbcSourceKeys.key("pos", k), v));
        return JdbcSourceConfig.load("pos", file, Map.of(), positions);
    }

    private JdbcPollingSource start(JdbcSourceConfig config, CollectingDelivery delivery, CollectingDeadLetters deadLetters) {
        JdbcPollingSource source = new JdbcPollingSource(config, delivery, deadLetters, Clock.systemUTC());
        sources.add(source);
        source.start();
        return source;
    }

    private void insertSales(int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            insertSale("contoso", null);
        }
    }

    /** Inserts a sale in its own transaction and returns its id. */
    private long insertSale(String tenant, String receipt) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             var ps = c.prepareStatement("INSERT INTO " + table + " (tenant, receipt_no, customer, total) VALUES (?, ?, 'c-1', 19.99) RETURNING id")) {
            ps.setString(1, tenant);
            ps.setString(2, receipt == null ? "R-auto-" + RECEIPTS.incrementAndGet() : receipt);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long scalar(String query) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Row ids in delivery order, recovered from the order ids via the table. */
    private List<Long> rowIds(CollectingDelivery delivery) throws SQLException {
        Map<String, Long> idByReceipt = new HashMap<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT receipt_no, id FROM " + table)) {
            while (rs.next()) {
                idByReceipt.put(rs.getString(1), rs.getLong(2));
            }
        }
        return receiptNumbers(delivery).stream().map(idByReceipt::get).toList();
    }

    private static List<String> receiptNumbers(CollectingDelivery delivery) {
        return delivery.events().stream().map(e -> ((Purchase) e.getPayload()).getOrderId()).toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
