package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.Envelope;
import io.pulse.avro.MetricsState;
import io.pulse.avro.Money;
import io.pulse.avro.Purchase;
import io.pulse.avro.WindowedMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetricsAggregateTest {

    @Test
    void sumsRevenueExactlyPerCurrencyWithoutMixingCurrencies() {
        MetricsAggregate a = MetricsAggregate.empty()
                .add(purchase("contoso", "10:00:01", "0.1000", "EUR").build())
                .add(purchase("contoso", "10:00:02", "0.2000", "EUR").build())
                .add(purchase("contoso", "10:00:03", "19.9900", "USD").build())
                .add(purchase("contoso", "10:00:04", "1000", "JPY").build());

        WindowedMetrics m = metrics(a);

        assertThat(m.getOrders()).isEqualTo(4);
        assertThat(m.getRevenue()).extracting(CurrencyRevenue::getCurrency, CurrencyRevenue::getOrders, CurrencyRevenue::getRevenue)
                .containsExactly(
                        tuple("EUR", 2L, new BigDecimal("0.3000")),
                        tuple("JPY", 1L, new BigDecimal("1000.0000")),
                        tuple("USD", 1L, new BigDecimal("19.9900")));
    }

    @Test
    void averageOrderValueIsRevenueOverOrdersRoundedHalfEvenToFourDecimals() {
        MetricsAggregate a = MetricsAggregate.empty()
                // 0.0003 / 2 = 0.00015 -> 0.0002 (half-even and half-up agree)
                .add(purchase("contoso", "10:00:01", "0.0001", "EUR").build())
                .add(purchase("contoso", "10:00:02", "0.0002", "EUR").build())
                // 0.0005 / 2 = 0.00025 -> 0.0002 (half-up would say 0.0003)
                .add(purchase("contoso", "10:00:03", "0.0001", "USD").build())
                .add(purchase("contoso", "10:00:04", "0.0004", "USD").build())
                // 100 / 3 = 33.3333...
                .add(purchase("contoso", "10:00:05", "30", "GBP").build())
                .add(purchase("contoso", "10:00:06", "30", "GBP").build())
                .add(purchase("contoso", "10:00:07", "40", "GBP").build());

        assertThat(metrics(a).getRevenue()).extracting(CurrencyRevenue::getCurrency, CurrencyRevenue::getAverageOrderValue)
                .containsExactly(
                        tuple("EUR", new BigDecimal("0.0002")),
                        tuple("GBP", new BigDecimal("33.3333")),
                        tuple("USD", new BigDecimal("0.0002")));
    }

    @Test
    void refusesAnAmountWithMoreThanFourDecimalsInsteadOfRoundingIt() {
        Envelope e = purchase("contoso", "10:00:01", "1", "EUR").build();
        Purchase p = (Purchase) e.getPayload();
        p.setTotal(Money.newBuilder().setAmount(new BigDecimal("1.00005")).setCurrency("EUR").build());

        assertThatThrownBy(() -> MetricsAggregate.empty().add(e)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void countsDistinctCustomersAndSessionsIgnoringRepeatsAndMissingIds() {
        MetricsAggregate a = MetricsAggregate.empty()
                .add(pageView("contoso", "10:00:01").setCustomerId("c-1").setSessionId("s-1").build())
                .add(pageView("contoso", "10:00:02").setCustomerId("c-1").setSessionId("s-1").build())
                .add(pageView("contoso", "10:00:03").setCustomerId("c-1").setSessionId("s-2").build())
                .add(pageView("contoso", "10:00:04").setCustomerId("c-2").setSessionId("s-3").build())
                .add(pageView("contoso", "10:00:05").setCustomerId(null).setSessionId(null).build());

        WindowedMetrics m = metrics(a);

        assertThat(m.getEvents()).isEqualTo(5);
        assertThat(m.getUniqueCustomers()).isEqualTo(2);
        assertThat(m.getSessions()).isEqualTo(3);
    }

    @Test
    void conversionIsOrdersOverSessionsAndAddToCartRateIsCartSessionsOverSessions() {
        MetricsAggregate a = MetricsAggregate.empty()
                .add(addToCart("contoso", "10:00:01", "sku-1", "9.99", "EUR").setSessionId("s-1").build())
                .add(addToCart("contoso", "10:00:02", "sku-2", "9.99", "EUR").setSessionId("s-1").build())
                .add(purchase("contoso", "10:00:03", "19.98", "EUR").setSessionId("s-1").build())
                .add(addToCart("contoso", "10:00:04", "sku-1", "9.99", "EUR").setSessionId("s-2").build())
                .add(pageView("contoso", "10:00:05").setSessionId("s-3").build())
                .add(pageView("contoso", "10:00:06").setSessionId("s-4").build())
                .add(purchase("contoso", "10:00:07", "5", "EUR").setSessionId("s-4").build());

        WindowedMetrics m = metrics(a);

        assertThat(m.getSessions()).isEqualTo(4);
        assertThat(m.getCartSessions()).isEqualTo(2);
        assertThat(m.getOrders()).isEqualTo(2);
        assertThat(m.getConversionRate()).isEqualTo(2.0 / 4);
        assertThat(m.getAddToCartRate()).isEqualTo(2.0 / 4);
    }

    @Test
    void ratesAreNullWithoutASession() {
        WindowedMetrics m = metrics(MetricsAggregate.empty()
                .add(purchase("contoso", "10:00:01", "5", "EUR").setSessionId(null).build()));

        assertThat(m.getOrders()).isEqualTo(1);
        assertThat(m.getConversionRate()).isNull();
        assertThat(m.getAddToCartRate()).isNull();
    }

    @Test
    void mergingPartialAggregatesEqualsAggregatingAllEvents() {
        List<Envelope> events = List.of(
                pageView("contoso", "10:00:01").setCustomerId("c-1").setSessionId("s-1").build(),
                addToCart("contoso", "10:00:02", "sku-1", "2.50", "EUR").setCustomerId("c-2").setSessionId("s-2").build(),
                purchase("contoso", "10:00:03", "2.50", "EUR").setCustomerId("c-2").setSessionId("s-2").build(),
                pageView("contoso", "10:00:04").setCustomerId("c-1").setSessionId("s-1").build(),
                purchase("contoso", "10:00:05", "7.25", "USD").setCustomerId("c-3").setSessionId("s-3").build(),
                purchase("contoso", "10:00:06", "0.75", "EUR").setCustomerId("c-1").setSessionId("s-2").build());
        MetricsAggregate all = MetricsAggregate.empty();
        MetricsAggregate first = MetricsAggregate.empty();
        MetricsAggregate second = MetricsAggregate.empty();
        for (int i = 0; i < events.size(); i++) {
            all.add(events.get(i));
            (i % 2 == 0 ? first : second).add(events.get(i));
        }

        assertThat(metrics(first.merge(second))).isEqualTo(metrics(all));
        assertThat(metrics(all).getUniqueCustomers()).isEqualTo(3);
        assertThat(metrics(all).getRevenue()).extracting(CurrencyRevenue::getRevenue)
                .containsExactly(new BigDecimal("3.2500"), new BigDecimal("7.2500"));
    }

    @Test
    void goesOnCountingAfterARoundTripThroughItsStoredRecord() {
        MetricsAggregate direct = MetricsAggregate.empty();
        MetricsState stored = MetricsAggregate.emptyRecord();
        for (int i = 0; i < 50; i++) {
            Envelope e = purchase("contoso", "10:00:01", "1.0001", "EUR").setCustomerId("c-" + (i % 20)).setSessionId("s-" + (i % 30)).build();
            direct.add(e);
            stored = MetricsAggregate.add(e, stored);
        }

        assertThat(MetricsAggregate.metrics(stored).setTenant("t").setWindowSize("PT1M").setWindowStart(Instant.EPOCH)
                .setWindowEnd(Instant.EPOCH).setFinal$(false).build()).isEqualTo(metrics(direct));
        assertThat(stored.getUniqueCustomers()).isEqualTo(20);
        assertThat(stored.getSessions()).isEqualTo(30);
        assertThat(stored.getRevenue().get(0).getAmount()).isEqualTo(new BigDecimal("50.0050"));
    }

    @Test
    void storesNoSketchBytesForAnEmptyAggregate() {
        MetricsState empty = MetricsAggregate.emptyRecord();

        assertThat(empty.getCustomersSketch().remaining()).isZero();
        assertThat(empty.getSessionsSketch().remaining()).isZero();
        assertThat(empty.getCartSessionsSketch().remaining()).isZero();
    }

    @Test
    void estimatesLargeDistinctCountsWithinTheSketchBoundAndStaysSmall() {
        MetricsAggregate a = MetricsAggregate.empty();
        IntStream.range(0, 20_000).forEach(i ->
                a.add(pageView("contoso", "10:00:01").setCustomerId("c-" + i).setSessionId("s-" + (i / 2)).build()));

        MetricsState state = a.toRecord();

        // lg K 12: relative standard error about 1.6%; 5% is beyond three standard errors.
        assertThat((double) state.getUniqueCustomers()).isCloseTo(20_000, withinPercentage(5));
        assertThat((double) state.getSessions()).isCloseTo(10_000, withinPercentage(5));
        assertThat(state.getCustomersSketch().remaining()).isLessThan(2_200);
    }

    private static WindowedMetrics metrics(MetricsAggregate a) {
        return MetricsAggregate.metrics(a.toRecord()).setTenant("t").setWindowSize("PT1M")
                .setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH).setFinal$(false).build();
    }
}
