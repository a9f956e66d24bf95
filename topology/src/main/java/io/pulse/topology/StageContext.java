package io.pulse.topology;

import org.apache.kafka.streams.StreamsBuilder;

/**
 * What a stage may use to add itself to the topology: the builder (for tables and sources of
 * reference data), the settings and the serdes. A stage never creates KafkaStreams or reads the
 * environment.
 */
public record StageContext(StreamsBuilder builder, TopologySettings settings, TopologySerdes serdes) {
}
