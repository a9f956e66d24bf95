package io.pulse.lake;

import io.pulse.avro.Alert;
import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import java.util.Optional;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Consumed records as the topics hold them: the Confluent wire format, with schemas registered in one in-memory
 * registry (a real registry: ids, versions, compatibility checks), which the sink under test reads through the
 * same {@link #serdes}.
 */
final class TestTopics {
    final SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());

    ConsumerRecord<byte[], byte[]> event(int partition, long offset, Envelope envelope) {
        return event(partition, offset, ConsumerRecord.NO_TIMESTAMP, envelope);
    }

    ConsumerRecord<byte[], byte[]> event(int partition, long offset, long timestamp, Envelope envelope) {
        return record(TopicCatalogue.EVENTS, partition, offset, timestamp, envelope.getTenant(),
                serdes.forValue(TopicCatalogue.EVENTS).serializer().serialize(TopicCatalogue.EVENTS.name(), envelope));
    }

    ConsumerRecord<byte[], byte[]> metrics(int partition, long offset, WindowedMetrics metrics) {
        return record(TopicCatalogue.METRICS, partition, offset, ConsumerRecord.NO_TIMESTAMP, metrics.getTenant(),
                serdes.forValue(TopicCatalogue.METRICS).serializer().serialize(TopicCatalogue.METRICS.name(), metrics));
    }

    ConsumerRecord<byte[], byte[]> alert(int partition, long offset, Alert alert) {
        return record(TopicCatalogue.ALERTS, partition, offset, ConsumerRecord.NO_TIMESTAMP, alert.getTenant(),
                serdes.forValue(TopicCatalogue.ALERTS).serializer().serialize(TopicCatalogue.ALERTS.name(), alert));
    }

    /** A record written with its own (perhaps newer) schema, registered under the topic's value subject. */
    ConsumerRecord<byte[], byte[]> generic(Topic<?, ?> topic, int partition, long offset, GenericRecord value) {
        return record(topic, partition, offset, ConsumerRecord.NO_TIMESTAMP, String.valueOf(value.get("tenant")),
                serdes.generic(false).serializer().serialize(topic.name(), value));
    }

    static ConsumerRecord<byte[], byte[]> raw(Topic<?, ?> topic, int partition, long offset, byte[] value) {
        return record(topic, partition, offset, ConsumerRecord.NO_TIMESTAMP, "raw", value);
    }

    private static ConsumerRecord<byte[], byte[]> record(Topic<?, ?> topic, int partition, long offset, long timestamp, String key,
                                                         byte[] value) {
        return new ConsumerRecord<>(topic.name(), partition, offset, timestamp, TimestampType.CREATE_TIME, key.length(),
                value == null ? -1 : value.length, key.getBytes(), value, new RecordHeaders(), Optional.empty());
    }
}
