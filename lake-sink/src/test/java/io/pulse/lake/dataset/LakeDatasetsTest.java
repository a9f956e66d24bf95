package io.pulse.lake.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Alert;
import io.pulse.avro.WindowedMetrics;
import io.pulse.avro.lake.LakeEventRow;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.TestEvents;
import io.pulse.lake.TestResults;
import io.pulse.lake.mapping.LakeMappingException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Which topic feeds which dataset, and how each dataset maps a record: a row in a directory, skipped, or refused. */
class LakeDatasetsTest {
    private static final Instant WINDOW = Instant.parse("2024-05-01T10:59:00Z");

    private final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
    private final LakeDatasets datasets = LakeDatasets.standard(
            PulseConfig.Lake.local(Path.of("unused"), Duration.ofSeconds(1), 10, "a-test-key-of-some-length"), serdes);

    @Test
    void eachDatasetReadsItsOwnTopic() {
        assertThat(datasets.topics()).containsExactly(TopicCatalogue.EVENTS.name(), TopicCatalogue.METRICS.name(), TopicCatalogue.ALERTS.name());
        assertThat(datasets.all()).extracting(LakeDataset::name).containsExactly("events", "metrics", "alerts");
        assertThat(datasets.forTopic(TopicCatalogue.METRICS.name())).extracting(LakeDataset::name).isEqualTo(WriterSchemaDataset.METRICS);
        assertThatThrownBy(() -> datasets.forTopic(TopicCatalogue.SESSIONS.name()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(TopicCatalogue.SESSIONS.name());
        assertThatThrownBy(() -> LakeDatasets.of(List.of(WriterSchemaDataset.alerts(serdes), WriterSchemaDataset.alerts(serdes))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both read topic pulse.alerts.v1");
    }

    @Test
    void eventsBecomeLakeEventRowsInTheHourOfTheirEventTime() {
        LakeRow row = read(TopicCatalogue.EVENTS, serialize(TopicCatalogue.EVENTS, TestEvents.purchase("e-1", "contoso"))).orElseThrow();

        assertThat(row.directory().relativePath()).isEqualTo("events/tenant=contoso/date=2024-05-01/hour=13");
        assertThat(row.value()).isInstanceOf(LakeEventRow.class);
        assertThat(((LakeEventRow) row.value()).getOrderId()).isEqualTo("order-9");
    }

    @Test
    void finalMetricsAreKeptInTheirWriterSchemaAndProvisionalOnesSkipped() {
        WindowedMetrics metrics = TestResults.metrics("fabrikam", "store-1", WINDOW, true);
        LakeRow row = read(TopicCatalogue.METRICS, serialize(TopicCatalogue.METRICS, metrics)).orElseThrow();

        assertThat(row.directory().relativePath()).isEqualTo("metrics/tenant=fabrikam/date=2024-05-01/hour=10");
        assertThat(row.schema()).isEqualTo(WindowedMetrics.getClassSchema());
        assertThat(row.value()).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) row.value()).get("store_id").toString()).isEqualTo("store-1");

        assertThat(read(TopicCatalogue.METRICS, serialize(TopicCatalogue.METRICS, TestResults.metrics("fabrikam", "store-1", WINDOW, false))))
                .isEmpty();
    }

    @Test
    void everyAlertIsKeptInTheHourOfItsWindowStart() {
        Alert alert = TestResults.alert("northwind", WINDOW, "spike");
        LakeRow row = read(TopicCatalogue.ALERTS, serialize(TopicCatalogue.ALERTS, alert)).orElseThrow();

        assertThat(row.directory().relativePath()).isEqualTo("alerts/tenant=northwind/date=2024-05-01/hour=10");
        assertThat(row.schema()).isEqualTo(Alert.getClassSchema());
    }

    @Test
    void tombstonesAndUnreadableValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> read(TopicCatalogue.ALERTS, null)).isInstanceOf(LakeMappingException.class).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> read(TopicCatalogue.EVENTS, null)).isInstanceOf(LakeMappingException.class).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> read(TopicCatalogue.METRICS, new byte[] {1, 2, 3, 4, 5, 6}))
                .hasMessageContaining("magic byte 0x01");
        // An envelope on the alerts topic: readable Avro, but no window_start to place it by.
        assertThatThrownBy(() -> read(TopicCatalogue.ALERTS, serialize(TopicCatalogue.EVENTS, TestEvents.pageView("e", "contoso"))))
                .isInstanceOf(LakeMappingException.class).hasMessageContaining("has no field 'window_start'");
    }

    private <V> byte[] serialize(Topic<String, V> topic, V value) {
        return serdes.forValue(topic).serializer().serialize(topic.name(), value);
    }

    private Optional<LakeRow> read(Topic<?, ?> topic, byte[] value) {
        return datasets.forTopic(topic.name()).read(new ConsumerRecord<>(topic.name(), 0, 0L, "k".getBytes(), value));
    }
}
