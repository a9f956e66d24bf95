package io.pulse.common.registry;

/** The schema breaks the subject's compatibility level (Confluent HTTP 409); the message says what broke. */
public final class IncompatibleSchemaException extends SchemaRegistryException {
    public static final int CODE = 409;

    private final String subject;

    /** @param detail what broke (field, type, version compared against), or the registry's message; may be null */
    public IncompatibleSchemaException(String subject, String detail) {
        super("Schema being registered is incompatible with an earlier schema for subject '" + subject + "'"
                + (detail == null || detail.isBlank() ? "" : ": " + detail), CODE);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
