package io.pulse.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SerdeFactoryTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final SerdeFactory serdes = new SerdeFactory(registry);

    @Test
    void picksAvroForRecordValuesUnderTheTopicsValueSubject() {
        Serde<Envelope> serde = serdes.forValue(TopicCatalogue.EVENTS);
        String topic = TopicCatalogue.EVENTS.name();

        byte[] bytes = serde.serializer().serialize(topic, TestRecords.purchase());

        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(TestRecords.purchase());
        assertThat(registry.subjects()).containsExactly(TopicCatalogue.EVENTS.valueSubject());
    }

    @Test
    void picksPlainStringForStringKeys() {
        Serde<String> serde = serdes.forKey(TopicCatalogue.EVENTS);

        assertThat(serde.serializer().serialize("t", "acme/customer-42"))
                .isEqualTo("acme/customer-42".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void picksBytesForDeadLetters() {
        byte[] raw = {1, 2, 3};

        assertThat(serdes.forValue(TopicCatalogue.DEAD_LETTERS).serializer().serialize("t", raw)).isEqualTo(raw);
        assertThat(serdes.forKey(TopicCatalogue.DEAD_LETTERS).deserializer().deserialize("t", raw)).isEqualTo(raw);
    }

    @Test
    void buildsEachSerdeOnce() {
        assertThat(serdes.forValue(TopicCatalogue.METRICS)).isSameAs(serdes.forValue(TopicCatalogue.METRICS))
                .isSameAs(serdes.specific(WindowedMetrics.class, false));
        assertThat(serdes.specific(WindowedMetrics.class, true)).isNotSameAs(serdes.specific(WindowedMetrics.class, false));
        assertThat(serdes.generic(false)).isSameAs(serdes.generic(false));
        assertThat(serdes.forKey(TopicCatalogue.EVENTS)).isSameAs(serdes.forKey(TopicCatalogue.METRICS));
    }

    @Test
    void genericSerdeReadsWhatTheSpecificOneWrote() {
        String topic = TopicCatalogue.METRICS.name();
        byte[] bytes = serdes.forValue(TopicCatalogue.METRICS).serializer().serialize(topic, TestRecords.metrics());

        GenericRecord read = serdes.generic(false).deserializer().deserialize(topic, bytes);

        assertThat(read.get("events")).isEqualTo(17L);
    }

    @Test
    void withoutAutoRegistrationTheSerdesRegisterNothing() {
        SerdeFactory strict = new SerdeFactory(registry, false);
        String topic = TopicCatalogue.EVENTS.name();

        assertThatThrownBy(() -> strict.forValue(TopicCatalogue.EVENTS).serializer().serialize(topic, TestRecords.purchase()))
                .hasMessageContaining(TopicCatalogue.EVENTS.valueSubject());
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void rejectsATypeItHasNoSerdeForNamingTheTopic() {
        Topic<Thread, String> odd = new Topic<>("pulse.odd.v1", Thread.class, String.class, 1, Topic.Cleanup.DELETE,
                Duration.ofDays(1), "test");

        assertThatThrownBy(() -> serdes.forKey(odd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pulse.odd.v1")
                .hasMessageContaining("java.lang.Thread");
    }
}
