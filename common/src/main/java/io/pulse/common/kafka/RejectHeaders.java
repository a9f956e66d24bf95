package io.pulse.common.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Header names that say why an event is on the rejects topic: which envelope rule it broke, on which
 * field, in words. The event itself travels unchanged; the reason rides in headers, like
 * {@link DeadLetterHeaders}.
 */
public final class RejectHeaders {
    /** The rule's stable id, e.g. {@code money.currency-code}. */
    public static final String RULE = "pulse.reject.rule";
    /** The envelope field that broke it, as an Avro path, e.g. {@code payload.line_items[0].unit_price.currency}. */
    public static final String FIELD = "pulse.reject.field";
    /** What was wrong, for people. */
    public static final String MESSAGE = "pulse.reject.message";

    private static final int MAX_MESSAGE_CHARS = 1000;

    private RejectHeaders() {
    }

    /** Replaces any earlier reject headers (an event re-sent from the rejects topic) with this reason. */
    public static Headers describe(Headers headers, String rule, String field, String message) {
        String text = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
        headers.remove(RULE).remove(FIELD).remove(MESSAGE);
        headers.add(RULE, rule.getBytes(StandardCharsets.UTF_8));
        headers.add(FIELD, field.getBytes(StandardCharsets.UTF_8));
        headers.add(MESSAGE, text.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
