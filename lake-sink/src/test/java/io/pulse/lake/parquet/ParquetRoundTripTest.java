package io.pulse.lake.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.WindowedMetrics;
import io.pulse.avro.lake.LakeEventRow;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.DuckDbLake;
import io.pulse.lake.TestEvents;
import io.pulse.lake.TestResults;
import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.layout.HourlyLayout;
import io.pulse.lake.mapping.LakeEventMapper;
import io.pulse.lake.mapping.Pseudonymiser;
import io.pulse.lake.mapping.RecordOrigin;
import io.pulse.lake.store.CommitOutcome;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LocalLakeStore;
import io.pulse.lake.store.TemporaryFile;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetRoundTripTest {
    private static final String TOPIC = "pulse.events.v1";

    @TempDir
    Path lakeDir;

    private LocalLakeStore store;
    private final LakeEventMapper mapper = new LakeEventMapper(new Pseudonymiser("a-test-key-of-some-length"));

    @BeforeEach
    void setUp() {
        store = new LocalLakeStore(lakeDir);
    }

    @Test
    void rowsReadBackWithTheirColumnsDecimalsAndPartitionColumns() throws Exception {
        List<LakeEventRow> rows = List.of(
                mapper.toRow(TestEvents.pageView("e-1", "contoso"), new RecordOrigin(TOPIC, 2, 10)),
                mapper.toRow(TestEvents.productView("e-2", "contoso"), new RecordOrigin(TOPIC, 2, 11)),
                mapper.toRow(TestEvents.addToCart("e-3", "contoso"), new RecordOrigin(TOPIC, 2, 12)),
                mapper.toRow(TestEvents.base("e-4", "fabrikam", io.pulse.avro.EventType.PURCHASE,
                        TestEvents.purchase("x", "fabrikam").getPayload()).setEventTime(Instant.parse("2024-05-02T00:00:00Z")).build(),
                        new RecordOrigin(TOPIC, 2, 13)));
        writeBatch(rows, 10, 13);

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
            String events = "read_parquet('" + lakeDir + "/events/**/*.parquet', hive_partitioning=true, union_by_name=true)";

            assertThat(single(sql, "SELECT count(*) FROM " + events)).isEqualTo(4L);

            Map<String, String> types = new LinkedHashMap<>();
            try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM " + events)) {
                while (rs.next()) {
                    types.put(rs.getString("column_name"), rs.getString("column_type"));
                }
            }
            assertThat(types).containsEntry("unit_price", "DECIMAL(18,4)")
                    .containsEntry("order_total", "DECIMAL(18,4)")
                    .containsEntry("kafka_offset", "BIGINT")
                    .containsEntry("kafka_partition", "INTEGER")
                    .containsKeys("event_time", "tenant", "date", "hour", "line_items");
            assertThat(types.get("event_time")).startsWith("TIMESTAMP");

            try (ResultSet rs = sql.executeQuery("SELECT event_type, unit_price, order_total, currency, quantity, page_url, product_id,"
                    + " tenant, CAST(date AS VARCHAR) AS d, CAST(hour AS INTEGER) AS h, kafka_topic, kafka_partition, kafka_offset,"
                    + " epoch_ms(event_time) AS t, len(line_items) AS lines, line_items[2].unit_price AS line2_price"
                    + " FROM " + events + " ORDER BY kafka_offset")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("event_type")).isEqualTo("PAGE_VIEW");
                assertThat(rs.getString("page_url")).isEqualTo("https://shop.example/home");
                assertThat(rs.getBigDecimal("unit_price")).isNull();
                assertThat(rs.getString("tenant")).isEqualTo("contoso");
                assertThat(rs.getString("d")).isEqualTo("2024-05-01");
                assertThat(rs.getInt("h")).isEqualTo(13);
                assertThat(rs.getLong("t")).isEqualTo(TestEvents.EVENT_TIME.toEpochMilli());
                assertThat(rs.getString("kafka_topic")).isEqualTo(TOPIC);
                assertThat(rs.getInt("kafka_partition")).isEqualTo(2);
                assertThat(rs.getLong("kafka_offset")).isEqualTo(10);

                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("event_type")).isEqualTo("PRODUCT_VIEW");
                assertThat(rs.getBigDecimal("unit_price")).isEqualTo(new BigDecimal("59.9000"));
                assertThat(rs.getString("currency")).isEqualTo("EUR");

                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("event_type")).isEqualTo("ADD_TO_CART");
                assertThat(rs.getBigDecimal("unit_price")).isEqualTo(new BigDecimal("12.3400"));
                assertThat(rs.getInt("quantity")).isEqualTo(3);
                assertThat(rs.getString("product_id")).isEqualTo("sku-2");

                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("event_type")).isEqualTo("PURCHASE");
                assertThat(rs.getBigDecimal("order_total")).isEqualTo(new BigDecimal("96.9200"));
                assertThat(rs.getInt("lines")).isEqualTo(2);
                assertThat(rs.getBigDecimal("line2_price")).isEqualTo(new BigDecimal("12.3400"));
                assertThat(rs.getString("tenant")).isEqualTo("fabrikam");
                assertThat(rs.getString("d")).isEqualTo("2024-05-02");
                assertThat(rs.getInt("h")).isZero();
                assertThat(rs.next()).isFalse();
            }

            assertThat(single(sql, "SELECT sum(order_total) FROM " + events)).isEqualTo(new BigDecimal("96.9200"));
            assertThat(single(sql, "SELECT string_agg(DISTINCT compression, ',') FROM parquet_metadata('" + lakeDir
                    + "/events/**/*.parquet')")).isEqualTo(LakeParquetWriter.CODEC.name());
        }
    }

    @Test
    void metricsInTheirWriterSchemaReadBackWithNestedRevenueDecimalsAndTimestamps() throws Exception {
        SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
        WindowedMetrics metrics = TestResults.metrics("contoso", "store-1", Instant.parse("2024-05-01T10:00:00Z"), true);
        byte[] wire = serdes.forValue(TopicCatalogue.METRICS).serializer().serialize(TopicCatalogue.METRICS.name(), metrics);
        GenericRecord asWritten = serdes.generic(false).deserializer().deserialize(TopicCatalogue.METRICS.name(), wire);
        LakeDirectory directory = HourlyLayout.directoryOf("metrics", "contoso", metrics.getWindowStart());
        TemporaryFile temp = store.createTemporary(directory, "t+0");
        try (LakeParquetWriter writer = LakeParquetWriter.open(store.openForWrite(temp), temp.relativePath(), asWritten.getSchema(), 1 << 20)) {
            writer.write(asWritten);
        }
        store.commitIfAbsent(temp, "t+0+0+0.parquet");

        DuckDbLake lake = new DuckDbLake(lakeDir);
        Map<String, String> types = new LinkedHashMap<>();
        for (List<Object> column : lake.records("DESCRIBE SELECT * FROM " + lake.table("metrics"))) {
            types.put((String) column.get(0), (String) column.get(1));
        }
        assertThat(types.get("revenue")).isEqualTo(
                "STRUCT(currency VARCHAR, orders BIGINT, revenue DECIMAL(18,4), average_order_value DECIMAL(18,4))[]");
        assertThat(types.get("window_start")).startsWith("TIMESTAMP");
        assertThat(lake.records("SELECT " + TestResults.METRICS_COLUMNS + " FROM " + lake.table("metrics")))
                .containsExactly(TestResults.metricsRow(metrics));
        assertThat(lake.records("SELECT revenue[1].revenue, revenue[2].average_order_value FROM " + lake.table("metrics")))
                .containsExactly(List.of(new BigDecimal("12.3456").multiply(BigDecimal.valueOf(metrics.getOrders())).setScale(4),
                        new BigDecimal("0.0001")));
    }

    private void writeBatch(List<LakeEventRow> rows, long first, long last) {
        Map<LakeDirectory, List<LakeEventRow>> byDirectory = new LinkedHashMap<>();
        for (LakeEventRow row : rows) {
            byDirectory.computeIfAbsent(HourlyLayout.directoryOf("events", row.getTenant(), row.getEventTime()), d -> new ArrayList<>()).add(row);
        }
        String name = new BatchFileName(TOPIC, 2, first, last).fileName();
        byDirectory.forEach((directory, directoryRows) -> {
            TemporaryFile temp = store.createTemporary(directory, BatchFileName.ownerTag(TOPIC, 2));
            try (LakeParquetWriter writer = LakeParquetWriter.open(store.openForWrite(temp), temp.relativePath(), LakeEventRow.getClassSchema(),
                    1 << 20)) {
                directoryRows.forEach(writer::write);
            }
            assertThat(store.commitIfAbsent(temp, name)).isEqualTo(CommitOutcome.COMMITTED);
        });
    }

    private static Object single(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            assertThat(rs.next()).as("a row from %s", query).isTrue();
            return rs.getObject(1);
        }
    }
}
