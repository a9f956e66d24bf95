package io.pulse.lake;

import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.topics.TopicCatalogue;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records the lake cannot take to the dead-letter topic, unchanged, with the reason and their
 * origin in {@link DeadLetterHeaders}. Sends are asynchronous; {@link #awaitDelivered()} must succeed
 * before the consumer commits past a dead-lettered record, so none is ever dropped silently.
 */
final class DeadLetterPublisher {
    static final String STAGE = "lake-sink";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Clock clock;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private int pending;

    DeadLetterPublisher(Producer<byte[], byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    void publish(ConsumerRecord<byte[], byte[]> record, Exception reason) {
        log.warn("Sending record {}-{}@{} to the dead-letter topic: {}", record.topic(), record.partition(), record.offset(), reason.toString());
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.describeFailure(headers, STAGE, reason, record.topic(), record.partition(), record.offset(), clock.instant());
        ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>(
                TopicCatalogue.DEAD_LETTERS.name(), null, record.key(), record.value(), headers);
        pending++;
        producer.send(deadLetter, (metadata, error) -> {
            if (error != null) {
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    /**
     * Blocks until every dead letter sent so far is acknowledged.
     *
     * @throws DeadLetterException if any was not: the caller must not commit the offsets concerned
     */
    void awaitDelivered() {
        if (pending == 0) {
            return;
        }
        producer.flush();
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new DeadLetterException("could not deliver " + pending + " record(s) to dead-letter topic "
                    + TopicCatalogue.DEAD_LETTERS.name() + ": " + failure, failure);
        }
        pending = 0;
    }

    /** Dead letters could not be delivered: fatal for the sink, which must not move past them. */
    static final class DeadLetterException extends RuntimeException {
        DeadLetterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
