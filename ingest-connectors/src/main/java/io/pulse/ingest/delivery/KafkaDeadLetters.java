package io.pulse.ingest.delivery;

import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.common.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Dead letters of ingest sources on {@link TopicCatalogue#DEAD_LETTERS}, with the {@link DeadLetterHeaders}
 * names: error class and message, stage {@value #STAGE}, source, retry count 0 (permanent failures are not
 * retried), first failure time, and the origin within the source as {@code pulse.origin.<name>} headers.
 */
public final class KafkaDeadLetters implements DeadLetters, AutoCloseable {
    public static final String STAGE = "ingest";
    /** Prefix of the origin headers; {@code pulse.origin.topic/partition/offset} are the Kafka-record flavour of it. */
    public static final String ORIGIN_PREFIX = "pulse.origin.";
    private static final int MAX_MESSAGE_CHARS = 2000;

    private final Producer<byte[], byte[]> producer;

    public KafkaDeadLetters(KafkaClientSettings settings, String clientId) {
        this(new KafkaProducer<>(settings.producer(clientId), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    public KafkaDeadLetters(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    @Override
    public CompletableFuture<Void> send(DeadLetter letter) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TopicCatalogue.DEAD_LETTERS.name(), null,
                letter.key(), letter.value(), headers(letter));
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    static Headers headers(DeadLetter letter) {
        Headers h = new RecordHeaders();
        String message = String.valueOf(letter.error().getMessage());
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
        }
        add(h, DeadLetterHeaders.ERROR_CLASS, letter.error().getClass().getName());
        add(h, DeadLetterHeaders.ERROR_MESSAGE, message);
        add(h, DeadLetterHeaders.ERROR_STAGE, STAGE);
        add(h, DeadLetterHeaders.SOURCE, letter.source().value());
        add(h, DeadLetterHeaders.RETRY_COUNT, "0");
        add(h, DeadLetterHeaders.FIRST_FAILURE_TIME, letter.failedAt().toString());
        for (Map.Entry<String, String> o : new java.util.TreeMap<>(letter.origin()).entrySet()) {
            add(h, ORIGIN_PREFIX + o.getKey(), o.getValue());
        }
        return h;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
