package io.pulse.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.avro.Alert;
import io.pulse.avro.AlertDirection;
import io.pulse.avro.AlertMetric;
import io.pulse.avro.CurrencyRevenue;
import io.pulse.avro.WindowedMetrics;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveEventsTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:30:00Z");
    private final LiveEvents events = new LiveEvents(Clock.fixed(NOW, ZoneOffset.UTC), "localhost:7070");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aMetricsEventCarriesTheWindowItsValuesWhetherItIsFinalAndItsFreshness() throws Exception {
        WindowedMetrics m = metrics(null, null, true);

        LiveEvent e = events.metrics(m, Instant.parse("2026-11-21T10:29:55Z"), 3);

        assertThat(e.tenant()).isEqualTo("contoso");
        assertThat(e.name()).isEqualTo("metrics");
        JsonNode data = json.readTree(e.json());
        assertThat(data.get("final").asBoolean()).isTrue();
        assertThat(data.has("isFinal")).isFalse();
        assertThat(data.get("window").asText()).isEqualTo("PT1M");
        assertThat(data.get("start").asText()).isEqualTo("2026-11-21T10:28:00Z");
        assertThat(data.get("end").asText()).isEqualTo("2026-11-21T10:29:00Z");
        assertThat(data.get("store").isNull()).as("tenant-wide rollup").isTrue();
        assertThat(data.get("channel").isNull()).isTrue();
        assertThat(data.get("events").asLong()).isEqualTo(42);
        assertThat(data.get("uniqueCustomers").asLong()).isEqualTo(7);
        assertThat(data.get("conversionRate").asDouble()).isEqualTo(0.25);
        assertThat(data.get("revenue").get(0).get("currency").asText()).isEqualTo("EUR");
        assertThat(data.get("revenue").get(0).get("revenue").asText()).as("exact decimal, as the REST answers").isEqualTo("123.4500");
        assertThat(data.get("revenue").get(0).get("averageOrderValue").asText()).isEqualTo("61.7250");
        JsonNode freshness = data.get("freshness");
        assertThat(freshness.get("newestEventTime").asText()).isEqualTo("2026-11-21T10:29:55Z");
        assertThat(freshness.get("ageSeconds").asLong()).isEqualTo(5);
        assertThat(freshness.get("servedBy").asText()).isEqualTo("localhost:7070");
        assertThat(freshness.get("stale").asBoolean()).isFalse();
        assertThat(freshness.get("lagRecords").asLong()).isEqualTo(3);
    }

    @Test
    void aProvisionalStoreValueSaysSo() throws Exception {
        JsonNode data = json.readTree(events.metrics(metrics("oslo-1", "WEB", false), NOW, 0).json());

        assertThat(data.get("final").asBoolean()).isFalse();
        assertThat(data.get("store").asText()).isEqualTo("oslo-1");
        assertThat(data.get("channel").asText()).isEqualTo("WEB");
    }

    @Test
    void anAlertEventCarriesItsKeyScoreAndWindow() throws Exception {
        Alert a = Alert.newBuilder().setTenant("contoso").setStoreId(null).setChannel(null).setMetric(AlertMetric.REVENUE)
                .setCurrency("EUR").setDirection(AlertDirection.SPIKE).setValue(900).setBaselineMean(100).setBaselineStddev(50)
                .setScore(16).setBaselineWindows(30).setWindowStart(Instant.parse("2026-11-21T10:28:00Z"))
                .setWindowEnd(Instant.parse("2026-11-21T10:29:00Z")).setDetectedAt(Instant.parse("2026-11-21T10:29:40Z"))
                .setSource(null).setMessage(null).build();

        LiveEvent e = events.alert("contoso/*/*/REVENUE/2026-11-21T10:28:00Z", a, 0);

        assertThat(e.name()).isEqualTo("alert");
        JsonNode data = json.readTree(e.json());
        assertThat(data.get("key").asText()).isEqualTo("contoso/*/*/REVENUE/2026-11-21T10:28:00Z");
        assertThat(data.get("metric").asText()).isEqualTo("REVENUE");
        assertThat(data.get("direction").asText()).isEqualTo("SPIKE");
        assertThat(data.get("score").asDouble()).isEqualTo(16.0);
        assertThat(data.get("windowStart").asText()).isEqualTo("2026-11-21T10:28:00Z");
        assertThat(data.get("freshness").get("ageSeconds").asLong()).isEqualTo(20);
    }

    static WindowedMetrics metrics(String store, String channel, boolean isFinal) {
        return WindowedMetrics.newBuilder().setTenant("contoso").setStoreId(store).setChannel(channel).setWindowSize("PT1M")
                .setWindowStart(Instant.parse("2026-11-21T10:28:00Z")).setWindowEnd(Instant.parse("2026-11-21T10:29:00Z"))
                .setEvents(42).setUniqueCustomers(7).setSessions(8).setCartSessions(4).setOrders(2)
                .setRevenue(List.of(CurrencyRevenue.newBuilder().setCurrency("EUR").setOrders(2)
                        .setRevenue(new BigDecimal("123.4500")).setAverageOrderValue(new BigDecimal("61.7250")).build()))
                .setConversionRate(0.25).setAddToCartRate(0.5).setFinal$(isFinal).build();
    }
}
