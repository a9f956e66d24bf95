package io.pulse.lake;

import static io.pulse.lake.BatcherHarness.byRecords;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.layout.BatchFileName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records written with a newer compatible schema (registered in the registry, unknown to this build's classes)
 * land in files of their own schema, and a query with schema union over old and new files sees the new columns.
 */
class LakeSchemaEvolutionTest {
    @TempDir
    Path lakeDir;

    private BatcherHarness h;

    @BeforeEach
    void setUp() {
        h = new BatcherHarness(lakeDir);
    }

    @Test
    void newerEnvelopeFieldsBecomeColumnsAfterTheLakeRowsAndOldRowsReadThemAsNull() {
        Schema v2 = withFields(Envelope.getClassSchema(),
                new Schema.Field("loyalty_tier", Schema.create(Schema.Type.STRING), "added in v2", "none"),
                // Named like a lake column the envelope does not have: kept, under another name.
                new Schema.Field("currency", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                        "added in v2", JsonProperties.NULL_VALUE));
        LakeBatcher batcher = h.batcher(byRecords(1000));

        batcher.accept(h.topics.event(0, 0, TestEvents.pageView("a", "contoso")));
        batcher.accept(h.topics.event(0, 1, TestEvents.purchase("b", "contoso")));
        batcher.accept(h.topics.generic(TopicCatalogue.EVENTS, 0, 2, asV2(TestEvents.pageView("c", "contoso"), v2, "gold", "EUR")));
        batcher.accept(h.topics.generic(TopicCatalogue.EVENTS, 0, 3, asV2(TestEvents.purchase("d", "contoso"), v2, "silver", null)));
        batcher.accept(h.topics.event(0, 4, TestEvents.addToCart("e", "contoso")));
        batcher.commitAll();

        assertThat(h.offsetCommits).as("each change of schema committed the batch first").containsExactly(
                "offset events 0->2 after 2 rows", "offset events 0->4 after 4 rows", "offset events 0->5 after 5 rows");
        assertThat(h.lake.records("SELECT event_id, event_type, page_url, order_total IS NOT NULL, length(customer_key), loyalty_tier,"
                + " envelope_currency FROM " + h.lake.events() + " ORDER BY event_id")).containsExactly(
                row("a", "PAGE_VIEW", "https://shop.example/home", false, 64L, null, null),
                row("b", "PURCHASE", null, true, 64L, null, null),
                row("c", "PAGE_VIEW", "https://shop.example/home", false, 64L, "gold", "EUR"),
                row("d", "PURCHASE", null, true, 64L, "silver", null),
                row("e", "ADD_TO_CART", null, false, 64L, null, null));
        String v2File = lakeDir.resolve("events/tenant=contoso/date=2024-05-01/hour=13/pulse.events.v1+0+2+3.parquet").toString();
        List<Object> v2Columns = h.lake.records("DESCRIBE SELECT * FROM read_parquet('" + v2File + "', hive_partitioning=false)")
                .stream().map(c -> c.get(0)).toList();
        assertThat(v2Columns.subList(v2Columns.size() - 3, v2Columns.size()))
                .containsExactly("kafka_offset", "loyalty_tier", "envelope_currency");
    }

    @Test
    void metricsWrittenWithANewerSchemaKeepItsFields() {
        Schema v2 = withFields(WindowedMetrics.getClassSchema(),
                new Schema.Field("returns", Schema.create(Schema.Type.LONG), "added in v2", 0L));
        Instant window = Instant.parse("2024-05-01T10:00:00Z");
        GenericRecord newer = copy(TestResults.metrics("contoso", "store-2", window, true), v2);
        newer.put("returns", 3L);
        LakeBatcher batcher = h.batcher(byRecords(1000));

        batcher.accept(h.topics.metrics(0, 0, TestResults.metrics("contoso", "store-1", window, true)));
        batcher.accept(h.topics.generic(TopicCatalogue.METRICS, 0, 1, newer));
        batcher.commitAll();

        assertThat(h.committedNames("metrics")).containsExactly(
                "metrics/tenant=contoso/date=2024-05-01/hour=10/pulse.metrics.v1+0+0+0.parquet",
                "metrics/tenant=contoso/date=2024-05-01/hour=10/pulse.metrics.v1+0+1+1.parquet");
        assertThat(h.lake.records("SELECT store_id, returns, revenue[1].revenue FROM " + h.lake.table("metrics") + " ORDER BY store_id"))
                .containsExactly(row("store-1", null, eurRevenue("store-1", window)), row("store-2", 3L, eurRevenue("store-2", window)));
    }

    @Test
    void aReplayedBatchThatMixedSchemasIsRebuiltWithOneSchemaPerFile() {
        // An older sink cut batch 0..1 across a schema change; the replay must rebuild it as one file per directory.
        Schema v2 = withFields(Envelope.getClassSchema(), new Schema.Field("loyalty_tier", Schema.create(Schema.Type.STRING), null, "none"));
        LakeBatcher batcher = h.batcher(byRecords(1000));
        batcher.startReplay(new TopicPartition(TopicCatalogue.EVENTS.name(), 0), new BatchFileName(TopicCatalogue.EVENTS.name(), 0, 0, 1),
                Set.of());

        batcher.accept(h.topics.generic(TopicCatalogue.EVENTS, 0, 0, asV2(TestEvents.pageView("a", "contoso"), v2, "gold", null)));
        batcher.accept(h.topics.event(0, 1, TestEvents.pageView("b", "contoso")));

        assertThat(h.offsetCommits).containsExactly("offset events 0->2 after 2 rows");
        assertThat(h.committedNames("events")).containsExactly("events/tenant=contoso/date=2024-05-01/hour=13/pulse.events.v1+0+0+1.parquet");
        assertThat(h.lake.records("SELECT event_id, loyalty_tier FROM " + h.lake.events() + " ORDER BY event_id"))
                .containsExactly(row("a", "gold"), row("b", null));
    }

    private static Schema withFields(Schema base, Schema.Field... added) {
        List<Schema.Field> fields = new ArrayList<>();
        base.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.addAll(Arrays.asList(added));
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    private static GenericRecord asV2(Envelope envelope, Schema v2, String loyaltyTier, String currency) {
        GenericRecord record = copy(envelope, v2);
        record.put("loyalty_tier", loyaltyTier);
        if (v2.getField("currency") != null) {
            record.put("currency", currency);
        }
        return record;
    }

    /** The record's fields by name in a wider schema (nested values stay as they are: the serializer writes them). */
    private static GenericRecord copy(IndexedRecord record, Schema wider) {
        GenericData.Record copy = new GenericData.Record(wider);
        record.getSchema().getFields().forEach(f -> copy.put(f.name(), record.get(f.pos())));
        return copy;
    }

    private static Object eurRevenue(String store, Instant window) {
        return TestResults.metrics("contoso", store, window, true).getRevenue().get(0).getRevenue();
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }
}
