package io.pulse.ingest.delivery;

/**
 * The delivery path could not make a batch durable: neither the broker nor the local outbox took it
 * (the outbox is full or cannot be written, or the delivery path is closed). Nothing of the batch may
 * be acknowledged upstream; an HTTP source answers 503 with {@code Retry-After}. The message says why
 * and, where a setting is the limit, names its {@code pulse.*} key.
 */
public class DeliveryUnavailableException extends RuntimeException {
    public DeliveryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DeliveryUnavailableException(String message) {
        super(message);
    }
}
