package io.pulse.topology;

import io.pulse.avro.Envelope;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.Topic;
import io.pulse.common.topics.TopicCatalogue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** The serdes stages use, all from one {@link SerdeFactory} built by the caller with the schema registry it uses. */
public record TopologySerdes(SerdeFactory factory) {

    public Serde<Envelope> envelopes() {
        return factory.forValue(TopicCatalogue.EVENTS);
    }

    public Serde<WindowedMetrics> metrics() {
        return factory.forValue(TopicCatalogue.METRICS);
    }

    /** Avro serde for values of a record type (state stores, repartition topics). */
    public <T extends SpecificRecord> Serde<T> values(Class<T> type) {
        return factory.specific(type, false);
    }

    public <K> Serde<K> keysOf(Topic<K, ?> topic) {
        return factory.forKey(topic);
    }

    public <V> Serde<V> valuesOf(Topic<?, V> topic) {
        return factory.forValue(topic);
    }
}
