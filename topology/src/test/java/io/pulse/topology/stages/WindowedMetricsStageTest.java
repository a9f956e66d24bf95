package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.Channel;
import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.Envelope;
import io.pulse.avro.MetricsState;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WindowedMetricsStageTest {
    /** 30 s grace for the 1- and 5-minute windows, 2 minutes for the hourly ones. */
    private final StageTestKit kit = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void aggregatesPerTenantAndPerStoreAndChannelInOneMinuteWindows() {
        kit.send(
                pageView("contoso", "10:00:05").setStoreId("berlin").setChannel(Channel.STORE).setCustomerId("c-1").build(),
                pageView("contoso", "10:00:10").setStoreId("berlin").setChannel(Channel.STORE).setCustomerId("c-2").build(),
                pageView("contoso", "10:00:20").setStoreId("web").setChannel(Channel.WEB).setCustomerId("c-1").build(),
                pageView("contoso", "10:00:30").setStoreId(null).setChannel(Channel.APP).setCustomerId("c-3").build(),
                pageView("fabrikam", "10:00:40").setStoreId("berlin").setChannel(Channel.STORE).setCustomerId("c-1").build());

        assertThat(this.<MetricsState>windows(StoreNames.WINDOWED_METRICS_TENANT_1M, "contoso"))
                .extracting(kv -> kv.key, kv -> kv.value.getEvents(), kv -> kv.value.getUniqueCustomers())
                .containsExactly(tuple(at("10:00:00"), 4L, 3L));
        assertThat(events(StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1M, "contoso/berlin/STORE")).containsExactly(2L);
        assertThat(events(StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1M, "contoso/web/WEB")).containsExactly(1L);
        assertThat(events(StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1M, "contoso/-/APP")).containsExactly(1L);
        assertThat(events(StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1M, "fabrikam/berlin/STORE")).containsExactly(1L);

        Map<String, WindowedMetrics> latest = latestByKey(published());
        assertThat(latest.get("contoso/*/*/PT1M/2026-11-21T10:00:00Z"))
                .extracting(WindowedMetrics::getStoreId, WindowedMetrics::getChannel, WindowedMetrics::getEvents)
                .containsExactly(null, null, 4L);
        assertThat(latest.get("contoso/berlin/STORE/PT1M/2026-11-21T10:00:00Z"))
                .extracting(WindowedMetrics::getTenant, WindowedMetrics::getStoreId, WindowedMetrics::getChannel,
                        WindowedMetrics::getEvents, WindowedMetrics::getUniqueCustomers)
                .containsExactly("contoso", "berlin", "STORE", 2L, 2L);
        assertThat(latest.get("contoso/-/APP/PT1M/2026-11-21T10:00:00Z").getStoreId()).isEqualTo("-");
    }

    @Test
    void countsEachEventInFiveOverlappingFiveMinuteWindows() {
        kit.send(pageView("contoso", "10:02:30").build());

        assertThat(this.<MetricsState>windows(StoreNames.WINDOWED_METRICS_TENANT_5M, "contoso"))
                .extracting(kv -> kv.key, kv -> kv.value.getEvents())
                .containsExactly(
                        tuple(at("09:58:00"), 1L),
                        tuple(at("09:59:00"), 1L),
                        tuple(at("10:00:00"), 1L),
                        tuple(at("10:01:00"), 1L),
                        tuple(at("10:02:00"), 1L));
        assertThat(events(StoreNames.WINDOWED_METRICS_STORE_CHANNEL_5M, "contoso/web/WEB")).containsExactly(1L, 1L, 1L, 1L, 1L);
        assertThat(published()).filteredOn(m -> m.getWindowSize().equals("PT5M"))
                .extracting(WindowedMetrics::getWindowStart, WindowedMetrics::getWindowEnd)
                .contains(tuple(at("09:58:00"), at("10:03:00")), tuple(at("10:02:00"), at("10:07:00")));
    }

    @Test
    void countsEachEventInItsHourlyWindow() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                pageView("contoso", "10:59:59").build(),
                pageView("contoso", "11:00:00").build());

        assertThat(this.<MetricsState>windows(StoreNames.WINDOWED_METRICS_TENANT_1H, "contoso"))
                .extracting(kv -> kv.key, kv -> kv.value.getEvents())
                .containsExactly(tuple(at("10:00:00"), 2L), tuple(at("11:00:00"), 1L));
    }

    @Test
    void sumsRevenueExactlyPerCurrencyWithAverageOrderValue() {
        kit.send(
                purchase("contoso", "10:00:01", "0.10", "EUR").build(),
                purchase("contoso", "10:00:02", "0.20", "EUR").build(),
                purchase("contoso", "10:00:03", "19.99", "EUR").build(),
                purchase("contoso", "10:00:04", "5.55", "USD").build());

        WindowedMetrics m = latestByKey(published()).get("contoso/*/*/PT1M/2026-11-21T10:00:00Z");

        assertThat(m.getOrders()).isEqualTo(4);
        assertThat(m.getRevenue())
                .extracting(CurrencyRevenue::getCurrency, CurrencyRevenue::getOrders, CurrencyRevenue::getRevenue,
                        CurrencyRevenue::getAverageOrderValue)
                .containsExactly(
                        tuple("EUR", 3L, new BigDecimal("20.2900"), new BigDecimal("6.7633")),
                        tuple("USD", 1L, new BigDecimal("5.5500"), new BigDecimal("5.5500")));
        assertThat(this.<MetricsState>windows(StoreNames.WINDOWED_METRICS_TENANT_1H, "contoso").get(0).value.getRevenue())
                .extracting(s -> s.getCurrency() + " " + s.getAmount())
                .containsExactly("EUR 20.2900", "USD 5.5500");
    }

    @Test
    void countsAPurchaseRetriedWithTheSameEventIdOnce() {
        Envelope order = purchase("contoso", "10:00:10", "49.90", "EUR").build();
        kit.send(order, pageView("contoso", "10:00:20").build(), order);

        WindowedMetrics m = latestByKey(published()).get("contoso/web/WEB/PT1M/2026-11-21T10:00:00Z");

        assertThat(m.getEvents()).isEqualTo(2);
        assertThat(m.getOrders()).isEqualTo(1);
        assertThat(m.getRevenue()).extracting(CurrencyRevenue::getRevenue).containsExactly(new BigDecimal("49.9000"));
    }

    @Test
    void computesConversionAndAddToCartRatesFromSessions() {
        kit.send(
                addToCart("contoso", "10:00:01", "sku-1", "10", "EUR").setSessionId("s-1").build(),
                purchase("contoso", "10:00:02", "10", "EUR").setSessionId("s-1").build(),
                addToCart("contoso", "10:00:03", "sku-2", "5", "EUR").setSessionId("s-2").build(),
                pageView("contoso", "10:00:04").setSessionId("s-3").build(),
                pageView("contoso", "10:00:05").setSessionId("s-4").build(),
                pageView("contoso", "10:00:06").setSessionId("s-5").build());

        WindowedMetrics m = latestByKey(published()).get("contoso/*/*/PT1M/2026-11-21T10:00:00Z");

        assertThat(m.getSessions()).isEqualTo(5);
        assertThat(m.getCartSessions()).isEqualTo(2);
        assertThat(m.getOrders()).isEqualTo(1);
        assertThat(m.getConversionRate()).isEqualTo(1.0 / 5);
        assertThat(m.getAddToCartRate()).isEqualTo(2.0 / 5);
    }

    @Test
    void countsOutOfOrderEventsWithinGraceInTheirOwnWindows() {
        kit.send(
                purchase("contoso", "10:00:50", "1.00", "EUR").build(),
                pageView("contoso", "10:01:20").build(),
                purchase("contoso", "10:00:55", "2.00", "EUR").build()); // 25 s behind stream time, grace is 30 s

        assertThat(events(StoreNames.WINDOWED_METRICS_TENANT_1M, "contoso")).containsExactly(2L, 1L);
        assertThat(events(StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1M, "contoso/web/WEB")).containsExactly(2L, 1L);
        assertThat(this.<MetricsState>windows(StoreNames.WINDOWED_METRICS_TENANT_1M, "contoso").get(0).value.getRevenue())
                .extracting(s -> s.getAmount()).containsExactly(new BigDecimal("3.0000"));
    }

    @Test
    void leavesClosedWindowsUnchangedByEventsLaterThanEveryGrace() {
        kit.send(
                pageView("contoso", "10:00:10").build(),
                pageView("contoso", "11:05:00").build(),  // beyond the 10:00 hour's end + 2 minutes
                pageView("contoso", "10:00:20").build());

        assertThat(events(StoreNames.WINDOWED_METRICS_TENANT_1M, "contoso")).containsExactly(1L, 1L);
        assertThat(events(StoreNames.WINDOWED_METRICS_TENANT_1H, "contoso")).containsExactly(1L, 1L);
        assertThat(events(StoreNames.WINDOWED_METRICS_STORE_CHANNEL_1H, "contoso/web/WEB")).containsExactly(1L, 1L);
    }

    @Test
    void publishesProvisionalUpdatesAndExactlyOneFinalPerWindowAfterGrace() {
        kit.send(
                pageView("contoso", "10:00:05").build(),
                pageView("contoso", "10:00:40").build(),
                pageView("contoso", "10:01:10").build(),  // the 10:00 minute is still within grace
                pageView("contoso", "10:01:31").build(),  // stream time > 10:01:00 + 30 s: 10:00 closes
                pageView("contoso", "10:03:00").build()); // 10:01 closes

        List<WindowedMetrics> tenantMinutes = published().stream()
                .filter(m -> m.getWindowSize().equals("PT1M") && m.getStoreId() == null).toList();

        assertThat(tenantMinutes)
                .extracting(WindowedMetrics::getWindowStart, WindowedMetrics::getEvents, WindowedMetrics::getFinal$)
                .containsExactly(
                        tuple(at("10:00:00"), 1L, false),
                        tuple(at("10:00:00"), 2L, false),
                        tuple(at("10:01:00"), 1L, false),
                        tuple(at("10:01:00"), 2L, false),
                        tuple(at("10:00:00"), 2L, true),
                        tuple(at("10:03:00"), 1L, false),
                        tuple(at("10:01:00"), 2L, true));
    }

    @Test
    void finalValuesOfHoppingWindowsEachCountTheirOwnEvents() {
        kit.send(
                pageView("contoso", "10:00:30").build(),
                pageView("contoso", "10:04:30").build(),
                pageView("contoso", "10:20:00").build()); // closes every window that holds the first two

        Map<Instant, Long> finals = published().stream()
                .filter(m -> m.getFinal$() && m.getWindowSize().equals("PT5M") && m.getStoreId() == null)
                .collect(Collectors.toMap(WindowedMetrics::getWindowStart, WindowedMetrics::getEvents));

        assertThat(finals).containsExactlyInAnyOrderEntriesOf(Map.of(
                at("09:56:00"), 1L, at("09:57:00"), 1L, at("09:58:00"), 1L, at("09:59:00"), 1L,
                at("10:00:00"), 2L, at("10:01:00"), 1L, at("10:02:00"), 1L, at("10:03:00"), 1L, at("10:04:00"), 1L));
    }

    @Test
    void hourlyFinalWaitsForTheHourlyGrace() {
        kit.send(
                pageView("contoso", "10:30:00").build(),
                pageView("contoso", "11:01:59").build()); // within the 2-minute hourly grace: the hour is not final

        assertThat(published()).filteredOn(m -> m.getWindowSize().equals("PT1H") && m.getFinal$()).isEmpty();

        kit.send(pageView("contoso", "11:02:00").build());

        assertThat(published()).filteredOn(m -> m.getWindowSize().equals("PT1H") && m.getFinal$())
                .extracting(WindowedMetrics::getStoreId, WindowedMetrics::getWindowStart, WindowedMetrics::getEvents)
                .containsExactlyInAnyOrder(tuple(null, at("10:00:00"), 1L), tuple("web", at("10:00:00"), 1L));
    }

    @Test
    void keysRecordsByTenantStoreChannelWindowSizeAndStart() {
        kit.send(pageView("contoso", "10:00:05").setStoreId("berlin").setChannel(Channel.STORE).build());

        assertThat(kit.output(TopicCatalogue.METRICS).readKeyValuesToList()).extracting(kv -> kv.key)
                .contains("contoso/*/*/PT1M/2026-11-21T10:00:00Z",
                        "contoso/berlin/STORE/PT1M/2026-11-21T10:00:00Z",
                        "contoso/*/*/PT5M/2026-11-21T09:56:00Z",
                        "contoso/berlin/STORE/PT1H/2026-11-21T10:00:00Z");
    }

    /** This stage's records on the metrics topic (their keys carry store and channel) since the last call. */
    private List<WindowedMetrics> published() {
        return kit.output(TopicCatalogue.METRICS).readKeyValuesToList().stream()
                .filter(kv -> kv.key.split("/").length == 5)
                .map(kv -> kv.value)
                .toList();
    }

    private static Map<String, WindowedMetrics> latestByKey(List<WindowedMetrics> records) {
        return records.stream().collect(Collectors.toMap(WindowedMetricsStage::outputKey, Function.identity(), (a, b) -> b));
    }

    private <V> List<KeyValue<Instant, V>> windows(String store, String key) {
        return kit.windows(store, key);
    }

    private List<Long> events(String store, String key) {
        return this.<MetricsState>windows(store, key).stream().map(kv -> kv.value.getEvents()).toList();
    }
}
