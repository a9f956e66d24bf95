package io.pulse.common.registry;

/** No schema has been registered under the subject (Confluent error 40401). */
public final class SubjectNotFoundException extends SchemaRegistryException {
    public static final int CODE = 40401;

    private final String subject;

    public SubjectNotFoundException(String subject) {
        this(subject, null);
    }

    /** @param registryMessage the registry's own explanation, quoted in the message; may be null */
    public SubjectNotFoundException(String subject, String registryMessage) {
        super(withRegistryMessage("Subject '" + subject + "' not found in the schema registry", registryMessage), CODE);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
