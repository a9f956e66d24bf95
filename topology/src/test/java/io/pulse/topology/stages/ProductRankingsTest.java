package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.line;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.productView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.ProductCount;
import io.pulse.avro.TopProductsState;
import org.junit.jupiter.api.Test;

class ProductRankingsTest {

    @Test
    void ranksByViewsAndByUnitsWithExactCountsWhileTheWindowHasFewProducts() {
        TopProductsState s = ProductRankings.emptyRecord();
        for (String product : new String[] {"p-a", "p-b", "p-a", "p-c", "p-a", "p-c"}) {
            s = ProductRankings.add(productView("contoso", "10:00:00", product).build(), s, 10);
        }
        s = ProductRankings.add(purchase("contoso", "10:00:00", line("p-b", 5, "1.00", "EUR"), line("p-a", 1, "2.00", "EUR")).build(), s, 10);
        s = ProductRankings.add(purchase("contoso", "10:00:00", line("p-c", 2, "1.00", "EUR"), line("p-b", 1, "1.00", "EUR")).build(), s, 10);

        assertThat(s.getByViews()).extracting(ProductCount::getProductId, ProductCount::getCount, ProductCount::getLowerBound,
                        ProductCount::getUpperBound)
                .containsExactly(tuple("p-a", 3L, 3L, 3L), tuple("p-c", 2L, 2L, 2L), tuple("p-b", 1L, 1L, 1L));
        assertThat(s.getByUnits()).extracting(ProductCount::getProductId, ProductCount::getCount)
                .containsExactly(tuple("p-b", 6L), tuple("p-c", 2L), tuple("p-a", 1L));
        assertThat(s.getProductViews()).isEqualTo(6);
        assertThat(s.getUnitsPurchased()).isEqualTo(9);
    }

    @Test
    void keepsTheTopNAndOrdersTiesByProductId() {
        TopProductsState s = ProductRankings.emptyRecord();
        for (String product : new String[] {"p-z", "p-m", "p-a", "p-b", "p-z", "p-m", "p-a", "p-b", "p-b"}) {
            s = ProductRankings.add(productView("contoso", "10:00:00", product).build(), s, 3);
        }

        assertThat(s.getByViews()).extracting(ProductCount::getProductId, ProductCount::getCount)
                .containsExactly(tuple("p-b", 3L), tuple("p-a", 2L), tuple("p-m", 2L));
    }

    @Test
    void findsThePopularProductsWithBoundsWhenTheWindowHasMoreProductsThanTheSketchHolds() {
        int mapSize = ProductRankings.mapSize(2);
        TopProductsState s = ProductRankings.emptyRecord();
        for (int i = 0; i < 20 * mapSize; i++) {
            s = ProductRankings.add(productView("contoso", "10:00:00", "p-rare-" + i).build(), s, 2);
            if (i % 4 == 0) {
                s = ProductRankings.add(productView("contoso", "10:00:00", "p-hot").build(), s, 2);
            }
            if (i % 8 == 0) {
                s = ProductRankings.add(productView("contoso", "10:00:00", "p-warm").build(), s, 2);
            }
        }
        long hot = 20L * mapSize / 4;
        long warm = 20L * mapSize / 8;

        assertThat(s.getByViews()).extracting(ProductCount::getProductId).containsExactly("p-hot", "p-warm");
        ProductCount first = s.getByViews().get(0);
        assertThat(first.getLowerBound()).isLessThanOrEqualTo(hot);
        assertThat(first.getUpperBound()).isGreaterThanOrEqualTo(hot).isGreaterThan(first.getLowerBound());
        ProductCount second = s.getByViews().get(1);
        assertThat(second.getLowerBound()).isLessThanOrEqualTo(warm);
        assertThat(second.getUpperBound()).isGreaterThanOrEqualTo(warm);
        assertThat(s.getProductViews()).isEqualTo(20L * mapSize + hot + warm);
        // bounded state: the sketch keeps at most its map, however many products the window saw
        assertThat(s.getViewsSketch().remaining()).isLessThan(mapSize * 40);
    }

    @Test
    void mergingPartialStatesEqualsCountingAllEvents() {
        TopProductsState a = ProductRankings.emptyRecord();
        TopProductsState b = ProductRankings.emptyRecord();
        TopProductsState all = ProductRankings.emptyRecord();
        String[] views = {"p-a", "p-b", "p-a", "p-c", "p-a", "p-c", "p-d"};
        for (int i = 0; i < views.length; i++) {
            var e = productView("contoso", "10:00:00", views[i]).build();
            all = ProductRankings.add(e, all, 10);
            if (i % 2 == 0) {
                a = ProductRankings.add(e, a, 10);
            } else {
                b = ProductRankings.add(e, b, 10);
            }
        }

        TopProductsState merged = ProductRankings.merge(a, b, 10);

        assertThat(merged.getByViews()).isEqualTo(all.getByViews());
        assertThat(merged.getProductViews()).isEqualTo(7);
    }

    @Test
    void ignoresEventsThatAreNeitherProductViewsNorPurchases() {
        TopProductsState empty = ProductRankings.emptyRecord();

        assertThat(ProductRankings.counts(pageView("contoso", "10:00:00").build())).isFalse();
        assertThat(ProductRankings.add(pageView("contoso", "10:00:00").build(), empty, 10)).isEqualTo(empty);
        assertThat(empty.getViewsSketch().remaining()).isZero();
    }

    @Test
    void sizesTheSketchForTwelveTimesNProductsAtLeast() {
        assertThat(ProductRankings.mapSize(1)).isEqualTo(64);
        assertThat(ProductRankings.mapSize(10)).isEqualTo(256);
        assertThat(ProductRankings.mapSize(100)).isEqualTo(2048);
        assertThatThrownBy(() -> ProductRankings.mapSize(0)).hasMessageContaining("at least 1");
    }
}
