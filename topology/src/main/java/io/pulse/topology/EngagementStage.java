package io.pulse.topology;

import io.pulse.avro.EnrichedEvent;
import org.apache.kafka.streams.kstream.KStream;

/**
 * A metric of the engagement topology. It reads the enriched stream (valid, de-duplicated, on time,
 * keyed by tenant, partitioned by tenant) and adds its own processors, named stores and output
 * topics. Adding a metric is one class implementing this, its {@code ...StageTest}, and one line in
 * {@link PulseTopology#STAGES}.
 *
 * <p>Rules every stage keeps: name every processor, store and internal topic with the stage's prefix;
 * when re-keying, repartition with {@link io.pulse.topology.time.TenantPartitioner} so a retailer's
 * records stay in order in one partition (see {@link io.pulse.common.topics.EventKeys}); mark every
 * windowed output provisional or final.
 */
public interface EngagementStage {

    /** A short, stable name: prefix of the stage's processors, stores and internal topics. */
    String name();

    void build(StageContext context, KStream<String, EnrichedEvent> events);
}
