package io.pulse.ingest.delivery;

import io.pulse.avro.Envelope;
import io.pulse.common.topics.EventKeys;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.topics.TopicCatalogue;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The delivery path of every source: an envelope goes to the events topic with acks=all and
 * idempotence, keyed by shopper, its event time as the record timestamp. A completed future means
 * the broker has the event durably.
 */
public final class EventPublisher implements AutoCloseable {
    private final Producer<String, Envelope> producer;

    public EventPublisher(KafkaClientSettings settings, Serializer<Envelope> envelopeSerializer, String clientId) {
        this(new KafkaProducer<>(settings.producer(clientId), new StringSerializer(), envelopeSerializer));
    }

    EventPublisher(Producer<String, Envelope> producer) {
        this.producer = producer;
    }

    public CompletableFuture<RecordMetadata> publish(Envelope event) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        ProducerRecord<String, Envelope> record = new ProducerRecord<>(TopicCatalogue.EVENTS.name(), null,
                event.getEventTime().toEpochMilli(), EventKeys.of(event), event);
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
