package io.pulse.common.registry;

/** No schema has this global id (Confluent error 40403). */
public final class SchemaNotFoundException extends SchemaRegistryException {
    public static final int CODE = 40403;

    private final int id;

    public SchemaNotFoundException(int id) {
        this(id, null);
    }

    /** @param registryMessage the registry's own explanation, quoted in the message; may be null */
    public SchemaNotFoundException(int id, String registryMessage) {
        super(withRegistryMessage("Schema id " + id + " not found in the schema registry", registryMessage), CODE);
        this.id = id;
    }

    public int id() {
        return id;
    }
}
