package io.pulse.embedded.registry;

/** The embedded schema registry could not start, or could not read or write its storage topic; the message says which and why. */
public class EmbeddedRegistryException extends RuntimeException {
    public EmbeddedRegistryException(String message) {
        super(message);
    }

    public EmbeddedRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
