package io.pulse.embedded.kafka;

/** The embedded broker could not start or stop; the message says why and, where it can, what to change. */
public class EmbeddedBrokerException extends RuntimeException {
    public EmbeddedBrokerException(String message) {
        super(message);
    }

    public EmbeddedBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
