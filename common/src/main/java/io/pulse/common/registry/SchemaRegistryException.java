package io.pulse.common.registry;

/** A schema registry request failed; the message names the subject, version or id concerned. */
public class SchemaRegistryException extends RuntimeException {
    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode) {
        super(message);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** Confluent's error code (40401 subject not found, 40403 schema not found, 409 incompatible, ...), or the HTTP status. */
    public int errorCode() {
        return errorCode;
    }
}
