package io.pulse.common.registry;

/** A schema registry request failed; the message names the subject, version or id concerned. */
public class SchemaRegistryException extends RuntimeException {
    /** Error code of failures that produced no answer from the registry (unreachable, timed out, interrupted). */
    public static final int NO_RESPONSE = -1;

    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /**
     * Confluent's error code (40401 subject not found, 40402 version not found, 40403 schema not found,
     * 409 incompatible, 42201 invalid schema, ...), else the HTTP status, or {@link #NO_RESPONSE}.
     */
    public int errorCode() {
        return errorCode;
    }

    static String withRegistryMessage(String message, String registryMessage) {
        return registryMessage == null || registryMessage.isBlank() ? message : message + " (registry said: " + registryMessage + ")";
    }
}
