package io.pulse.ingest.json;

/**
 * One field of a JSON event cannot be read (missing, wrong JSON type, bad format, unknown): thrown by
 * {@link JsonEventMapper}. Carries no stack trace; it is a verdict on input, not a fault.
 */
public final class EventFieldException extends RuntimeException {
    /** Rule ids of problems found while reading JSON (the envelope rules have their own ids). */
    public static final String REQUIRED = "field.required";
    public static final String TYPE = "field.type";
    public static final String FORMAT = "field.format";
    public static final String UNKNOWN = "field.unknown";

    private final String field;
    private final String rule;

    public EventFieldException(String field, String rule, String message) {
        super(message, null, false, false);
        this.field = field;
        this.rule = rule;
    }

    /** The field's path in the event, e.g. {@code payload.lineItems[1].quantity}, or {@code (event)}. */
    public String field() {
        return field;
    }

    /** {@link #REQUIRED}, {@link #TYPE}, {@link #FORMAT} or {@link #UNKNOWN}. */
    public String rule() {
        return rule;
    }
}
