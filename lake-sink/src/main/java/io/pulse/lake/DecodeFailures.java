package io.pulse.lake;

import io.pulse.common.registry.SchemaRegistryException;

/**
 * Tells a record that is bad (dead-letter it) from a failure that says nothing about the record (retry
 * it later). Today the only transient cause is a schema registry that did not answer or answered with
 * a server error: dead-lettering on a registry outage would empty the events topic into the dead letters.
 */
final class DecodeFailures {
    private DecodeFailures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                int code = registry.errorCode();
                // No answer, an HTTP 5xx, or Confluent's 500xx error codes (backend store, timeouts, forwarding).
                return code == SchemaRegistryException.NO_RESPONSE
                        || (code >= 500 && code < 600)
                        || (code >= 50000 && code < 60000);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
