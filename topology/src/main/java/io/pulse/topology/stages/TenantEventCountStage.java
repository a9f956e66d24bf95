package io.pulse.topology.stages;

import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.EngagementStage;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Events per tenant in 1-minute tumbling event-time windows.
 *
 * <p>Produces: the queryable window store {@link StoreNames#TENANT_EVENT_COUNTS_1M}, and on
 * {@link TopicCatalogue#METRICS} a provisional record at every update plus one final record per
 * window once its grace period has passed.
 */
public final class TenantEventCountStage implements EngagementStage {
    public static final Duration WINDOW = Duration.ofMinutes(1);
    private static final String NAME = "tenant-event-counts-1m";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySettings settings = context.settings();
        TopologySerdes serdes = context.serdes();
        KTable<Windowed<String>, Long> counts = events
                // Events are keyed by tenant (EventKeys): grouping by key needs no repartition.
                .groupByKey(Grouped.with(NAME + "-by-tenant", Serdes.String(), serdes.values(EnrichedEvent.class)))
                .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, settings.windowGrace()))
                .count(Named.as(NAME + "-count"),
                        Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(StoreNames.TENANT_EVENT_COUNTS_1M)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.Long())
                                .withRetention(retention(settings)));

        Produced<String, WindowedMetrics> toMetrics = Produced.with(Serdes.String(), serdes.metrics());
        counts.toStream(Named.as(NAME + "-updates"))
                .map((window, count) -> metric(window, count, false), Named.as(NAME + "-provisional"))
                .to(TopicCatalogue.METRICS.name(), toMetrics.withName(NAME + "-provisional-sink"));
        counts.suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName(NAME + "-until-closed"))
                .toStream(Named.as(NAME + "-closed"))
                .map((window, count) -> metric(window, count, true), Named.as(NAME + "-final"))
                .to(TopicCatalogue.METRICS.name(), Produced.with(Serdes.String(), serdes.metrics()).withName(NAME + "-final-sink"));
    }

    private static Duration retention(TopologySettings settings) {
        Duration minimum = WINDOW.plus(settings.windowGrace());
        return settings.storeRetention().compareTo(minimum) < 0 ? minimum : settings.storeRetention();
    }

    /** Key {@code tenant/PT1M/<window start>}: one key per window, so a compacted copy keeps its latest value. */
    static KeyValue<String, WindowedMetrics> metric(Windowed<String> window, long count, boolean isFinal) {
        WindowedMetrics m = WindowedMetrics.newBuilder()
                .setTenant(window.key())
                .setWindowSize(WINDOW.toString())
                .setWindowStart(window.window().startTime())
                .setWindowEnd(window.window().endTime())
                .setEvents(count)
                .setFinal$(isFinal)
                .build();
        return KeyValue.pair(window.key() + "/" + WINDOW + "/" + window.window().startTime(), m);
    }
}
