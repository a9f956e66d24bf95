package io.pulse.topology;

import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import org.apache.kafka.common.serialization.Serde;

/** The serdes a topology needs, built once by the caller (with the schema registry it uses). */
public record TopologySerdes(Serde<Envelope> envelopes, Serde<WindowedMetrics> metrics) {
}
