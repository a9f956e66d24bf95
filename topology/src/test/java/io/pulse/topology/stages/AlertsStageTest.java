package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.pulse.avro.Alert;
import io.pulse.avro.AlertBaselines;
import io.pulse.avro.AlertDirection;
import io.pulse.avro.AlertMetric;
import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertsStageTest {
    private static final int BASELINE = 10;
    private static final double THRESHOLD = 3.0;
    private static final Instant T0 = at("10:00:00");

    /** Revenue noise with period 10: any 10 consecutive windows hold all of it, so their mean is 100 and stddev sqrt(6). */
    private static final List<Double> REVENUE_NOISE = List.of(97.0, 103.0, 99.0, 101.0, 98.0, 102.0, 100.0, 96.0, 104.0, 100.0);
    private static final double REVENUE_MEAN = 100.0;
    private static final double REVENUE_STDDEV = Math.sqrt((9 + 9 + 1 + 1 + 4 + 4 + 0 + 16 + 16 + 0) / 10.0);
    /** Conversion noise, same idea: mean 0.05, largest deviation 0.003, under two standard deviations. */
    private static final List<Double> CONVERSION_NOISE = List.of(0.048, 0.052, 0.049, 0.051, 0.0495, 0.0505, 0.05, 0.047, 0.053, 0.05);

    private final Instant created = Instant.now();
    private final StageTestKit kit = new StageTestKit(TopologySettings.defaults().withAlerts(BASELINE, THRESHOLD));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aRevenueSpikeRaisesExactlyOneAlertScoredAgainstTheLastWindows() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        kit.sendMetrics(minute("contoso", 10, Map.of("EUR", "120.00"), CONVERSION_NOISE.get(0)));

        List<KeyValue<String, Alert>> alerts = kit.output(TopicCatalogue.ALERTS).readKeyValuesToList();

        assertThat(alerts).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("contoso/*/*/REVENUE:EUR/" + minuteStart(10));
            Alert a = kv.value;
            assertThat(a.getTenant()).isEqualTo("contoso");
            assertThat(a.getStoreId()).isNull();
            assertThat(a.getChannel()).isNull();
            assertThat(a.getMetric()).isEqualTo(AlertMetric.REVENUE);
            assertThat(a.getCurrency()).isEqualTo("EUR");
            assertThat(a.getDirection()).isEqualTo(AlertDirection.SPIKE);
            assertThat(a.getValue()).isEqualTo(120.0);
            assertThat(a.getBaselineMean()).isCloseTo(REVENUE_MEAN, within(1e-9));
            assertThat(a.getBaselineStddev()).isCloseTo(REVENUE_STDDEV, within(1e-9));
            assertThat(a.getScore()).isCloseTo((120.0 - REVENUE_MEAN) / REVENUE_STDDEV, within(1e-9));
            assertThat(a.getBaselineWindows()).isEqualTo(BASELINE);
            assertThat(a.getWindowStart()).isEqualTo(minuteStart(10));
            assertThat(a.getWindowEnd()).isEqualTo(minuteStart(11));
        });
    }

    @Test
    void normalNoiseRaisesNoAlertAndTheBaselineKeepsExactlyTheLastWindows() {
        kit.sendMetrics(noisyMinutes("contoso", 0, 4 * BASELINE + 3));

        assertThat(kit.output(TopicCatalogue.ALERTS).readValuesToList()).isEmpty();
        AlertBaselines state = baselines().get("contoso/*/*");
        assertThat(state.getLastWindowEnd()).isEqualTo(minuteStart(4 * BASELINE + 3));
        assertThat(state.getRevenue().get("EUR")).containsExactlyElementsOf(lastNoise(REVENUE_NOISE, 4 * BASELINE + 3));
        assertThat(state.getConversionRate()).containsExactlyElementsOf(lastNoise(CONVERSION_NOISE, 4 * BASELINE + 3));
    }

    @Test
    void aRevenueDipRaisesADipAlertWithANegativeScore() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        kit.sendMetrics(minute("contoso", 10, Map.of("EUR", "80.00"), CONVERSION_NOISE.get(0)));

        assertThat(kit.output(TopicCatalogue.ALERTS).readValuesToList())
                .extracting(Alert::getMetric, Alert::getDirection, Alert::getValue)
                .containsExactly(tuple(AlertMetric.REVENUE, AlertDirection.DIP, 80.0));
    }

    @Test
    void aBaselineOneWindowShortRaisesNothingHoweverLargeTheSpike() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE - 1));
        kit.sendMetrics(minute("contoso", BASELINE - 1, Map.of("EUR", "100000.00"), 0.9));

        assertThat(kit.output(TopicCatalogue.ALERTS).readValuesToList()).isEmpty();
        assertThat(baselines().get("contoso/*/*").getRevenue().get("EUR")).hasSize(BASELINE).endsWith(100000.0);
    }

    @Test
    void aConversionSpikeRaisesAConversionAlertWithoutCurrency() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        kit.sendMetrics(minute("contoso", 10, Map.of("EUR", "100.00"), 0.09));

        assertThat(kit.output(TopicCatalogue.ALERTS).readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getMetric()).isEqualTo(AlertMetric.CONVERSION_RATE);
            assertThat(a.getCurrency()).isNull();
            assertThat(a.getDirection()).isEqualTo(AlertDirection.SPIKE);
            assertThat(a.getValue()).isEqualTo(0.09);
            assertThat(a.getBaselineMean()).isCloseTo(0.05, within(1e-12));
        });
    }

    @Test
    void salesStoppingWhileTrafficGoesOnIsARevenueAndConversionDip() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        kit.sendMetrics(minute("contoso", 10, Map.of(), 0.0)); // sessions, but no order in any currency

        assertThat(kit.output(TopicCatalogue.ALERTS).readValuesToList())
                .extracting(Alert::getMetric, Alert::getCurrency, Alert::getDirection, Alert::getValue)
                .containsExactly(
                        tuple(AlertMetric.CONVERSION_RATE, null, AlertDirection.DIP, 0.0),
                        tuple(AlertMetric.REVENUE, "EUR", AlertDirection.DIP, 0.0));
    }

    @Test
    void scoresOnlyFinalOneMinuteWindowsNewerThanTheLastScored() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        AlertBaselines before = baselines().get("contoso/*/*");

        WindowedMetrics spike = minute("contoso", 10, Map.of("EUR", "900.00"), 0.5);
        kit.sendMetrics(
                WindowedMetrics.newBuilder(spike).setFinal$(false).build(),                     // provisional
                WindowedMetrics.newBuilder(spike).setWindowSize("PT5M")                         // another window size
                        .setWindowStart(minuteStart(6)).setWindowEnd(minuteStart(11)).build(),
                minute("contoso", 4, Map.of("EUR", "900.00"), 0.5),                           // replayed, out of order
                minute("contoso", BASELINE - 1, Map.of("EUR", "900.00"), 0.5));               // duplicate of the last

        assertThat(kit.output(TopicCatalogue.ALERTS).readValuesToList()).isEmpty();
        assertThat(baselines().get("contoso/*/*")).isEqualTo(before);
    }

    @Test
    void aMinuteWithoutSessionOrOrderDoesNotTakeThePlaceOfThatMinutesFullMetrics() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        // The tenant's event count of minute 10, on the same topic with the same dimensions, but no session, no order.
        WindowedMetrics countOnly = WindowedMetrics.newBuilder().setTenant("contoso").setWindowSize("PT1M")
                .setWindowStart(minuteStart(10)).setWindowEnd(minuteStart(11)).setEvents(40).setFinal$(true).build();

        kit.sendMetrics(countOnly, minute("contoso", 10, Map.of("EUR", "150.00"), CONVERSION_NOISE.get(0)));

        assertThat(kit.output(TopicCatalogue.ALERTS).readValuesToList())
                .extracting(Alert::getMetric, Alert::getValue)
                .containsExactly(tuple(AlertMetric.REVENUE, 150.0));
    }

    @Test
    void keepsTheSeriesOfEachTenantStoreAndCurrencyApart() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        kit.sendMetrics(noisyMinutes("fabrikam", 0, BASELINE));
        for (int i = 0; i < BASELINE; i++) {
            kit.sendMetrics(atStore(minute("contoso", i, Map.of("EUR", Double.toString(REVENUE_NOISE.get(i) / 4)), CONVERSION_NOISE.get(i))));
        }

        kit.sendMetrics(
                minute("contoso", 10, Map.of("EUR", "100.00", "USD", "5000.00"), CONVERSION_NOISE.get(0)), // USD: a new series
                minute("fabrikam", 10, Map.of("EUR", "101.00"), CONVERSION_NOISE.get(0)),
                atStore(minute("contoso", 10, Map.of("EUR", "95.00"), CONVERSION_NOISE.get(0))));           // the store's spike

        List<KeyValue<String, Alert>> alerts = kit.output(TopicCatalogue.ALERTS).readKeyValuesToList();
        assertThat(alerts).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("contoso/oslo-1/STORE/REVENUE:EUR/" + minuteStart(10));
            assertThat(kv.value.getStoreId()).isEqualTo("oslo-1");
            assertThat(kv.value.getChannel()).isEqualTo("STORE");
            assertThat(kv.value.getBaselineMean()).isCloseTo(REVENUE_MEAN / 4, within(1e-9));
            assertThat(kv.value.getDirection()).isEqualTo(AlertDirection.SPIKE);
        });
        assertThat(baselines().get("contoso/*/*").getRevenue()).containsOnlyKeys("EUR", "USD");
        assertThat(baselines().get("contoso/*/*").getRevenue().get("USD")).containsExactly(5000.0);
        assertThat(baselines().get("contoso/oslo-1/STORE").getLastWindowEnd()).isEqualTo(minuteStart(11));
        assertThat(baselines().get("fabrikam/*/*").getRevenue().get("EUR")).hasSize(BASELINE).endsWith(101.0);
    }

    @Test
    void stampsTheAlertWithTheWindowEndAndDetectionWithTheWallClock() {
        kit.sendMetrics(noisyMinutes("contoso", 0, BASELINE));
        kit.driver().advanceWallClockTime(Duration.ofHours(5));
        kit.sendMetrics(minute("contoso", 10, Map.of("EUR", "150.00"), CONVERSION_NOISE.get(0)));

        TestRecord<String, Alert> alert = kit.output(TopicCatalogue.ALERTS).readRecord();

        assertThat(alert.getRecordTime()).isEqualTo(minuteStart(11));
        assertThat(alert.getValue().getDetectedAt())
                .isAfterOrEqualTo(created.plus(Duration.ofHours(5)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .isBeforeOrEqualTo(Instant.now().plus(Duration.ofHours(5)));
    }

    @Test
    void scoresTheFinalMetricsTheMetricsStagePublishesFromEvents() {
        try (StageTestKit events = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)).withAlerts(5, THRESHOLD))) {
            // One shopper session a minute (conversion 1.0 throughout: no spread, no conversion alert), revenue
            // 96, 104, 96, 104, 96, then 500 in the sixth minute; a page view at 10:07 closes that minute.
            String[] totals = {"96.00", "104.00", "96.00", "104.00", "96.00", "500.00"};
            for (int i = 0; i < totals.length; i++) {
                String minute = String.format("10:%02d", i);
                events.send(pageView("contoso", minute + ":10").build(), purchase("contoso", minute + ":40", totals[i], "EUR").build());
            }
            events.send(pageView("contoso", "10:07:00").build());

            List<Alert> alerts = events.output(TopicCatalogue.ALERTS).readValuesToList();

            // Once for the tenant, once for its web store (the envelopes' store and channel).
            assertThat(alerts)
                    .extracting(Alert::getStoreId, Alert::getChannel, Alert::getMetric, Alert::getDirection, Alert::getValue, Alert::getWindowStart)
                    .containsExactlyInAnyOrder(
                            tuple(null, null, AlertMetric.REVENUE, AlertDirection.SPIKE, 500.0, at("10:05:00")),
                            tuple("web", "WEB", AlertMetric.REVENUE, AlertDirection.SPIKE, 500.0, at("10:05:00")));
            assertThat(alerts.get(0).getBaselineMean()).isCloseTo((96 + 104 + 96 + 104 + 96) / 5.0, within(1e-9));
        }
    }

    // --- builders -------------------------------------------------------------------------------------

    private KeyValueStore<String, AlertBaselines> baselines() {
        return kit.keyValueStore(StoreNames.ALERT_BASELINES);
    }

    private static Instant minuteStart(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    /** Final 1-minute windows {@code from}, {@code from + 1}, ... with the noise of both series. */
    private static WindowedMetrics[] noisyMinutes(String tenant, int from, int count) {
        List<WindowedMetrics> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(minute(tenant, i, Map.of("EUR", Double.toString(REVENUE_NOISE.get(i % REVENUE_NOISE.size()))),
                    CONVERSION_NOISE.get(i % CONVERSION_NOISE.size())));
        }
        return out.toArray(WindowedMetrics[]::new);
    }

    /** The values the baseline of a noise series should hold after {@code windows} windows. */
    private static List<Double> lastNoise(List<Double> noise, int windows) {
        List<Double> last = new ArrayList<>();
        for (int i = windows - BASELINE; i < windows; i++) {
            last.add(noise.get(i % noise.size()));
        }
        return last;
    }

    /** The tenant-wide final metrics of minute {@code minute} after 10:00, as the metrics stage publishes them. */
    private static WindowedMetrics minute(String tenant, int minute, Map<String, String> revenue, Double conversion) {
        List<CurrencyRevenue> perCurrency = new ArrayList<>();
        revenue.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            BigDecimal amount = new BigDecimal(e.getValue()).setScale(4, RoundingMode.HALF_EVEN);
            perCurrency.add(CurrencyRevenue.newBuilder().setCurrency(e.getKey()).setOrders(2).setRevenue(amount)
                    .setAverageOrderValue(amount.divide(BigDecimal.valueOf(2), 4, RoundingMode.HALF_EVEN)).build());
        });
        return WindowedMetrics.newBuilder()
                .setTenant(tenant)
                .setWindowSize("PT1M")
                .setWindowStart(minuteStart(minute))
                .setWindowEnd(minuteStart(minute + 1))
                .setEvents(40)
                .setSessions(40)
                .setOrders(perCurrency.size() * 2L)
                .setRevenue(perCurrency)
                .setConversionRate(conversion)
                .setFinal$(true)
                .build();
    }

    private static WindowedMetrics atStore(WindowedMetrics m) {
        return WindowedMetrics.newBuilder(m).setStoreId("oslo-1").setChannel("STORE").build();
    }
}
