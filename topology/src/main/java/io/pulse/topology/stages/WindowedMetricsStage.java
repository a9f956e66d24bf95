package io.pulse.topology.stages;

import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.Envelope;
import io.pulse.avro.MetricsState;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.EngagementStage;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.time.TenantPartitioner;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Engagement metrics ({@link MetricsAggregate}: events, unique customers, sessions, orders, revenue
 * per currency, conversion and add-to-cart rates, average order value) in three window families:
 * 1-minute tumbling and 5-minute hopping by 1 minute (grace {@code windowGrace}), 1-hour tumbling
 * (grace {@code hourlyWindowGrace}); each for two groupings:
 * <ul>
 *   <li>tenant-wide (store and channel null in the records, {@code *} in the keys): grouped by the
 *       event key, the tenant, without a repartition;</li>
 *   <li>per {@code tenant/store/channel} (store {@value #NO_STORE} for events that name none): re-keyed
 *       and repartitioned once, by tenant ({@link TenantPartitioner}), for all three families.</li>
 * </ul>
 *
 * <p>Produces: window stores of {@link MetricsState} (sketches and estimates), named in
 * {@link StoreNames} ({@code WINDOWED_METRICS_TENANT_*} keyed by tenant,
 * {@code WINDOWED_METRICS_STORE_CHANNEL_*} keyed {@code tenant/store/channel}); and on
 * {@link TopicCatalogue#METRICS}, keyed {@code tenant/store/channel/window size/window start} (store and
 * channel {@value #ALL} in the tenant-wide rollup's keys),
 * a provisional record at every update plus one final record per window once its grace has passed.
 * The suppression buffers hold the small published records, not the sketches.
 */
public final class WindowedMetricsStage implements EngagementStage {
    /** Store and channel of the tenant-wide rollup in keys. */
    public static final String ALL = "*";
    /** Store of events that name no store, in keys and records. */
    public static final String NO_STORE = "-";
    private static final String NAME = "windowed-metrics";

    @Override
    public String name() {
        return NAME;
    }

    /** The window families (graces from the settings) and their stores per grouping. */
    static List<Family> families(TopologySettings settings) {
        return List.of(
                new Family(WindowFamily.tumbling("1m", Duration.ofMinutes(1), settings.windowGrace()),
                        StoreNames.WINDOWED_METRICS_TENANT_1M, StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1M),
                new Family(WindowFamily.hopping("5m", Duration.ofMinutes(5), Duration.ofMinutes(1), settings.windowGrace()),
                        StoreNames.WINDOWED_METRICS_TENANT_5M, StoreNames.WINDOWED_METRICS_STORE_CHANNEL_5M),
                new Family(WindowFamily.tumbling("1h", Duration.ofHours(1), settings.hourlyWindowGrace()),
                        StoreNames.WINDOWED_METRICS_TENANT_1H, StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1H));
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySerdes serdes = context.serdes();
        Serde<EnrichedEvent> eventSerde = serdes.values(EnrichedEvent.class);

        // Events are keyed by tenant (EventKeys): grouping by key needs no repartition.
        KGroupedStream<String, EnrichedEvent> byTenant =
                events.groupByKey(Grouped.with(NAME + "-by-tenant", Serdes.String(), eventSerde));
        KGroupedStream<String, EnrichedEvent> byStoreChannel = events
                .selectKey((tenant, e) -> storeChannelKey(tenant, e.getEvent()), Named.as(NAME + "-key-by-store-channel"))
                .repartition(Repartitioned.<String, EnrichedEvent>as(NAME + "-by-store-channel")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(eventSerde)
                        .withStreamPartitioner(new TenantPartitioner<>()))
                .groupByKey(Grouped.with(NAME + "-by-store-channel-grouped", Serdes.String(), eventSerde));

        for (Family f : families(context.settings())) {
            aggregate(context, byTenant, Grouping.TENANT, f.windows(), f.tenantStore());
            aggregate(context, byStoreChannel, Grouping.STORE_CHANNEL, f.windows(), f.storeChannelStore());
        }
    }

    private static void aggregate(StageContext context, KGroupedStream<String, EnrichedEvent> grouped, Grouping grouping,
                                  WindowFamily family, String storeName) {
        TopologySerdes serdes = context.serdes();
        String prefix = NAME + "-" + grouping.label + "-" + family.label();
        KTable<Windowed<String>, MetricsState> aggregates = grouped
                .windowedBy(family.windows())
                .aggregate(MetricsAggregate::emptyRecord,
                        (key, event, state) -> MetricsAggregate.add(event.getEvent(), state),
                        Named.as(prefix + "-aggregate"),
                        Materialized.<String, MetricsState, WindowStore<Bytes, byte[]>>as(storeName)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(serdes.values(MetricsState.class))
                                .withRetention(family.retention(context.settings().storeRetention())));

        // Not materialized: the metrics are derived from the store's aggregate on the way out, and the
        // suppression buffer holds these small records rather than the sketches.
        KTable<Windowed<String>, WindowedMetrics> metrics = aggregates.mapValues(
                (window, state) -> metric(window, state, grouping, family),
                Named.as(prefix + "-metrics"),
                Materialized.<Windowed<String>, WindowedMetrics, KeyValueStore<Bytes, byte[]>>with(null, serdes.metrics()));

        metrics.toStream(Named.as(prefix + "-updates"))
                .map((window, m) -> KeyValue.pair(outputKey(m), m), Named.as(prefix + "-provisional"))
                .to(TopicCatalogue.METRICS.name(), produced(serdes, prefix + "-provisional-sink"));
        metrics.suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName(prefix + "-until-closed"))
                .toStream(Named.as(prefix + "-closed"))
                .map((window, m) -> KeyValue.pair(outputKey(m), WindowedMetrics.newBuilder(m).setFinal$(true).build()),
                        Named.as(prefix + "-final"))
                .to(TopicCatalogue.METRICS.name(), produced(serdes, prefix + "-final-sink"));
    }

    private static Produced<String, WindowedMetrics> produced(TopologySerdes serdes, String name) {
        return Produced.with(Serdes.String(), serdes.metrics()).withStreamPartitioner(new TenantPartitioner<>()).withName(name);
    }

    /** {@code tenant/store/channel}; the store is {@value #NO_STORE} when the event names none. */
    static String storeChannelKey(String tenant, Envelope e) {
        return TenantKeys.of(tenant, e.getStoreId() == null ? NO_STORE : e.getStoreId(), e.getChannel().name());
    }

    /** The provisional record of a window's aggregate. */
    static WindowedMetrics metric(Windowed<String> window, MetricsState state, Grouping grouping, WindowFamily family) {
        String key = window.key();
        WindowedMetrics.Builder m = MetricsAggregate.metrics(state)
                .setTenant(TenantKeys.tenantOf(key))
                .setWindowSize(family.sizeName())
                .setWindowStart(window.window().startTime())
                .setWindowEnd(window.window().endTime())
                .setFinal$(false);
        if (grouping == Grouping.STORE_CHANNEL) {
            // tenant/store/channel: the store may itself contain the separator, the tenant and channel do not.
            int first = key.indexOf(TenantKeys.SEPARATOR);
            int last = key.lastIndexOf(TenantKeys.SEPARATOR);
            m.setStoreId(key.substring(first + 1, last)).setChannel(key.substring(last + 1));
        }
        return m.build();
    }

    /** {@code tenant/store/channel/window size/window start}, {@value #ALL} for all stores or channels: one key per window and grouping. */
    static String outputKey(WindowedMetrics m) {
        return TenantKeys.of(m.getTenant(), m.getStoreId() == null ? ALL : m.getStoreId(), m.getChannel() == null ? ALL : m.getChannel(),
                m.getWindowSize(), m.getWindowStart().toString());
    }

    /** A window family with the names of its stores. */
    record Family(WindowFamily windows, String tenantStore, String storeChannelStore) {
    }

    enum Grouping {
        TENANT("tenant"), STORE_CHANNEL("store-channel");

        private final String label;

        Grouping(String label) {
            this.label = label;
        }
    }
}
