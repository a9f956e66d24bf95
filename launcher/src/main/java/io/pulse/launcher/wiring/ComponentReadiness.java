package io.pulse.launcher.wiring;

/**
 * Whether one component of this process is ready for traffic, and the state that says so.
 *
 * @param state what /health/ready shows for it, e.g. Kafka Streams' state, {@code OPEN} or {@code RUNNING}
 */
public record ComponentReadiness(boolean ready, String state) {
}
