package io.pulse.common.registry;

public final class SubjectNotFoundException extends SchemaRegistryException {
    public static final int CODE = 40401;

    public SubjectNotFoundException(String subject) {
        super("Subject '" + subject + "' not found in the schema registry", CODE);
    }
}
