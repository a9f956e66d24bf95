package io.pulse.topology.stages;

import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.TopProducts;
import io.pulse.avro.TopProductsState;
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
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The top N products (N = {@code topProducts} of the settings) of each tenant by views and by units
 * purchased, in 1-minute tumbling windows (grace {@code windowGrace}) and 1-hour tumbling windows
 * (grace {@code hourlyWindowGrace}). Counting and its bounds: {@link ProductRankings}.
 *
 * <p>Grouped by the event key, the tenant: no repartition. Only product views and purchases enter.
 *
 * <p>Produces: the window stores {@link StoreNames#TOP_PRODUCTS_1M} and {@link StoreNames#TOP_PRODUCTS_1H}
 * (tenant to {@link TopProductsState}: sketches and rankings), and on {@link TopicCatalogue#TOP_PRODUCTS},
 * keyed {@code tenant/window size/window start}, a provisional record at every update plus one final
 * record per window once its grace has passed.
 */
public final class TopProductsStage implements EngagementStage {
    private static final String NAME = "top-products";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySettings settings = context.settings();
        TopologySerdes serdes = context.serdes();
        KGroupedStream<String, EnrichedEvent> byTenant = events
                .filter((tenant, e) -> ProductRankings.counts(e.getEvent()), Named.as(NAME + "-product-events"))
                // Events are keyed by tenant (EventKeys): grouping by key needs no repartition.
                .groupByKey(Grouped.with(NAME + "-by-tenant", Serdes.String(), serdes.values(EnrichedEvent.class)));

        for (Family f : List.of(
                new Family(WindowFamily.tumbling("1m", Duration.ofMinutes(1), settings.windowGrace()), StoreNames.TOP_PRODUCTS_1M),
                new Family(WindowFamily.tumbling("1h", Duration.ofHours(1), settings.hourlyWindowGrace()), StoreNames.TOP_PRODUCTS_1H))) {
            rank(context, byTenant, f.windows(), f.store());
        }
    }

    private static void rank(StageContext context, KGroupedStream<String, EnrichedEvent> byTenant, WindowFamily family, String store) {
        TopologySerdes serdes = context.serdes();
        int topN = context.settings().topProducts();
        String prefix = NAME + "-" + family.label();
        KTable<Windowed<String>, TopProductsState> states = byTenant
                .windowedBy(family.windows())
                .aggregate(ProductRankings::emptyRecord,
                        (tenant, event, state) -> ProductRankings.add(event.getEvent(), state, topN),
                        Named.as(prefix + "-aggregate"),
                        Materialized.<String, TopProductsState, WindowStore<Bytes, byte[]>>as(store)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(serdes.values(TopProductsState.class))
                                .withRetention(family.retention(context.settings().storeRetention())));

        // Not materialized: derived on the way out; the suppression buffer holds rankings, not sketches.
        KTable<Windowed<String>, TopProducts> rankings = states.mapValues(
                (window, state) -> ProductRankings.topProducts(state)
                        .setTenant(window.key())
                        .setWindowSize(family.sizeName())
                        .setWindowStart(window.window().startTime())
                        .setWindowEnd(window.window().endTime())
                        .setFinal$(false)
                        .build(),
                Named.as(prefix + "-rankings"),
                Materialized.<Windowed<String>, TopProducts, KeyValueStore<Bytes, byte[]>>with(null, serdes.valuesOf(TopicCatalogue.TOP_PRODUCTS)));

        rankings.toStream(Named.as(prefix + "-updates"))
                .map((window, t) -> KeyValue.pair(outputKey(t), t), Named.as(prefix + "-provisional"))
                .to(TopicCatalogue.TOP_PRODUCTS.name(), produced(serdes, prefix + "-provisional-sink"));
        rankings.suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName(prefix + "-until-closed"))
                .toStream(Named.as(prefix + "-closed"))
                .map((window, t) -> KeyValue.pair(outputKey(t), TopProducts.newBuilder(t).setFinal$(true).build()), Named.as(prefix + "-final"))
                .to(TopicCatalogue.TOP_PRODUCTS.name(), produced(serdes, prefix + "-final-sink"));
    }

    private static Produced<String, TopProducts> produced(TopologySerdes serdes, String name) {
        return Produced.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.TOP_PRODUCTS))
                .withStreamPartitioner(new TenantPartitioner<>()).withName(name);
    }

    /** {@code tenant/window size/window start}. */
    static String outputKey(TopProducts t) {
        return TenantKeys.of(t.getTenant(), t.getWindowSize(), t.getWindowStart().toString());
    }

    private record Family(WindowFamily windows, String store) {
    }
}
