package io.pulse.ingest.delivery;

/** How the delivery path treats a failed send. */
public enum FailureKind {
    /**
     * The target cannot take writes (broker or registry unreachable, timed out, partition without a
     * leader, authentication refused): the events wait in the outbox for as long as it takes, and the
     * failure counts against the target's circuit, never against the event.
     */
    UNREACHABLE,
    /**
     * The broker answered, but this record failed in a way a retry may cure: retried with exponential
     * backoff up to {@code pulse.ingest.max-retries}, then dead-lettered with an alert.
     */
    TRANSIENT,
    /** No retry can succeed (the record does not serialize, is too large, or may not be written): dead-lettered at once. */
    PERMANENT
}
