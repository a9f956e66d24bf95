package io.pulse.common.kafka;

/**
 * Kafka (or Event Hubs' Kafka endpoint) cannot be used with the configured settings. The message says what is
 * wrong and which setting to look at; it never contains a secret.
 */
public final class KafkaConnectivityException extends RuntimeException {
    /** Why the connection failed, for callers that react differently (exit codes, health status). */
    public enum Reason {
        /** The broker refused the SASL credentials. */
        AUTHENTICATION,
        /** The TLS handshake failed: certificate not trusted, host name mismatch, or a bad trust store. */
        TLS,
        /** Nothing answered within the deadline. */
        TIMEOUT,
        /** Anything else, described in the message. */
        OTHER
    }

    private final Reason reason;

    public KafkaConnectivityException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
