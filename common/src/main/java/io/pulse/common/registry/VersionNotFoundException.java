package io.pulse.common.registry;

/** The subject exists but has no such version (Confluent error 40402). */
public final class VersionNotFoundException extends SchemaRegistryException {
    public static final int CODE = 40402;

    private final String subject;
    private final int version;

    public VersionNotFoundException(String subject, int version) {
        this(subject, version, null);
    }

    /** @param registryMessage the registry's own explanation, quoted in the message; may be null */
    public VersionNotFoundException(String subject, int version, String registryMessage) {
        super(withRegistryMessage("Version " + version + " of subject '" + subject + "' not found in the schema registry",
                registryMessage), CODE);
        this.subject = subject;
        this.version = version;
    }

    public String subject() {
        return subject;
    }

    public int version() {
        return version;
    }
}
