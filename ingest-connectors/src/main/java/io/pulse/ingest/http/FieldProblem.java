package io.pulse.ingest.http;

/**
 * One field of an event cannot be read (missing, wrong JSON type, bad format): thrown while an event is
 * mapped, turned into that event's {@link EventProblem}.
 *
 * @see JsonFields
 */
final class FieldProblem extends RuntimeException {
    private final String field;
    private final String rule;

    /** @param field the field's path relative to the event; empty for the event itself */
    FieldProblem(String field, String rule, String message) {
        super(message, null, false, false);
        this.field = field;
        this.rule = rule;
    }

    String field() {
        return field;
    }

    String rule() {
        return rule;
    }

    /** Rule ids of problems found while reading JSON (the envelope rules have their own ids). */
    static final String REQUIRED = "field.required";
    static final String TYPE = "field.type";
    static final String FORMAT = "field.format";
    static final String UNKNOWN = "field.unknown";
}
