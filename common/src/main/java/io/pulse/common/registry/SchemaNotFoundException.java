package io.pulse.common.registry;

public final class SchemaNotFoundException extends SchemaRegistryException {
    public static final int CODE = 40403;

    public SchemaNotFoundException(int id) {
        super("Schema id " + id + " not found in the schema registry", CODE);
    }
}
