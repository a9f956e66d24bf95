package io.pulse.ingest.delivery;

import io.pulse.avro.Alert;
import io.pulse.avro.AlertDirection;
import io.pulse.avro.AlertMetric;
import io.pulse.avro.Envelope;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.topics.EventKeys;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Kafka records the delivery path writes: an event on {@link TopicCatalogue#EVENTS} (key via
 * {@link EventKeys}, timestamp = event time, {@code pulse.source} header), its dead letter on
 * {@link TopicCatalogue#DEAD_LETTERS} (the {@link DeadLetterHeaders} plus the event id), and a
 * delivery alert on {@link TopicCatalogue#ALERTS}.
 */
final class DeliveryRecords {
    /** Which part of Pulse gave up on a dead-lettered event. */
    static final String STAGE = "ingest";
    /** The dead-lettered event's id, so it can be found without decoding the value. */
    static final String EVENT_ID_HEADER = "pulse.event.id";
    /** What the dead letter's value holds: {@value #CONFLUENT_AVRO}, {@value #AVRO_JSON} or {@value #OMITTED}. */
    static final String VALUE_FORMAT_HEADER = "pulse.dead-letter.value-format";
    static final String CONFLUENT_AVRO = "confluent-avro";
    static final String AVRO_JSON = "avro-json";
    static final String OMITTED = "omitted";
    /** Larger dead-letter values are left out (the dead letter itself must fit in a request, 1 MB on Event Hubs). */
    static final int MAX_DEAD_LETTER_VALUE = 900_000;
    private static final int MAX_MESSAGE_CHARS = 2000;

    private final Serializer<Alert> alertSerializer;

    DeliveryRecords(Serializer<Alert> alertSerializer) {
        this.alertSerializer = alertSerializer;
    }

    static ProducerRecord<byte[], byte[]> event(String source, Envelope event, byte[] value) {
        Headers headers = new RecordHeaders();
        add(headers, DeadLetterHeaders.SOURCE, source);
        Instant time = event.getEventTime();
        return new ProducerRecord<>(TopicCatalogue.EVENTS.name(), null, time == null ? null : time.toEpochMilli(),
                utf8(EventKeys.of(event)), value, headers);
    }

    /**
     * A dead letter of an event that could not be delivered.
     *
     * @param event     the event, or null if it could not even be decoded (then {@code raw} is what the outbox held)
     * @param wire      its Confluent wire-format value, or null if it did not serialize
     * @param raw       bytes to keep when there is neither (may be null)
     * @param retries   failed attempts before it was given up
     */
    static ProducerRecord<byte[], byte[]> deadLetter(String source, Envelope event, byte[] wire, byte[] raw, Throwable error,
                                                     int retries, Instant firstFailure) {
        byte[] value;
        String format;
        if (wire != null && wire.length <= MAX_DEAD_LETTER_VALUE) {
            value = wire;
            format = CONFLUENT_AVRO;
        } else if (event != null && wire == null) {
            byte[] json = utf8(event.toString());
            value = json.length <= MAX_DEAD_LETTER_VALUE ? json : null;
            format = value == null ? OMITTED : AVRO_JSON;
        } else if (raw != null && raw.length <= MAX_DEAD_LETTER_VALUE) {
            value = raw;
            format = "outbox-single-object-avro";
        } else {
            value = null;
            format = OMITTED;
        }
        Headers h = new RecordHeaders();
        add(h, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
        add(h, DeadLetterHeaders.ERROR_MESSAGE, bounded(String.valueOf(error.getMessage())));
        add(h, DeadLetterHeaders.ERROR_STAGE, STAGE);
        add(h, DeadLetterHeaders.SOURCE, source);
        add(h, DeadLetterHeaders.RETRY_COUNT, Integer.toString(retries));
        add(h, DeadLetterHeaders.FIRST_FAILURE_TIME, firstFailure.toString());
        add(h, VALUE_FORMAT_HEADER, format);
        if (event != null && event.getEventId() != null) {
            add(h, EVENT_ID_HEADER, event.getEventId());
        }
        byte[] key = event == null || event.getTenant() == null ? null : utf8(EventKeys.of(event));
        return new ProducerRecord<>(TopicCatalogue.DEAD_LETTERS.name(), null, key, value, h);
    }

    /** A DELIVERY alert on the alerts topic, keyed and partitioned like the topology's alerts (by tenant). */
    ProducerRecord<byte[], byte[]> alert(String source, Envelope event, Throwable error, int attempts, int maxRetries,
                                         Instant firstFailure, Instant now) {
        String tenant = event == null || event.getTenant() == null ? "-" : event.getTenant();
        Alert alert = Alert.newBuilder()
                .setTenant(tenant)
                .setMetric(AlertMetric.DELIVERY)
                .setDirection(AlertDirection.DIP)
                .setValue(attempts)
                .setBaselineMean(maxRetries)
                .setBaselineStddev(0)
                .setScore(0)
                .setBaselineWindows(0)
                .setWindowStart(firstFailure)
                .setWindowEnd(now)
                .setDetectedAt(now)
                .setSource(source)
                .setMessage(bounded("event " + (event == null ? "?" : event.getEventId()) + " sent to "
                        + TopicCatalogue.DEAD_LETTERS.name() + " after " + attempts + " failed attempts: "
                        + error.getClass().getName() + ": " + error.getMessage()))
                .build();
        String key = TenantKeys.of(tenant, "*", "*", AlertMetric.DELIVERY.name(), firstFailure.toString());
        return new ProducerRecord<>(TopicCatalogue.ALERTS.name(),
                TenantKeys.partition(tenant, TopicCatalogue.ALERTS.partitions()), now.toEpochMilli(), utf8(key),
                alertSerializer.serialize(TopicCatalogue.ALERTS.name(), alert));
    }

    private static String bounded(String message) {
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, utf8(value));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
