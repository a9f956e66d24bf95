package io.pulse.common.registry;

public final class IncompatibleSchemaException extends SchemaRegistryException {
    public static final int CODE = 409;

    public IncompatibleSchemaException(String subject, String detail) {
        super("Schema being registered is incompatible with an earlier schema for subject '" + subject + "'"
                + (detail == null || detail.isBlank() ? "" : ": " + detail), CODE);
    }
}
