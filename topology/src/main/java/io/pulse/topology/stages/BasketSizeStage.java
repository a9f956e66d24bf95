package io.pulse.topology.stages;

import io.pulse.avro.BasketSize;
import io.pulse.avro.BasketSizeState;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.LineItem;
import io.pulse.avro.Purchase;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.EngagementStage;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.time.TenantPartitioner;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Basket sizes per tenant in 1-hour tumbling event-time windows (grace {@code hourlyWindowGrace}):
 * orders, units (the line items' quantities, summed), average units per order and the largest basket.
 * Only purchases enter.
 *
 * <p>Grouped by the event key, the tenant: no repartition.
 *
 * <p>Produces: the queryable window store {@link StoreNames#BASKET_SIZES_1H} (tenant to
 * {@link BasketSizeState}: the sums), and on {@link TopicCatalogue#BASKET_SIZES}, keyed
 * {@code tenant/PT1H/<window start>}, a provisional record at every update plus one final record per
 * window once its grace has passed.
 */
public final class BasketSizeStage implements EngagementStage {
    public static final Duration WINDOW = Duration.ofHours(1);
    private static final String NAME = "basket-sizes";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySettings settings = context.settings();
        TopologySerdes serdes = context.serdes();
        WindowFamily hourly = WindowFamily.tumbling("1h", WINDOW, settings.hourlyWindowGrace());

        KTable<Windowed<String>, BasketSizeState> states = events
                .filter((tenant, e) -> e.getEvent().getPayload() instanceof Purchase, Named.as(NAME + "-purchases"))
                // Events are keyed by tenant (EventKeys): grouping by key needs no repartition.
                .groupByKey(Grouped.with(NAME + "-by-tenant", Serdes.String(), serdes.values(EnrichedEvent.class)))
                .windowedBy(hourly.windows())
                .aggregate(BasketSizeStage::empty,
                        (tenant, e, state) -> add((Purchase) e.getEvent().getPayload(), state),
                        Named.as(NAME + "-aggregate"),
                        Materialized.<String, BasketSizeState, WindowStore<Bytes, byte[]>>as(StoreNames.BASKET_SIZES_1H)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(serdes.values(BasketSizeState.class))
                                .withRetention(hourly.retention(settings.storeRetention())));

        // Not materialized: the published record is derived from the store's sums on the way out.
        KTable<Windowed<String>, BasketSize> sizes = states.mapValues(
                (window, state) -> provisional(window, state),
                Named.as(NAME + "-records"),
                Materialized.<Windowed<String>, BasketSize, KeyValueStore<Bytes, byte[]>>with(null, serdes.valuesOf(TopicCatalogue.BASKET_SIZES)));

        sizes.toStream(Named.as(NAME + "-updates"))
                .map((window, size) -> KeyValue.pair(outputKey(size), size), Named.as(NAME + "-provisional"))
                .to(TopicCatalogue.BASKET_SIZES.name(), produced(serdes, NAME + "-provisional-sink"));
        sizes.suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName(NAME + "-until-closed"))
                .toStream(Named.as(NAME + "-closed"))
                .map((window, size) -> KeyValue.pair(outputKey(size), BasketSize.newBuilder(size).setFinal$(true).build()),
                        Named.as(NAME + "-final"))
                .to(TopicCatalogue.BASKET_SIZES.name(), produced(serdes, NAME + "-final-sink"));
    }

    private static Produced<String, BasketSize> produced(TopologySerdes serdes, String name) {
        return Produced.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.BASKET_SIZES))
                .withStreamPartitioner(new TenantPartitioner<>()).withName(name);
    }

    static BasketSizeState empty() {
        return BasketSizeState.newBuilder().build();
    }

    /** The window's sums with one more purchase. Quantities are at least 1: validation rejects the rest upstream. */
    static BasketSizeState add(Purchase purchase, BasketSizeState state) {
        long units = 0;
        for (LineItem line : purchase.getLineItems()) {
            units += line.getQuantity();
        }
        return BasketSizeState.newBuilder()
                .setOrders(state.getOrders() + 1)
                .setUnits(state.getUnits() + units)
                .setLargestBasket(Math.max(state.getLargestBasket(), units))
                .build();
    }

    /** The provisional record of a window: its bounds, the sums and the average derived from them. */
    static BasketSize provisional(Windowed<String> window, BasketSizeState state) {
        return BasketSize.newBuilder()
                .setTenant(window.key())
                .setWindowSize(WINDOW.toString())
                .setWindowStart(window.window().startTime())
                .setWindowEnd(window.window().endTime())
                .setOrders(state.getOrders())
                .setUnits(state.getUnits())
                .setAverageUnitsPerOrder(averageUnitsPerOrder(state.getUnits(), state.getOrders()))
                .setLargestBasket(state.getLargestBasket())
                .setFinal$(false)
                .build();
    }

    /**
     * {@code units / orders}, rounded half-even to scale 4 (the schema's decimal); zero without orders.
     * Published windows always have an order, but Kafka hands {@link #empty()} to {@code mapValues} as
     * the previous value of a window's first update, so the empty state must map too.
     */
    static BigDecimal averageUnitsPerOrder(long units, long orders) {
        if (orders == 0) {
            return BigDecimal.ZERO.setScale(4);
        }
        return BigDecimal.valueOf(units).divide(BigDecimal.valueOf(orders), 4, RoundingMode.HALF_EVEN);
    }

    /** {@code tenant/PT1H/<window start>}: one key per window, so a compacted copy keeps its latest value. */
    static String outputKey(BasketSize size) {
        return TenantKeys.of(size.getTenant(), size.getWindowSize(), size.getWindowStart().toString());
    }
}
