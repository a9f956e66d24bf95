package io.pulse.common.registry;

/** The text offered as a schema is not a valid Avro schema, or not Avro at all (Confluent error 42201). */
public final class InvalidSchemaException extends SchemaRegistryException {
    public static final int CODE = 42201;

    private final String subject;

    /** @param detail the parser's or the registry's explanation */
    public InvalidSchemaException(String subject, String detail) {
        super("Invalid schema for subject '" + subject + "': " + detail, CODE);
        this.subject = subject;
    }

    public InvalidSchemaException(String subject, String detail, Throwable cause) {
        super("Invalid schema for subject '" + subject + "': " + detail, CODE, cause);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
