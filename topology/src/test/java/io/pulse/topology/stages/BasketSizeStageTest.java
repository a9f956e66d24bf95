package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.line;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.productView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.BasketSize;
import io.pulse.avro.BasketSizeState;
import io.pulse.avro.Envelope;
import io.pulse.common.kafka.RejectHeaders;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BasketSizeStageTest {
    /** 30 s grace for the lateness gate (and 1-minute windows); hourly windows keep the default 2 minutes. */
    private final StageTestKit kit = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void sumsUnitsExactlyAcrossOrdersPerTenantAndHour() {
        kit.send(
                purchase("contoso", "10:05:00", line("p-a", 2, "1.50", "EUR"), line("p-b", 3, "4.00", "EUR")).build(),
                purchase("contoso", "10:20:00", line("p-a", 1, "1.50", "USD")).build(),
                purchase("fabrikam", "10:30:00", line("p-x", 4, "9.99", "EUR")).build(),
                purchase("contoso", "10:40:00", line("p-c", 1, "0.99", "EUR")).build(),
                purchase("contoso", "11:01:00", line("p-a", 6, "1.50", "EUR")).build()); // 10:00 still within its grace

        assertThat(states("contoso")).extracting(kv -> kv.key, kv -> kv.value.getOrders(), kv -> kv.value.getUnits(),
                        kv -> kv.value.getLargestBasket())
                .containsExactly(tuple(at("10:00:00"), 3L, 7L, 5L), tuple(at("11:00:00"), 1L, 6L, 6L));
        assertThat(states("fabrikam")).extracting(kv -> kv.key, kv -> kv.value.getOrders(), kv -> kv.value.getUnits())
                .containsExactly(tuple(at("10:00:00"), 1L, 4L));

        BasketSize contosoTen = latest("contoso/PT1H/2026-11-21T10:00:00Z");
        assertThat(contosoTen.getAverageUnitsPerOrder()).isEqualTo(new BigDecimal("2.3333")); // 7 / 3
        assertThat(contosoTen.getWindowEnd()).isEqualTo(at("11:00:00"));
        assertThat(contosoTen.getFinal$()).isFalse();
    }

    @Test
    void roundsTheAverageHalfEvenToFourPlaces() {
        assertThat(BasketSizeStage.averageUnitsPerOrder(33, 32)).isEqualTo(new BigDecimal("1.0312")); // 1.03125
        assertThat(BasketSizeStage.averageUnitsPerOrder(35, 32)).isEqualTo(new BigDecimal("1.0938")); // 1.09375
        assertThat(BasketSizeStage.averageUnitsPerOrder(4, 2)).isEqualTo(new BigDecimal("2.0000"));
        assertThat(BasketSizeStage.averageUnitsPerOrder(0, 0)).isEqualTo(new BigDecimal("0.0000"));
    }

    @Test
    void ignoresEverythingButPurchases() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                productView("contoso", "10:01:00", "p-a").build(),
                addToCart("contoso", "10:02:00", "p-a", "1.50", "EUR").build(),
                purchase("contoso", "10:03:00", line("p-a", 2, "1.50", "EUR")).build(),
                pageView("contoso", "11:10:00").build()); // the 11:00 hour has no purchase, so no basket record

        assertThat(states("contoso")).extracting(kv -> kv.key, kv -> kv.value.getOrders(), kv -> kv.value.getUnits())
                .containsExactly(tuple(at("10:00:00"), 1L, 2L));
        // 11:10 is past the 10:00 hour's grace, yet no final: the page view never reaches the stage's
        // window, so the stage's stream time stays at 10:03 until a later purchase moves it.
        assertThat(kit.output(TopicCatalogue.BASKET_SIZES).readValuesToList())
                .extracting(BasketSize::getWindowStart, BasketSize::getOrders, BasketSize::getFinal$)
                .containsExactly(tuple(at("10:00:00"), 1L, false));
    }

    @Test
    void countsAnOutOfOrderPurchaseWithinGraceInItsOwnHour() {
        kit.send(
                purchase("contoso", "10:59:50", line("p-a", 2, "1.00", "EUR")).build(),
                purchase("contoso", "11:00:10", line("p-a", 1, "1.00", "EUR")).build(),
                purchase("contoso", "10:59:45", line("p-b", 3, "1.00", "EUR")).build()); // 25 s behind stream time, grace is 30 s

        assertThat(states("contoso")).extracting(kv -> kv.key, kv -> kv.value.getOrders(), kv -> kv.value.getUnits(),
                        kv -> kv.value.getLargestBasket())
                .containsExactly(tuple(at("10:00:00"), 2L, 5L, 3L), tuple(at("11:00:00"), 1L, 1L, 1L));
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).isEmpty()).isTrue();
    }

    @Test
    void leavesOutAPurchaseLaterThanTheGraceAndSendsItToLateEvents() {
        Envelope late = purchase("contoso", "10:30:00", line("p-b", 9, "1.00", "EUR")).build();
        kit.send(
                purchase("contoso", "10:35:00", line("p-a", 2, "1.00", "EUR")).build(),
                late); // 5 minutes behind stream time: the spine's gate (30 s) sends it away, though its hour is still open

        assertThat(states("contoso")).extracting(kv -> kv.key, kv -> kv.value.getOrders(), kv -> kv.value.getUnits())
                .containsExactly(tuple(at("10:00:00"), 1L, 2L));
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).readValuesToList())
                .extracting(Envelope::getEventId).containsExactly(late.getEventId());
    }

    @Test
    void neverCountsAPurchaseRejectedByValidationOrSentTwice() {
        Envelope order = purchase("contoso", "10:10:00", line("p-a", 2, "1.00", "EUR")).build();
        Envelope negative = purchase("contoso", "10:11:00", line("p-a", 5, "2.00", "EUR"), line("p-b", -1, "2.00", "EUR")).build();
        kit.send(order, negative, order); // the retry has the same event id

        assertThat(states("contoso")).extracting(kv -> kv.key, kv -> kv.value.getOrders(), kv -> kv.value.getUnits())
                .containsExactly(tuple(at("10:00:00"), 1L, 2L));
        assertThat(kit.output(TopicCatalogue.BASKET_SIZES).readValuesToList())
                .extracting(BasketSize::getOrders, BasketSize::getUnits).containsExactly(tuple(1L, 2L));
        List<TestRecord<String, Envelope>> rejects = kit.output(TopicCatalogue.REJECTS).readRecordsToList();
        assertThat(rejects).extracting(r -> r.value().getEventId()).containsExactly(negative.getEventId());
        assertThat(new String(rejects.get(0).headers().lastHeader(RejectHeaders.RULE).value(), StandardCharsets.UTF_8))
                .isEqualTo("quantity.positive");
    }

    @Test
    void publishesProvisionalUpdatesAndOneFinalRecordPerHourAfterItsGrace() {
        kit.send(
                purchase("contoso", "10:10:00", line("p-a", 1, "1.00", "EUR")).build(),
                purchase("contoso", "10:50:00", line("p-a", 3, "1.00", "EUR")).build(),
                purchase("contoso", "11:01:00", line("p-a", 2, "1.00", "EUR")).build(), // the 10:00 hour is within grace until 11:02
                purchase("contoso", "11:02:00", line("p-a", 1, "1.00", "EUR")).build(), // stream time 11:00 + 2 min: 10:00 closes
                purchase("contoso", "11:40:00", line("p-a", 1, "1.00", "EUR")).build(),
                purchase("contoso", "12:02:00", line("p-a", 1, "1.00", "EUR")).build()); // 11:00 closes

        List<KeyValue<String, BasketSize>> out = kit.output(TopicCatalogue.BASKET_SIZES).readKeyValuesToList();

        assertThat(out).extracting(kv -> kv.key, kv -> kv.value.getOrders(), kv -> kv.value.getUnits(), kv -> kv.value.getFinal$())
                .containsExactly(
                        tuple("contoso/PT1H/2026-11-21T10:00:00Z", 1L, 1L, false),
                        tuple("contoso/PT1H/2026-11-21T10:00:00Z", 2L, 4L, false),
                        tuple("contoso/PT1H/2026-11-21T11:00:00Z", 1L, 2L, false),
                        tuple("contoso/PT1H/2026-11-21T11:00:00Z", 2L, 3L, false),
                        tuple("contoso/PT1H/2026-11-21T10:00:00Z", 2L, 4L, true),
                        tuple("contoso/PT1H/2026-11-21T11:00:00Z", 3L, 4L, false),
                        tuple("contoso/PT1H/2026-11-21T12:00:00Z", 1L, 1L, false),
                        tuple("contoso/PT1H/2026-11-21T11:00:00Z", 3L, 4L, true));
        BasketSize finalTen = out.get(4).value;
        assertThat(finalTen.getAverageUnitsPerOrder()).isEqualTo(new BigDecimal("2.0000"));
        assertThat(finalTen.getLargestBasket()).isEqualTo(3L);
        assertThat(finalTen.getWindowSize()).isEqualTo("PT1H");
    }

    private List<KeyValue<Instant, BasketSizeState>> states(String tenant) {
        return kit.windows(StoreNames.BASKET_SIZES_1H, tenant);
    }

    /** The last record published under a key. */
    private BasketSize latest(String key) {
        return kit.output(TopicCatalogue.BASKET_SIZES).readKeyValuesToList().stream()
                .filter(kv -> kv.key.equals(key)).reduce((a, b) -> b).orElseThrow().value;
    }
}
