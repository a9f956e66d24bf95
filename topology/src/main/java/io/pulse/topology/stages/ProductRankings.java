package io.pulse.topology.stages;

import io.pulse.avro.Envelope;
import io.pulse.avro.EventType;
import io.pulse.avro.LineItem;
import io.pulse.avro.ProductCount;
import io.pulse.avro.ProductView;
import io.pulse.avro.Purchase;
import io.pulse.avro.TopProducts;
import io.pulse.avro.TopProductsState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The top products of one window, as pure functions on the stored {@link TopProductsState}, free of
 * Kafka: {@link #add} an event, {@link #merge} two partial states, {@link #topProducts} for the
 * published values.
 *
 * <p>Views count product-view events; units sum the quantities of the purchases' line items per
 * product (a negative quantity fails: validation rejects it upstream).
 *
 * <p>Counting: Apache DataSketches frequent items ({@link ItemsSketch}, Misra-Gries), not an exact map
 * with a cap. A capped map has to drop products once full and then misses a product that becomes
 * popular late in the window; the sketch keeps memory bounded the same way but with a guarantee: its
 * counts are exact while the window saw at most {@code 0.75 × mapSize(n)} distinct products (192 for
 * the default N = 10), and beyond that every count comes with lower and upper bounds whose gap is at
 * most about 3.5 / mapSize of the window's total, so a product that really is popular is never lost.
 * Sketches also merge, so partial windows combine. The map size is
 * {@link #mapSize(int)}: at least 16 × N, at least 64, a power of two.
 */
public final class ProductRankings {
    private static final ArrayOfStringsSerDe SERDE = new ArrayOfStringsSerDe();
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Count descending, then product id ascending: ties ordered the same way every time. */
    static final Comparator<ProductCount> RANKING = Comparator.comparingLong(ProductCount::getCount).reversed()
            .thenComparing(ProductCount::getProductId);

    private ProductRankings() {
    }

    /** The sketches' map size for a top N: room for 12 × N distinct products before counts turn into estimates. */
    public static int mapSize(int topN) {
        if (topN < 1) {
            throw new IllegalArgumentException("top N must be at least 1, got " + topN);
        }
        int wanted = Math.max(64, 16 * topN);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /** Whether an event counts at all: product views and purchases. */
    public static boolean counts(Envelope e) {
        return (e.getEventType() == EventType.PRODUCT_VIEW && e.getPayload() instanceof ProductView)
                || (e.getEventType() == EventType.PURCHASE && e.getPayload() instanceof Purchase);
    }

    public static TopProductsState emptyRecord() {
        return TopProductsState.newBuilder().setViewsSketch(EMPTY.duplicate()).setUnitsSketch(EMPTY.duplicate()).build();
    }

    /** The state with one more event; only the sketch the event touches is read and rewritten. */
    public static TopProductsState add(Envelope e, TopProductsState state, int topN) {
        if (e.getEventType() == EventType.PRODUCT_VIEW && e.getPayload() instanceof ProductView view) {
            ItemsSketch<String> views = read(state.getViewsSketch(), topN);
            views.update(view.getProductId());
            return withViews(TopProductsState.newBuilder(state), views, topN).build();
        }
        if (e.getEventType() == EventType.PURCHASE && e.getPayload() instanceof Purchase purchase) {
            ItemsSketch<String> units = read(state.getUnitsSketch(), topN);
            for (LineItem line : purchase.getLineItems()) {
                units.update(line.getProductId(), line.getQuantity());
            }
            return withUnits(TopProductsState.newBuilder(state), units, topN).build();
        }
        return state;
    }

    /** Two partial states of the same window combined. */
    public static TopProductsState merge(TopProductsState a, TopProductsState b, int topN) {
        ItemsSketch<String> views = read(a.getViewsSketch(), topN).merge(read(b.getViewsSketch(), topN));
        ItemsSketch<String> units = read(a.getUnitsSketch(), topN).merge(read(b.getUnitsSketch(), topN));
        return withUnits(withViews(TopProductsState.newBuilder(), views, topN), units, topN).build();
    }

    /** The published values of a stored state (no sketch is read); the caller sets tenant, window and whether it is final. */
    public static TopProducts.Builder topProducts(TopProductsState s) {
        return TopProducts.newBuilder()
                .setProductViews(s.getProductViews())
                .setUnitsPurchased(s.getUnitsPurchased())
                .setByViews(s.getByViews())
                .setByUnits(s.getByUnits());
    }

    /** The N products with the highest estimated counts, ordered by {@link #RANKING}. */
    static List<ProductCount> top(ItemsSketch<String> sketch, int topN) {
        return Arrays.stream(sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES))
                .map(row -> new ProductCount(row.getItem(), row.getEstimate(), row.getLowerBound(), row.getUpperBound()))
                .sorted(RANKING)
                .limit(topN)
                .toList();
    }

    private static TopProductsState.Builder withViews(TopProductsState.Builder b, ItemsSketch<String> views, int topN) {
        return b.setViewsSketch(write(views)).setProductViews(views.getStreamLength()).setByViews(top(views, topN));
    }

    private static TopProductsState.Builder withUnits(TopProductsState.Builder b, ItemsSketch<String> units, int topN) {
        return b.setUnitsSketch(write(units)).setUnitsPurchased(units.getStreamLength()).setByUnits(top(units, topN));
    }

    private static ItemsSketch<String> read(ByteBuffer bytes, int topN) {
        if (bytes == null || !bytes.hasRemaining()) {
            return new ItemsSketch<>(mapSize(topN));
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return ItemsSketch.getInstance(Memory.wrap(copy), SERDE);
    }

    private static ByteBuffer write(ItemsSketch<String> sketch) {
        return sketch.isEmpty() ? EMPTY.duplicate() : ByteBuffer.wrap(sketch.toByteArray(SERDE));
    }
}
