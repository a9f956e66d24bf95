package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.line;
import static io.pulse.common.testing.Envelopes.productView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.Envelope;
import io.pulse.avro.ProductCount;
import io.pulse.avro.TopProducts;
import io.pulse.avro.TopProductsState;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopProductsStageTest {
    /** Top 3; 30 s grace for 1-minute windows, 2 minutes for hourly ones. */
    private final StageTestKit kit = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)).withTopProducts(3));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void ranksEachTenantsProductsByViewsAndByUnitsPerHour() {
        kit.send(
                productView("contoso", "10:05:00", "p-a").build(),
                productView("contoso", "10:10:00", "p-b").build(),
                productView("contoso", "10:15:00", "p-a").build(),
                productView("contoso", "10:20:00", "p-c").build(),
                productView("contoso", "10:25:00", "p-a").build(),
                productView("contoso", "10:30:00", "p-c").build(),
                productView("fabrikam", "10:30:00", "p-x").build(),
                purchase("contoso", "10:40:00", line("p-b", 5, "1.00", "EUR"), line("p-a", 1, "2.00", "EUR")).build(),
                purchase("contoso", "10:50:00", line("p-c", 2, "3.00", "USD"), line("p-b", 1, "1.00", "USD")).build());

        List<KeyValue<Instant, TopProductsState>> hours = kit.windows(StoreNames.TOP_PRODUCTS_1H, "contoso");

        assertThat(hours).extracting(kv -> kv.key).containsExactly(at("10:00:00"));
        TopProductsState hour = hours.get(0).value;
        assertThat(hour.getByViews()).extracting(ProductCount::getProductId, ProductCount::getCount)
                .containsExactly(tuple("p-a", 3L), tuple("p-c", 2L), tuple("p-b", 1L));
        assertThat(hour.getByUnits()).extracting(ProductCount::getProductId, ProductCount::getCount)
                .containsExactly(tuple("p-b", 6L), tuple("p-c", 2L), tuple("p-a", 1L));
        assertThat(this.<TopProductsState>windows(StoreNames.TOP_PRODUCTS_1H, "fabrikam").get(0).value.getByViews())
                .extracting(ProductCount::getProductId).containsExactly("p-x");
    }

    @Test
    void publishesTheTopNWithTiesOrderedByProductId() {
        kit.send(
                productView("contoso", "10:00:01", "p-z").build(),
                productView("contoso", "10:00:02", "p-m").build(),
                productView("contoso", "10:00:03", "p-a").build(),
                productView("contoso", "10:00:04", "p-q").build(),
                productView("contoso", "10:00:05", "p-z").build(),
                productView("contoso", "10:00:06", "p-m").build(),
                productView("contoso", "10:00:07", "p-a").build(),
                productView("contoso", "10:00:08", "p-q").build(),
                productView("contoso", "10:00:09", "p-q").build());

        List<TopProducts> out = kit.output(TopicCatalogue.TOP_PRODUCTS).readValuesToList();
        TopProducts latestHour = out.stream().filter(t -> t.getWindowSize().equals("PT1H")).reduce((a, b) -> b).orElseThrow();

        assertThat(latestHour.getByViews()).extracting(ProductCount::getProductId, ProductCount::getCount)
                .containsExactly(tuple("p-q", 3L), tuple("p-a", 2L), tuple("p-m", 2L));
        assertThat(latestHour.getProductViews()).isEqualTo(9);
        assertThat(latestHour.getFinal$()).isFalse();
    }

    @Test
    void ranksEachMinuteOnItsOwn() {
        kit.send(
                productView("contoso", "10:00:10", "p-a").build(),
                productView("contoso", "10:00:20", "p-a").build(),
                productView("contoso", "10:01:10", "p-b").build());

        assertThat(this.<TopProductsState>windows(StoreNames.TOP_PRODUCTS_1M, "contoso"))
                .extracting(kv -> kv.key, kv -> kv.value.getByViews().get(0).getProductId(), kv -> kv.value.getProductViews())
                .containsExactly(tuple(at("10:00:00"), "p-a", 2L), tuple(at("10:01:00"), "p-b", 1L));
    }

    @Test
    void countsOutOfOrderEventsWithinGraceAndARetriedPurchaseOnce() {
        Envelope purchase = purchase("contoso", "10:00:40", line("p-b", 4, "1.00", "EUR")).build();
        kit.send(
                productView("contoso", "10:00:50", "p-a").build(),
                productView("contoso", "10:01:10", "p-b").build(),
                purchase,
                productView("contoso", "10:00:45", "p-a").build(), // 25 s behind stream time, grace is 30 s
                purchase);                                         // the same event again: a duplicate

        TopProductsState minute = this.<TopProductsState>windows(StoreNames.TOP_PRODUCTS_1M, "contoso").get(0).value;

        assertThat(minute.getByViews()).extracting(ProductCount::getProductId, ProductCount::getCount).containsExactly(tuple("p-a", 2L));
        assertThat(minute.getByUnits()).extracting(ProductCount::getProductId, ProductCount::getCount).containsExactly(tuple("p-b", 4L));
    }

    @Test
    void publishesOneFinalRankingPerWindowAfterItsGrace() {
        kit.send(
                productView("contoso", "10:00:10", "p-a").build(),
                productView("contoso", "10:00:20", "p-b").build(),
                productView("contoso", "10:01:31", "p-c").build(),  // 10:00 closes (10:01:00 + 30 s)
                productView("contoso", "10:02:40", "p-c").build(),  // 10:01 closes
                productView("contoso", "11:02:00", "p-d").build()); // the 10:00 hour closes (11:00 + 2 min)

        List<KeyValue<String, TopProducts>> finals = kit.output(TopicCatalogue.TOP_PRODUCTS).readKeyValuesToList().stream()
                .filter(kv -> kv.value.getFinal$()).toList();

        assertThat(finals).extracting(kv -> kv.key, kv -> kv.value.getProductViews())
                .containsExactly(
                        tuple("contoso/PT1M/2026-11-21T10:00:00Z", 2L),
                        tuple("contoso/PT1M/2026-11-21T10:01:00Z", 1L),
                        tuple("contoso/PT1M/2026-11-21T10:02:00Z", 1L),
                        tuple("contoso/PT1H/2026-11-21T10:00:00Z", 4L));
        assertThat(finals.get(3).value.getByViews()).extracting(ProductCount::getProductId)
                .containsExactly("p-c", "p-a", "p-b");
        assertThat(finals.get(3).value.getWindowEnd()).isEqualTo(at("11:00:00"));
    }

    private <V> List<KeyValue<Instant, V>> windows(String store, String key) {
        return kit.windows(store, key);
    }
}
