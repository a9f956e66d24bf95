package io.pulse.api.insights;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pulse.api.query.WindowRow;
import io.pulse.avro.ProductCount;
import io.pulse.avro.TopProductsState;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** {@code GET /api/v1/tenants/{tenant}/top-products}: a tenant's most viewed and most purchased products per window. */
public record TopProductsResponse(String tenant, String window, Instant from, Instant to, List<Window> windows, Freshness freshness) {

    static TopProductsResponse of(TopProductsQuery q, List<WindowRow<TopProductsState>> rows, Predicate<Instant> finalAtEnd,
                                  Freshness freshness) {
        return new TopProductsResponse(q.tenant(), q.window().name(), q.from(), q.to(),
                rows.stream().map(r -> Window.of(r, finalAtEnd.test(r.end()))).toList(), freshness);
    }

    /**
     * One window's rankings.
     *
     * @param closed         {@code "final"}: the value no longer changes; false: provisional
     * @param productViews   product views in the window (exact)
     * @param unitsPurchased units of all the window's purchases (exact)
     * @param byViews        the top products by views: count descending, then product id
     * @param byUnits        the top products by units purchased, ordered the same way
     */
    public record Window(Instant start, Instant end, @JsonProperty("final") boolean closed, long productViews, long unitsPurchased,
                         List<Product> byViews, List<Product> byUnits) {
        static Window of(WindowRow<TopProductsState> row, boolean closed) {
            TopProductsState s = row.value();
            return new Window(row.start(), row.end(), closed, s.getProductViews(), s.getUnitsPurchased(),
                    s.getByViews().stream().map(Product::of).toList(), s.getByUnits().stream().map(Product::of).toList());
        }
    }

    /**
     * A product's count from the frequent-items sketch: exact when {@code lowerBound == upperBound}.
     */
    public record Product(String productId, long count, long lowerBound, long upperBound) {
        static Product of(ProductCount c) {
            return new Product(c.getProductId(), c.getCount(), c.getLowerBound(), c.getUpperBound());
        }
    }
}
