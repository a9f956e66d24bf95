package io.pulse.api.query;

/**
 * Whether this instance should receive API traffic, and the Kafka Streams state that says so.
 *
 * @param streamsState Kafka Streams' state, or {@code NOT_ATTACHED} before the instance has one
 */
public record Readiness(boolean ready, String streamsState) {
}
