package io.pulse.common.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * Header names that say why a record is on the dead-letter topic (or is being retried), and where it
 * came from. Metadata travels in headers, never inside the payload.
 */
public final class DeadLetterHeaders {
    public static final String ERROR_CLASS = "pulse.error.class";
    public static final String ERROR_MESSAGE = "pulse.error.message";
    /** Which part of Pulse gave up on the record: ingest, topology, lake-sink. */
    public static final String ERROR_STAGE = "pulse.error.stage";
    public static final String ORIGIN_TOPIC = "pulse.origin.topic";
    public static final String ORIGIN_PARTITION = "pulse.origin.partition";
    public static final String ORIGIN_OFFSET = "pulse.origin.offset";
    public static final String RETRY_COUNT = "pulse.retry.count";
    public static final String FIRST_FAILURE_TIME = "pulse.retry.first-failure-time";
    public static final String SOURCE = "pulse.source";

    private static final int MAX_MESSAGE_BYTES = 2000;

    private DeadLetterHeaders() {
    }

    /** Adds the failure and origin headers (the message is cut to a bounded size). */
    public static Headers describeFailure(Headers headers, String stage, Throwable error,
                                          String topic, int partition, long offset, Instant when) {
        String message = String.valueOf(error.getMessage());
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        if (msg.length > MAX_MESSAGE_BYTES) {
            msg = (new String(msg, 0, MAX_MESSAGE_BYTES, StandardCharsets.UTF_8) + "…").getBytes(StandardCharsets.UTF_8);
        }
        headers.add(ERROR_CLASS, error.getClass().getName().getBytes(StandardCharsets.UTF_8));
        headers.add(ERROR_MESSAGE, msg);
        headers.add(ERROR_STAGE, stage.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        headers.add(FIRST_FAILURE_TIME, when.toString().getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The last value of a header as text, or null. */
    public static String text(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
